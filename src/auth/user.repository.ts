import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, UserRole, UsersTable } from '../db/schema.js';

/** SQL for accounts and their refresh tokens. */

type Executor = Db | Transaction<Database>;

export type UserRow = Selectable<UsersTable>;

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Executor, emailNormalized: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email_normalized', '=', emailNormalized).executeTakeFirst();
}

/** Inserts a user unless the email is taken; undefined when it was. */
export function insertUserUnlessEmailTaken(db: Executor, user: Insertable<UsersTable>) {
  return db
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('email_normalized').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateUser(db: Executor, id: string, changes: Updateable<UsersTable>) {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** The oldest platform admin, if any. */
export function findFirstAdmin(db: Executor) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('role', '=', 'admin')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export function listUsers(
  db: Executor,
  filter: { role?: UserRole | undefined; organizerId?: string | undefined; limit: number; offset: number },
) {
  let query = db.selectFrom('users').selectAll();
  if (filter.role !== undefined) query = query.where('role', '=', filter.role);
  if (filter.organizerId !== undefined) query = query.where('organizer_id', '=', filter.organizerId);
  return query.orderBy('email_normalized').limit(filter.limit).offset(filter.offset).execute();
}

// ── Refresh tokens ─────────────────────────────────────────────────────────────────────────────────────

export async function insertRefreshToken(
  db: Executor,
  token: { id: string; userId: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({
      id: token.id,
      user_id: token.userId,
      family_id: token.familyId,
      token_hash: token.tokenHash,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** Reads a refresh token by its hash and locks it, so two uses of one token are decided one at a time. */
export function lockRefreshTokenByHash(trx: Transaction<Database>, tokenHash: string) {
  return trx
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks a token used: revoked now, replaced by its successor. */
export async function markRefreshTokenRotated(trx: Transaction<Database>, id: string, replacedBy: string) {
  await trx
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql<Date>`now()`, replaced_by: replacedBy })
    .where('id', '=', id)
    .execute();
}

/** Revokes every live token of a family (the tokens descended from one login). */
export async function revokeRefreshTokenFamily(db: Executor, familyId: string): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes one token; true when it was live. */
export async function revokeRefreshTokenByHash(db: Executor, tokenHash: string): Promise<boolean> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes every live refresh token of a user (after a password change). */
export async function revokeUserRefreshTokens(db: Executor, userId: string): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
