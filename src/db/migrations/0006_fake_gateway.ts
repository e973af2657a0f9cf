import { sql, type Kysely } from 'kysely';

/**
 * The built-in fake payment gateway keeps its own books, apart from Boxoffice's `payments` and `refunds`:
 * it stands in for an outside provider, so what it says when a payment is re-fetched must not simply be
 * what Boxoffice already believes. Its tables live in the same database so every API process (and a
 * restart) sees the same charges.
 */
const statements = [
  `CREATE TABLE fake_gateway_charges (
     id text PRIMARY KEY,
     reference text NOT NULL,
     amount integer NOT NULL CHECK (amount >= 0),
     currency char(3) NOT NULL,
     description text NOT NULL DEFAULT '',
     return_url text,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
     failure_reason text,
     refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE fake_gateway_refunds (
     id text PRIMARY KEY,
     charge_id text NOT NULL REFERENCES fake_gateway_charges(id) ON DELETE RESTRICT,
     amount integer NOT NULL CHECK (amount > 0),
     idempotency_key text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX fake_gateway_refunds_charge ON fake_gateway_refunds (charge_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS fake_gateway_refunds').execute(db);
  await sql.raw('DROP TABLE IF EXISTS fake_gateway_charges').execute(db);
}
