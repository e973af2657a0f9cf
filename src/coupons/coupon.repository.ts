import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { CouponsTable, Database } from '../db/schema.js';

type Executor = Db | Transaction<Database>;

export type CouponRow = Selectable<CouponsTable>;

/** A coupon with how often it is in use right now (active redemptions) and was ever returned. */
export interface CouponWithUsage extends CouponRow {
  active_redemptions: number;
  returned_redemptions: number;
}

/** A coupon of this organizer by code, case-insensitively (the unique index is on upper(code)). */
export function findCouponByCode(db: Executor, organizerId: string, code: string): Promise<CouponRow | undefined> {
  return db
    .selectFrom('coupons')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    .where(sql<string>`upper(code)`, '=', code.toUpperCase())
    .executeTakeFirst();
}

function selectCouponsWithUsage(db: Executor) {
  return db
    .selectFrom('coupons')
    .selectAll('coupons')
    .select((eb) => [
      eb
        .selectFrom('coupon_redemptions')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('coupon_redemptions.coupon_id', '=', 'coupons.id')
        .where('coupon_redemptions.status', '=', 'active')
        .as('active_redemptions'),
      eb
        .selectFrom('coupon_redemptions')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('coupon_redemptions.coupon_id', '=', 'coupons.id')
        .where('coupon_redemptions.status', '=', 'returned')
        .as('returned_redemptions'),
    ])
    .$narrowType<{ active_redemptions: number; returned_redemptions: number }>();
}

export function findCouponWithUsage(db: Executor, id: string): Promise<CouponWithUsage | undefined> {
  return selectCouponsWithUsage(db).where('coupons.id', '=', id).executeTakeFirst();
}

export function listCouponsWithUsage(
  db: Executor,
  filter: { organizerId?: string; active?: boolean; limit: number; offset: number },
): Promise<CouponWithUsage[]> {
  let query = selectCouponsWithUsage(db);
  if (filter.organizerId !== undefined) query = query.where('coupons.organizer_id', '=', filter.organizerId);
  if (filter.active !== undefined) query = query.where('coupons.active', '=', filter.active);
  return query
    .orderBy('coupons.created_at', 'desc')
    .orderBy('coupons.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export async function insertCoupon(db: Executor, coupon: Insertable<CouponsTable>): Promise<void> {
  await db.insertInto('coupons').values(coupon).execute();
}

export async function updateCoupon(db: Executor, id: string, changes: Updateable<CouponsTable>): Promise<void> {
  await db.updateTable('coupons').set(changes).where('id', '=', id).execute();
}

/** Locks the coupon row for the rest of the transaction. */
export function lockCoupon(trx: Transaction<Database>, id: string): Promise<CouponRow | undefined> {
  return trx.selectFrom('coupons').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Deletes a coupon that was never redeemed; false when it has redemptions (kept for the books). */
export async function deleteUnredeemedCoupon(trx: Transaction<Database>, id: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('coupons')
    .where('id', '=', id)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('coupon_redemptions').select('id').where('coupon_redemptions.coupon_id', '=', id))),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Active redemptions of a coupon by one user. */
export async function countActiveRedemptionsByUser(db: Executor, couponId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('coupon_redemptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('coupon_id', '=', couponId)
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Takes one redemption if the cap allows, in one conditional UPDATE: the row lock it takes makes
 * concurrent redeemers queue, and each re-evaluates the condition on the latest row, so the counter
 * never passes the cap (the CHECK constraint is the last line of defence). False when exhausted.
 */
export async function incrementRedemptions(trx: Transaction<Database>, couponId: string): Promise<boolean> {
  const row = await trx
    .updateTable('coupons')
    .set({ redemptions: sql`redemptions + 1`, updated_at: sql`now()` })
    .where('id', '=', couponId)
    .where((eb) => eb.or([eb('max_redemptions', 'is', null), eb('redemptions', '<', eb.ref('max_redemptions'))]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertRedemption(
  trx: Transaction<Database>,
  redemption: { id: string; couponId: string; orderId: string; userId: string },
): Promise<void> {
  await trx
    .insertInto('coupon_redemptions')
    .values({
      id: redemption.id,
      coupon_id: redemption.couponId,
      order_id: redemption.orderId,
      user_id: redemption.userId,
    })
    .execute();
}

/**
 * Marks an order's active redemption returned and gives the use back to the coupon, in one statement
 * each; a second call finds no active redemption and changes nothing. Returns the coupon id or null.
 */
export async function returnActiveRedemption(trx: Transaction<Database>, orderId: string): Promise<string | null> {
  const returned = await trx
    .updateTable('coupon_redemptions')
    .set({ status: 'returned' })
    .where('order_id', '=', orderId)
    .where('status', '=', 'active')
    .returning('coupon_id')
    .executeTakeFirst();
  if (!returned) return null;
  await trx
    .updateTable('coupons')
    .set({ redemptions: sql`greatest(redemptions - 1, 0)`, updated_at: sql`now()` })
    .where('id', '=', returned.coupon_id)
    .execute();
  return returned.coupon_id;
}

/** Which of these ids are events or trips of the organizer (coupon scope validation). */
export async function findOwnedInventoryIds(
  db: Executor,
  organizerId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('events')
    .select('id')
    .where('organizer_id', '=', organizerId)
    .where('id', 'in', ids)
    .unionAll(db.selectFrom('trips').select('id').where('organizer_id', '=', organizerId).where('id', 'in', ids))
    .execute();
  return new Set(rows.map((row) => row.id));
}

export async function findOwnedRouteIds(
  db: Executor,
  organizerId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('routes')
    .select('id')
    .where('organizer_id', '=', organizerId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Whether any order refers to the coupon (redeemed now, returned, or priced with it). */
export async function isCouponReferenced(db: Executor, id: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .or([
          eb.exists(eb.selectFrom('coupon_redemptions').select('id').where('coupon_id', '=', id)),
          eb.exists(eb.selectFrom('orders').select('id').where('coupon_id', '=', id)),
        ])
        .as('referenced'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(row.referenced);
}

/**
 * Makes an order's returned redemption active again when the coupon's cap allows one more: true when the
 * order has an active redemption afterwards or none at all; false when the cap is reached.
 */
export async function reactivateReturnedRedemption(trx: Transaction<Database>, orderId: string): Promise<boolean> {
  const returned = await trx
    .selectFrom('coupon_redemptions')
    .select('coupon_id')
    .where('order_id', '=', orderId)
    .where('status', '=', 'returned')
    .executeTakeFirst();
  if (!returned) return true;
  if (!(await incrementRedemptions(trx, returned.coupon_id))) return false;
  await trx
    .updateTable('coupon_redemptions')
    .set({ status: 'active' })
    .where('order_id', '=', orderId)
    .where('status', '=', 'returned')
    .execute();
  return true;
}
