import type { Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, InventoryKind } from '../db/schema.js';
import { AppError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import {
  countActiveRedemptionsByUser,
  findCouponByCode,
  incrementRedemptions,
  insertRedemption,
  reactivateReturnedRedemption,
  returnActiveRedemption,
  type CouponRow,
} from './coupon.repository.js';

type Executor = Db | Transaction<Database>;

export interface CouponQuoteRequest {
  code: string;
  organizerId: string;
  userId: string;
  inventory: { kind: InventoryKind; id: string };
  /** The trip's route (route-scoped coupons), null for events. */
  routeId: string | null;
  /** Order lines before discount: the seat category and the price in minor units. */
  lines: readonly { category: string; price: number }[];
  now: Date;
}

export interface CouponQuote {
  couponId: string;
  /** Sum of lineDiscounts. */
  discount: number;
  /** Discount per line, in the order of the request's lines; 0 for lines outside the coupon's scope. */
  lineDiscounts: number[];
}

/** The part of a coupon the discount arithmetic needs. */
export interface CouponTerms {
  kind: 'percent' | 'fixed';
  /** percent: whole percent 1..100; fixed: minor units. */
  value: number;
}

/**
 * Splits a coupon's discount over lines. Percent: each in-scope line gets value % of its price, rounded
 * half up per line. Fixed: the amount (capped at the in-scope total) is spread in proportion to price by
 * largest remainder, so it adds up exactly and no line gets more than its price.
 */
export function computeLineDiscounts(
  terms: CouponTerms,
  lines: readonly { price: number; inScope: boolean }[],
): number[] {
  if (terms.kind === 'percent') {
    return lines.map((line) => (line.inScope ? Math.floor((line.price * terms.value + 50) / 100) : 0));
  }
  const inScopeTotal = lines.reduce((sum, line) => sum + (line.inScope ? line.price : 0), 0);
  const amount = Math.min(terms.value, inScopeTotal);
  if (amount === 0) return lines.map(() => 0);
  const shares = lines.map((line, index) => {
    if (!line.inScope) return { index, base: 0, remainder: 0 };
    const exact = line.price * amount; // share = exact / inScopeTotal
    return { index, base: Math.floor(exact / inScopeTotal), remainder: exact % inScopeTotal };
  });
  const discounts = shares.map((share) => share.base);
  let left = amount - discounts.reduce((sum, d) => sum + d, 0);
  // Each leftover unit goes to a line with a fractional share, biggest fraction first (ties: earlier line).
  const byRemainder = shares
    .filter((s) => s.remainder > 0)
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const share of byRemainder) {
    if (left === 0) break;
    discounts[share.index]! += 1;
    left -= 1;
  }
  return discounts;
}

/** Whether the coupon's event/route scope admits this inventory. Empty scope lists mean "any". */
function inventoryInScope(coupon: CouponRow, request: CouponQuoteRequest): boolean {
  const events = coupon.scope_event_ids;
  const routes = coupon.scope_route_ids;
  if (events.length === 0 && routes.length === 0) return true;
  // scope_event_ids holds event ids and, for a single departure, trip ids: both are inventory ids.
  if (events.includes(request.inventory.id)) return true;
  return request.routeId !== null && routes.includes(request.routeId);
}

/**
 * Checks a coupon code against an order being built and computes its discount per line. Does not take a
 * redemption: call recordRedemption in the transaction that creates the order (that is where the cap is
 * enforced atomically).
 */
export async function quoteCoupon(db: Executor, request: CouponQuoteRequest): Promise<CouponQuote> {
  const code = request.code.trim();
  const coupon = code === '' ? undefined : await findCouponByCode(db, request.organizerId, code);
  if (!coupon) throw new AppError('coupon.not_found', `No coupon with code ${code}`, { code });
  if (!coupon.active) throw new AppError('coupon.expired', 'This coupon is no longer active', { code });
  if (coupon.valid_from && request.now < coupon.valid_from) {
    throw new AppError('coupon.expired', 'This coupon is not valid yet', {
      code,
      validFrom: coupon.valid_from.toISOString(),
    });
  }
  if (coupon.valid_to && request.now >= coupon.valid_to) {
    throw new AppError('coupon.expired', 'This coupon has expired', { code, validTo: coupon.valid_to.toISOString() });
  }
  if (!inventoryInScope(coupon, request)) {
    throw new AppError('coupon.not_applicable', 'This coupon does not apply to this event or trip', { code });
  }
  const categories = coupon.scope_categories;
  const lines = request.lines.map((line) => ({
    price: line.price,
    inScope: categories.length === 0 || categories.includes(line.category),
  }));
  if (!lines.some((line) => line.inScope)) {
    throw new AppError('coupon.not_applicable', 'This coupon does not apply to these seat categories', {
      code,
      categories,
    });
  }
  const subtotal = request.lines.reduce((sum, line) => sum + line.price, 0);
  if (subtotal < coupon.min_order) {
    throw new AppError('coupon.min_order', `This coupon needs an order of at least ${coupon.min_order}`, {
      code,
      minOrder: coupon.min_order,
      subtotal,
    });
  }
  if (coupon.per_user_max !== null) {
    const used = await countActiveRedemptionsByUser(db, coupon.id, request.userId);
    if (used >= coupon.per_user_max) {
      throw new AppError('coupon.per_user_limit', 'You have already used this coupon as often as allowed', {
        code,
        perUserMax: coupon.per_user_max,
      });
    }
  }
  const lineDiscounts = computeLineDiscounts(coupon, lines);
  return { couponId: coupon.id, discount: lineDiscounts.reduce((sum, d) => sum + d, 0), lineDiscounts };
}

/**
 * Takes one redemption of a coupon for an order, inside the order's transaction. The cap is enforced by a
 * conditional UPDATE (never read-then-write), so 200 concurrent orders on a cap of 50 redeem exactly 50.
 * The per-user cap is re-checked after that UPDATE: the coupon row is then locked by this transaction,
 * so the count sees every redemption committed before it. Throws coupon.exhausted / coupon.per_user_limit
 * (and the caller's transaction rolls back, undoing the increment).
 */
export async function recordRedemption(
  trx: Transaction<Database>,
  redemption: { couponId: string; orderId: string; userId: string },
): Promise<void> {
  const taken = await incrementRedemptions(trx, redemption.couponId);
  if (!taken) {
    throw new AppError('coupon.exhausted', 'This coupon has been used up', { couponId: redemption.couponId });
  }
  const coupon = await trx
    .selectFrom('coupons')
    .select('per_user_max')
    .where('id', '=', redemption.couponId)
    .executeTakeFirstOrThrow();
  if (coupon.per_user_max !== null) {
    // This count includes nothing of ours yet: the redemption row is inserted below.
    const used = await countActiveRedemptionsByUser(trx, redemption.couponId, redemption.userId);
    if (used >= coupon.per_user_max) {
      throw new AppError('coupon.per_user_limit', 'You have already used this coupon as often as allowed', {
        couponId: redemption.couponId,
        perUserMax: coupon.per_user_max,
      });
    }
  }
  await insertRedemption(trx, { id: newId('redemption'), ...redemption });
}

/**
 * Gives an order's coupon use back (the order was cancelled in full before payment). Idempotent: a second
 * call finds the redemption already returned and does nothing. Returns whether something was returned.
 */
export async function returnRedemption(trx: Transaction<Database>, orderId: string): Promise<boolean> {
  return (await returnActiveRedemption(trx, orderId)) !== null;
}

/**
 * Takes an order's returned coupon use again (a late payment for an order that expired unpaid), within
 * the coupon's total cap, by the same conditional update as recordRedemption. True when the order's
 * redemption is active afterwards (or it never had one); false when the coupon is used up.
 */
export async function reclaimRedemption(trx: Transaction<Database>, orderId: string): Promise<boolean> {
  return reactivateReturnedRedemption(trx, orderId);
}
