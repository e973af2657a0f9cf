import type { AppDeps } from '../container.js';
import { returnRedemption } from '../coupons/coupon-redemption.js';
import { findLapsedOrderIds, lockLapsedOrder, markOrderExpired } from './order.repository.js';

/** Orders looked at per transaction batch; the scheduled job runs every minute and drains the backlog. */
const BATCH = 200;

/**
 * Orders whose time to pay ran out become `expired`, and their coupon use goes back to the coupon, so
 * abandoned checkouts do not use up a capped coupon. Seats need nothing here: the hold expired by itself.
 * A payment that still arrives later is handled by confirmation as before (re-hold or refund), and takes
 * the coupon use again if the cap allows (order-confirmation.service.ts). An order being confirmed right
 * now is skipped (SKIP LOCKED) and looked at again next minute. Returns how many orders expired.
 */
export async function expireLapsedOrders(deps: AppDeps): Promise<number> {
  const db = deps.database.db;
  let expired = 0;
  for (;;) {
    const now = deps.clock.now();
    const ids = await findLapsedOrderIds(db, now, BATCH);
    if (ids.length === 0) return expired;
    let progressed = 0;
    for (const orderId of ids) {
      const done = await db.transaction().execute(async (trx) => {
        if (!(await lockLapsedOrder(trx, orderId, now))) return false;
        await markOrderExpired(trx, orderId, now);
        await returnRedemption(trx, orderId);
        return true;
      });
      if (done) {
        expired++;
        progressed++;
      }
    }
    if (progressed === 0 || ids.length < BATCH) return expired;
  }
}
