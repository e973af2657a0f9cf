import type { Insertable, Selectable, Transaction, Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, RefundPoliciesTable } from '../db/schema.js';
import type { RefundRule } from './refund-policy.js';

type Executor = Db | Transaction<Database>;

/** A refund policy row; its rules may carry the optional engine fields (feeMode, feeFlatByCategory). */
export type RefundPolicyRow = Omit<Selectable<RefundPoliciesTable>, 'rules'> & { rules: RefundRule[] };

export function findRefundPolicy(db: Executor, id: string): Promise<RefundPolicyRow | undefined> {
  return db.selectFrom('refund_policies').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listRefundPolicies(
  db: Executor,
  filter: { organizerId?: string; scopeKind?: 'organizer' | 'event' | 'route'; limit: number; offset: number },
): Promise<RefundPolicyRow[]> {
  let query = db.selectFrom('refund_policies').selectAll();
  if (filter.organizerId !== undefined) query = query.where('organizer_id', '=', filter.organizerId);
  if (filter.scopeKind !== undefined) query = query.where('scope_kind', '=', filter.scopeKind);
  return query
    .orderBy('organizer_id')
    .orderBy('scope_kind')
    .orderBy('created_at')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

/**
 * The policy that governs a sale: the event's or route's override, else the organizer's default, else
 * undefined (the caller uses DEFAULT_REFUND_POLICY).
 */
export function findGoverningRefundPolicy(
  db: Executor,
  target: { organizerId: string; eventId: string | null; routeId: string | null },
): Promise<RefundPolicyRow | undefined> {
  return (
    db
      .selectFrom('refund_policies')
      .selectAll()
      .where('organizer_id', '=', target.organizerId)
      .where((eb) =>
        eb.or([
          eb.and([eb('scope_kind', '=', 'organizer'), eb('scope_id', '=', target.organizerId)]),
          ...(target.eventId !== null
            ? [eb.and([eb('scope_kind', '=', 'event'), eb('scope_id', '=', target.eventId)])]
            : []),
          ...(target.routeId !== null
            ? [eb.and([eb('scope_kind', '=', 'route'), eb('scope_id', '=', target.routeId)])]
            : []),
        ]),
      )
      // An override ('event', 'route') sorts before the organizer's default.
      .orderBy((eb) => eb.case().when('scope_kind', '=', 'organizer').then(1).else(0).end())
      .limit(1)
      .executeTakeFirst()
  );
}

export async function insertRefundPolicy(db: Executor, policy: Insertable<RefundPoliciesTable>): Promise<void> {
  await db.insertInto('refund_policies').values(policy).execute();
}

export async function updateRefundPolicy(
  db: Executor,
  id: string,
  changes: Updateable<RefundPoliciesTable>,
): Promise<void> {
  await db.updateTable('refund_policies').set(changes).where('id', '=', id).execute();
}

export async function deleteRefundPolicy(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('refund_policies').where('id', '=', id).execute();
}

/** Whether an event or a route of the organizer exists (policy scope validation). */
export async function scopeTargetExists(
  db: Executor,
  organizerId: string,
  kind: 'event' | 'route',
  id: string,
): Promise<boolean> {
  const row =
    kind === 'event'
      ? await db
          .selectFrom('events')
          .select('id')
          .where('id', '=', id)
          .where('organizer_id', '=', organizerId)
          .executeTakeFirst()
      : await db
          .selectFrom('routes')
          .select('id')
          .where('id', '=', id)
          .where('organizer_id', '=', organizerId)
          .executeTakeFirst();
  return row !== undefined;
}
