import type { Transaction } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { reclaimRedemption, returnRedemption } from '../coupons/coupon-redemption.js';
import type { Db } from '../db/client.js';
import type { Database, OrderStatus, PaymentStatus } from '../db/schema.js';
import type { Hold, InventoryRef } from '../inventory/hold-store.js';
import { findGaCapacities } from '../inventory/inventory.repository.js';
import { enqueueDomainEvent } from '../jobs/domain-events.js';
import type { Segment } from '../inventory/segments.js';
import { AppError } from '../shared/errors.js';
import { newHoldToken, newId } from '../shared/ids.js';
import { newTicketCode } from './booking-codes.js';
import { CancellationService } from './cancellation.service.js';
import {
  addGaSold,
  findOrder,
  findOrderLines,
  findInventoryStatus,
  findPaymentOrderId,
  findTicketIdsOfOrder,
  insertSeatSalesOfLines,
  insertTickets,
  lockOrderNoWait,
  markOrderConfirmed,
  markOrderRefundRequired,
  type OrderLineRow,
  type OrderRow,
} from './order.repository.js';

export type ConfirmationOutcome = 'confirmed' | 'already_confirmed' | 'refund_required';

export interface ConfirmationResult {
  outcome: ConfirmationOutcome;
  /** Why a refund is required, for the buyer. */
  reason?: string;
  /** The order's tickets (confirmed / already_confirmed); empty when a refund is required. */
  ticketIds: string[];
}

/** What a payment needs to know about an order. */
export interface OrderForPayment {
  id: string;
  userId: string;
  organizerId: string;
  total: number;
  currency: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  expiresAt: Date;
}

/** The order a payment is for, or null when there is none. */
export async function findOrderForPayment(db: Db, orderId: string): Promise<OrderForPayment | null> {
  const order = await findOrder(db, orderId);
  if (!order) return null;
  return {
    id: order.id,
    userId: order.user_id,
    organizerId: order.organizer_id,
    total: order.total,
    currency: order.currency,
    status: order.status,
    paymentStatus: order.payment_status,
    expiresAt: order.expires_at,
  };
}

type Executor = Db | Transaction<Database>;

/** A fresh hold made at confirmation lives only as long as the confirmation needs it. */
const REHOLD_TTL_MS = 60_000;

const REASON_SEATS_TAKEN =
  'The seats were no longer held when the payment arrived and someone else bought them meanwhile';
const REASON_ORDER_CANCELLED = 'The order is cancelled, so its payment is refunded';
const REASON_COUPON_USED_UP =
  'The order expired before it was paid, and its coupon was used up by other buyers meanwhile';

/**
 * The answer an order's status alone gives, or null when the order may still be confirmed. An order that
 * was confirmed and later cancelled has had its payment applied: repeating it changes nothing.
 */
async function settledOutcome(db: Executor, order: OrderRow): Promise<ConfirmationResult | null> {
  if (order.status === 'confirmed' || (order.status === 'cancelled' && order.confirmed_at !== null)) {
    return { outcome: 'already_confirmed', ticketIds: await findTicketIdsOfOrder(db, order.id) };
  }
  if (order.status === 'cancelled')
    return { outcome: 'refund_required', reason: REASON_ORDER_CANCELLED, ticketIds: [] };
  return null;
}

/** Locks the order without waiting; contention is 503 so the payment provider retries. */
async function lockOrderForConfirmation(trx: Transaction<Database>, orderId: string): Promise<OrderRow> {
  let locked: OrderRow | undefined;
  try {
    locked = await lockOrderNoWait(trx, orderId);
  } catch (error) {
    if ((error as { code?: unknown }).code === '55P03') {
      throw new AppError('service.unavailable', 'This order is being confirmed right now; retry shortly');
    }
    throw error;
  }
  if (!locked) throw new AppError('resource.not_found', `Order ${orderId} was not found`, { id: orderId });
  return locked;
}

/** Thrown inside the transaction when the database refuses a sale (or its coupon); rolls it back. */
class SaleRefused extends Error {
  constructor(readonly reason: string = REASON_SEATS_TAKEN) {
    super(reason);
  }
}

interface Wanted {
  inventory: InventoryRef;
  segment: Segment;
  seatLines: { lineId: string; seatId: string }[];
  ga: Map<string, number>;
}

function wantedOf(order: OrderRow, lines: readonly OrderLineRow[]): Wanted {
  const seatLines: { lineId: string; seatId: string }[] = [];
  const ga = new Map<string, number>();
  for (const line of lines) {
    if (line.seat_id !== null) seatLines.push({ lineId: line.id, seatId: line.seat_id });
    else if (line.area_id !== null) ga.set(line.area_id, (ga.get(line.area_id) ?? 0) + 1);
  }
  return {
    inventory: { kind: order.inventory_kind, id: order.inventory_id },
    segment: { from: order.from_index, to: order.to_index },
    seatLines,
    ga,
  };
}

/** True when a live hold covers exactly the order's inventory, segment, seats and GA quantities. */
function holdCovers(hold: Hold, wanted: Wanted): boolean {
  if (hold.inventory.id !== wanted.inventory.id || hold.inventory.kind !== wanted.inventory.kind) return false;
  if (hold.segment.from !== wanted.segment.from || hold.segment.to !== wanted.segment.to) return false;
  const heldSeats = [...hold.seatIds].sort();
  const orderSeats = wanted.seatLines.map((line) => line.seatId).sort();
  if (heldSeats.length !== orderSeats.length || heldSeats.some((id, i) => id !== orderSeats[i])) return false;
  if (hold.ga.length !== wanted.ga.size) return false;
  return hold.ga.every((item) => wanted.ga.get(item.areaId) === item.quantity);
}

function isSaleConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // unique (event seat), exclusion (trip seat-leg), check (GA sold > capacity)
  return code === '23505' || code === '23P01' || code === '23514';
}

/**
 * Confirms an order whose payment succeeded: one transaction locks the order (NOWAIT: contention is 503 so
 * the provider retries), records the seat sales and GA units, issues one ticket per line and marks the
 * order confirmed and paid. Idempotent: a confirmed order answers already_confirmed with its tickets.
 *
 * The order's hold is re-checked first. When it expired, the same seats are held again if they are still
 * free; when they are not, or the database refuses the sale (someone else's sale committed first), nothing
 * is sold, the order is cancelled with refund_status pending, and the answer is refund_required — a payment
 * that came too late is refunded, never turned into a second ticket for a seat-leg.
 */
export async function confirmPaidOrder(
  deps: AppDeps,
  input: { orderId: string; paymentId: string },
): Promise<ConfirmationResult> {
  const db = deps.database.db;
  const order = await findOrder(db, input.orderId);
  if (!order) throw new AppError('resource.not_found', `Order ${input.orderId} was not found`, { id: input.orderId });
  const payment = await findPaymentOrderId(db, input.paymentId);
  if (payment && payment.order_id !== order.id) {
    throw new AppError('request.invalid', 'This payment belongs to another order', { paymentId: input.paymentId });
  }
  // A cheap answer for repeated deliveries; the locked transaction below decides for real.
  const settled = await settledOutcome(db, order);
  if (settled) return settled;

  const lines = (await findOrderLines(db, order.id)).filter((line) => line.status === 'active');
  const wanted = wantedOf(order, lines);
  const { holdStore } = deps;

  // The hold store cannot be asked inside the transaction (it has its own connection or is Redis), so the
  // hold is checked just before it; the database constraints have the last word on the sale itself.
  const existingHold = order.hold_token ? await holdStore.get(order.hold_token) : null;
  let coveringHold: Hold | null = existingHold && holdCovers(existingHold, wanted) ? existingHold : null;
  let freshHold: Hold | null = null;
  if (!coveringHold) {
    freshHold = await holdAgain(deps, order, wanted);
    coveringHold = freshHold;
  }

  let result: ConfirmationResult;
  try {
    result = await db.transaction().execute(async (trx): Promise<ConfirmationResult> => {
      const locked = await lockOrderForConfirmation(trx, order.id);
      const lockedOutcome = await settledOutcome(trx, locked);
      if (lockedOutcome) return lockedOutcome;
      const now = deps.clock.now();
      if (!coveringHold) {
        await markOrderRefundRequired(trx, order.id, now);
        await returnRedemption(trx, order.id);
        return { outcome: 'refund_required', reason: REASON_SEATS_TAKEN, ticketIds: [] };
      }
      // An order that expired unpaid gave its coupon use back (order-expiry.ts); a late payment takes it
      // again, within the coupon's cap, or is refunded.
      if (locked.status === 'expired' && locked.coupon_id && !(await reclaimRedemption(trx, order.id))) {
        throw new SaleRefused(REASON_COUPON_USED_UP);
      }
      try {
        await insertSeatSalesOfLines(trx, {
          inventory: wanted.inventory,
          segment: wanted.segment,
          orderId: order.id,
          holdToken: coveringHold.token,
          lines: wanted.seatLines,
        });
        for (const [areaId, quantity] of [...wanted.ga].sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (!(await addGaSold(trx, wanted.inventory.id, areaId, quantity))) throw new SaleRefused();
        }
      } catch (error) {
        if (isSaleConflict(error)) throw new SaleRefused();
        throw error;
      }
      const tickets = lines.map((line) => ({
        id: newId('ticket'),
        code: newTicketCode(),
        order_id: order.id,
        order_line_id: line.id,
        organizer_id: order.organizer_id,
        inventory_kind: order.inventory_kind,
        inventory_id: order.inventory_id,
        seat_id: line.seat_id,
        area_id: line.area_id,
        from_index: order.from_index,
        to_index: order.to_index,
      }));
      await insertTickets(trx, tickets);
      await markOrderConfirmed(trx, order.id, now);
      // The booking confirmation (tickets by email/SMS) and order.confirmed webhooks: committed with the sale.
      await enqueueDomainEvent(trx, order.organizer_id, { type: 'order.confirmed', orderId: order.id }, now);
      // The tickets were made in the lines' order (label, id), the order findTicketIdsOfOrder answers in.
      return { outcome: 'confirmed', ticketIds: tickets.map((ticket) => ticket.id) };
    });
  } catch (error) {
    if (!(error instanceof SaleRefused)) {
      await releaseQuietly(deps, freshHold);
      throw error;
    }
    result = await recordRefundRequired(deps, order.id, error.reason);
  }

  if (result.outcome === 'confirmed') {
    try {
      await holdStore.syncSold(wanted.inventory, {
        segment: wanted.segment,
        seatIds: wanted.seatLines.map((line) => line.seatId),
        gaAreaIds: [...wanted.ga.keys()],
      });
    } finally {
      await releaseQuietly(deps, coveringHold);
    }
    await cancelIfInventoryCancelled(deps, wanted.inventory);
  } else {
    await releaseQuietly(deps, freshHold);
  }
  return result;
}

/** Who cancels an order that was confirmed just as its event or trip was cancelled. */
const SYSTEM_PRINCIPAL: Principal = { userId: 'system', role: 'admin', organizerId: null };

/**
 * An organizer may cancel the event or trip while a payment is being confirmed. Their cancellation marks
 * the inventory cancelled, then cancels (and refunds) every open order it finds — and a confirmation may
 * commit just after it looked at that order. Reading the status after our commit closes the gap without a
 * lock on the hot event row: either the status change committed before this read, and we run the
 * cancellation again (idempotent; it refunds this order in full), or after it, and then the cancellation's
 * sweep of orders begins after our commit and finds this order confirmed.
 */
async function cancelIfInventoryCancelled(deps: AppDeps, inventory: InventoryRef): Promise<void> {
  if ((await findInventoryStatus(deps.database.db, inventory)) !== 'cancelled') return;
  await new CancellationService(deps).cancelInventory(SYSTEM_PRINCIPAL, inventory.kind, inventory.id);
}

/** Holds the order's seats again after its hold expired; null when any of them is taken. */
async function holdAgain(deps: AppDeps, order: OrderRow, wanted: Wanted): Promise<Hold | null> {
  const capacities = wanted.ga.size > 0 ? await findGaCapacities(deps.database.db, wanted.inventory.id) : new Map();
  const ga = [...wanted.ga]
    .map(([areaId, quantity]) => ({ areaId, quantity, capacity: capacities.get(areaId) ?? 0 }))
    .sort((a, b) => (a.areaId < b.areaId ? -1 : 1));
  const result = await deps.holdStore.create({
    token: newHoldToken(),
    inventory: wanted.inventory,
    owner: `order:${order.id}`,
    seatIds: wanted.seatLines.map((line) => line.seatId).sort(),
    ga,
    segment: wanted.segment,
    ttlMs: REHOLD_TTL_MS,
  });
  return result.ok ? result.hold : null;
}

/** After the database refused the sale: cancel the order for a refund, unless a rival call confirmed it. */
async function recordRefundRequired(deps: AppDeps, orderId: string, reason: string): Promise<ConfirmationResult> {
  return deps.database.db.transaction().execute(async (trx): Promise<ConfirmationResult> => {
    const locked = await lockOrderForConfirmation(trx, orderId);
    const lockedOutcome = await settledOutcome(trx, locked);
    if (lockedOutcome) return lockedOutcome;
    await markOrderRefundRequired(trx, orderId, deps.clock.now());
    // The buyer gets nothing, so the coupon use comes back.
    await returnRedemption(trx, orderId);
    return { outcome: 'refund_required', reason, ticketIds: [] };
  });
}

/** Releases a hold after a sale or a failed attempt; a hold that is already gone is fine. */
async function releaseQuietly(deps: AppDeps, hold: Hold | null): Promise<void> {
  if (!hold) return;
  try {
    await deps.holdStore.release(hold.token, hold.owner);
  } catch {
    // The hold expires on its own; its seats are sold or free either way.
  }
}
