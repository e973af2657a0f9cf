import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import { canManageOrganizer, type Principal } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import type { Db } from '../db/client.js';
import type { Database, InventoryKind } from '../db/schema.js';
import { returnRedemption } from '../coupons/coupon-redemption.js';
import type { InventoryRef } from '../inventory/hold-store.js';
import { enqueueDomainEvent } from '../jobs/domain-events.js';
import { requestNotifications } from '../notifications/notification.service.js';
import { completeRefund, refundOrderPayment } from '../payments/payment.service.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import {
  addCodeAttempt,
  cancelSeatSalesOfLines,
  countCodesSince,
  findLinesForCancellation,
  findOpenOrderIds,
  findOrderById,
  findSaleStart,
  insertCancellationCode,
  lockEventForCancellation,
  lockLatestCancellationCode,
  lockOrderForCancellation,
  lockTripForCancellation,
  markCodeUsed,
  markLinesCancelled,
  markOrderCancelled,
  markTicketsCancelled,
  refundKeptFees,
  setEventCancelled,
  setTripCancelled,
  subtractGaSold,
  touchOrder,
  type CancellableOrderRow,
  type LineForCancellation,
} from './cancellation.repository.js';
import { DEFAULT_REFUND_POLICY, quoteRefund, type RefundPolicyTerms, type RefundRule } from './refund-policy.js';
import { findGoverningRefundPolicy } from './refund-policy.repository.js';

/** One-time cancellation codes: 6 digits, valid 10 minutes, 5 tries, at most 5 issued per order per hour. */
export const CANCELLATION_CODE_TTL_MS = 10 * 60_000;
export const CANCELLATION_CODE_MAX_ATTEMPTS = 5;
const CODES_PER_ORDER_PER_HOUR = 5;

/** The policy that governed a quote and where it came from. */
export interface AppliedPolicy {
  id: string | null;
  name: string;
  /** 'default' when no policy was set: full refund at least 48 h before, none after. */
  scopeKind: 'organizer' | 'event' | 'route' | 'default';
  rule: RefundRule | null;
}

export interface CancellationLineQuote {
  lineId: string;
  label: string;
  total: number;
  fee: number;
  refund: number;
}

/** What cancelling some lines of an order would refund. */
export interface CancellationQuote {
  orderId: string;
  currency: string;
  orderStatus: CancellableOrderRow['status'];
  hoursBefore: number;
  /** False when these lines cannot be cancelled now; `reason` says why with an error code. */
  cancellable: boolean;
  reason: { code: 'cancellation.checked_in' | 'cancellation.not_allowed'; message: string } | null;
  /** A paid order needs a one-time code (POST …/cancellation-code); an unpaid one is cancelled without. */
  requiresCode: boolean;
  policy: AppliedPolicy;
  lines: CancellationLineQuote[];
  fee: number;
  refund: number;
}

export interface CancellationResult {
  orderId: string;
  orderStatus: CancellableOrderRow['status'];
  cancelledLineIds: string[];
  lines: CancellationLineQuote[];
  fee: number;
  refund: {
    amount: number;
    refundId: string | null;
    /** none: nothing to pay back; pending: recorded, on its way to the provider. */
    status: 'none' | 'pending' | 'done' | 'failed';
  };
  couponReturned: boolean;
}

export interface InventoryCancellationResult {
  inventoryKind: InventoryKind;
  inventoryId: string;
  status: 'cancelled';
  ordersCancelled: number;
  ordersRefunded: number;
  refundedAmount: number;
  failures: { orderId: string; code: string; message: string }[];
}

/** A cancellation code as issued (it is sent to the buyer by the notifications module; listeners see it too). */
export interface IssuedCancellationCode {
  orderId: string;
  orderCode: string;
  userId: string;
  code: string;
  lineIds: string[];
  expiresAt: Date;
}

type CodeListener = (issued: IssuedCancellationCode) => void;
const codeListeners = new WeakMap<AppDeps, Set<CodeListener>>();

/**
 * Subscribes to cancellation codes as they are issued by this app (the mailer subscribes here; tests read
 * codes this way). Returns the unsubscribe function.
 */
export function onCancellationCodeIssued(deps: AppDeps, listener: CodeListener): () => void {
  let listeners = codeListeners.get(deps);
  if (!listeners) {
    listeners = new Set();
    codeListeners.set(deps, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function hashCode(secret: string, codeId: string, code: string): string {
  return createHmac('sha256', secret).update(`cancellation:${codeId}:${code}`).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The refund idempotency key of cancelling these lines: the same lines always mean the same refund. */
export function cancellationRefundKey(orderId: string, lineIds: readonly string[]): string {
  return `cancel:${orderId}:${[...lineIds].sort().join(',')}`;
}

const isPaid = (order: CancellableOrderRow) =>
  order.payment_status === 'paid' || order.payment_status === 'partially_refunded';

interface CancellationPlan {
  order: CancellableOrderRow;
  selected: LineForCancellation[];
  allActiveSelected: boolean;
  quote: CancellationQuote;
}

/**
 * Customer cancellations (quote, one-time code, cancel some or all lines) and organizer cancellations of
 * a whole event or trip. Refunds follow the refund policy and go through the payments module, recorded in
 * the cancelling transaction under the order lock, so two cancellations of one order never refund twice.
 */
export class CancellationService {
  private readonly db: Db;

  constructor(private readonly deps: AppDeps) {
    this.db = deps.database.db;
  }

  private async policyFor(
    db: Db | Transaction<Database>,
    order: CancellableOrderRow,
    start: { eventId: string | null; routeId: string | null },
  ) {
    const row = await findGoverningRefundPolicy(db, { organizerId: order.organizer_id, ...start });
    const terms: RefundPolicyTerms = row ? { rules: row.rules, minFee: row.min_fee } : DEFAULT_REFUND_POLICY;
    const source = row
      ? { id: row.id, name: row.name, scopeKind: row.scope_kind }
      : { id: null, name: 'Default: full refund at least 48 hours before, none after', scopeKind: 'default' as const };
    return { terms, source };
  }

  /**
   * Works out what cancelling `lineIds` (all active lines when absent) would do. Throws for requests that
   * make no sense (unknown lines 400, lines already cancelled 409); returns `cancellable: false` with a
   * reason for requests that are valid but refused now (checked in, too late, partial on an unpaid order).
   */
  private async plan(
    db: Db | Transaction<Database>,
    order: CancellableOrderRow,
    lineIds: readonly string[] | undefined,
    now: Date,
  ): Promise<CancellationPlan> {
    if (order.status === 'cancelled') {
      throw new AppError('cancellation.already_cancelled', 'This order is already cancelled', { orderId: order.id });
    }
    if (order.status === 'expired') {
      throw new AppError('cancellation.not_allowed', 'This order expired unpaid; there is nothing to cancel');
    }
    const lines = await findLinesForCancellation(db, order.id);
    const active = lines.filter((line) => line.status === 'active');
    let selected: LineForCancellation[];
    if (lineIds === undefined) {
      selected = active;
    } else {
      const byId = new Map(lines.map((line) => [line.id, line]));
      const unknown = lineIds.filter((id) => !byId.has(id));
      if (unknown.length > 0) {
        throw new AppError('cancellation.line_unknown', 'These lines are not part of the order', { lineIds: unknown });
      }
      selected = [...new Set(lineIds)].map((id) => byId.get(id)!);
    }
    const alreadyCancelled = selected.filter((line) => line.status !== 'active').map((line) => line.id);
    if (selected.length === 0 || alreadyCancelled.length > 0) {
      throw new AppError('cancellation.already_cancelled', 'These seats are already cancelled', {
        lineIds: alreadyCancelled,
      });
    }
    const allActiveSelected = selected.length === active.length;

    const start = await findSaleStart(db, order);
    if (!start) throw notFound('Order', order.id);
    const hoursBefore = (start.startsAt.getTime() - now.getTime()) / 3_600_000;
    const { terms, source } = await this.policyFor(db, order, start);
    const paid = isPaid(order);
    const refundQuote = quoteRefund(terms, {
      lines: selected.map((line) => ({ total: paid ? line.total - line.refunded_amount : 0, category: line.category })),
      hoursBefore,
    });

    let reason: CancellationQuote['reason'] = null;
    const checkedIn = selected.filter((line) => line.checked_in_at !== null);
    if (checkedIn.length > 0) {
      reason = { code: 'cancellation.checked_in', message: 'Checked-in tickets cannot be cancelled' };
    } else if (order.status === 'pending_payment' && !allActiveSelected) {
      reason = { code: 'cancellation.not_allowed', message: 'An unpaid order is cancelled whole, not seat by seat' };
    } else if (order.status === 'confirmed' && !refundQuote.refundable) {
      reason = { code: 'cancellation.not_allowed', message: 'It is too late to cancel under the refund policy' };
    }
    const unpaidOrder = order.status === 'pending_payment';
    const lineQuotes = selected.map((line, i) => ({
      lineId: line.id,
      label: line.label,
      total: line.total,
      fee: unpaidOrder ? 0 : refundQuote.lines[i]!.fee,
      refund: unpaidOrder ? 0 : refundQuote.lines[i]!.refund,
    }));
    return {
      order,
      selected,
      allActiveSelected,
      quote: {
        orderId: order.id,
        currency: order.currency,
        orderStatus: order.status,
        hoursBefore: Math.round(hoursBefore * 100) / 100,
        cancellable: reason === null,
        reason,
        requiresCode: order.status === 'confirmed',
        policy: { ...source, rule: refundQuote.rule },
        lines: lineQuotes,
        fee: lineQuotes.reduce((sum, line) => sum + line.fee, 0),
        refund: lineQuotes.reduce((sum, line) => sum + line.refund, 0),
      },
    };
  }

  private async ownedOrder(principal: Principal, orderId: string): Promise<CancellableOrderRow> {
    const order = await findOrderById(this.db, orderId);
    if (!order || order.user_id !== principal.userId) throw notFound('Order', orderId);
    return order;
  }

  /** What cancelling some (or all) lines of the caller's order would refund, per line and in total. */
  async quoteCancellation(
    principal: Principal,
    orderId: string,
    lineIds?: readonly string[],
  ): Promise<CancellationQuote> {
    const order = await this.ownedOrder(principal, orderId);
    return (await this.plan(this.db, order, lineIds, this.deps.clock.now())).quote;
  }

  /**
   * Issues a one-time code to confirm the cancellation of these lines of a paid order. Only its hash is
   * kept with the code; the message to the buyer is enqueued in the same transaction (and cleared of the
   * code once sent). The newest code replaces older ones.
   */
  async issueCode(principal: Principal, orderId: string, lineIds?: readonly string[]): Promise<IssuedCancellationCode> {
    const order = await this.ownedOrder(principal, orderId);
    if (order.status === 'pending_payment') {
      throw new AppError('cancellation.not_allowed', 'An unpaid order is cancelled without a code');
    }
    const now = this.deps.clock.now();
    const { quote } = await this.plan(this.db, order, lineIds, now);
    if (!quote.cancellable) throw new AppError(quote.reason!.code, quote.reason!.message);
    if ((await countCodesSince(this.db, order.id, new Date(now.getTime() - 3_600_000))) >= CODES_PER_ORDER_PER_HOUR) {
      throw new AppError('request.rate_limited', 'Too many cancellation codes for this order; try again later');
    }
    const id = newId('cancellationCode');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const issued: IssuedCancellationCode = {
      orderId: order.id,
      orderCode: order.code,
      userId: principal.userId,
      code,
      lineIds: quote.lines.map((line) => line.lineId).sort(),
      expiresAt: new Date(now.getTime() + CANCELLATION_CODE_TTL_MS),
    };
    await this.db.transaction().execute(async (trx) => {
      await insertCancellationCode(trx, {
        id,
        orderId: order.id,
        userId: principal.userId,
        codeHash: hashCode(this.deps.jwtSecret, id, code),
        lineIds: issued.lineIds,
        expiresAt: issued.expiresAt,
      });
      // The code reaches the buyer by email (and SMS when chosen) even with both turned off: it is the only
      // way to confirm the cancellation.
      await requestNotifications(trx, [
        {
          dedupeKey: `code:${id}`,
          kind: 'cancellation_code',
          params: { code, seatCount: issued.lineIds.length, validMinutes: CANCELLATION_CODE_TTL_MS / 60_000 },
          userId: principal.userId,
          organizerId: order.organizer_id,
          orderId: order.id,
          mandatory: true,
        },
      ]);
    });
    for (const listener of codeListeners.get(this.deps) ?? []) listener(issued);
    return issued;
  }

  /**
   * Cancels lines of the caller's order. A paid order needs the one-time code issued for exactly these
   * lines (none given: the lines the code was issued for); an unpaid order is cancelled whole without one
   * and gives its coupon use back. Seats go back on sale at once; the refund follows the policy.
   */
  async cancelOrder(
    principal: Principal,
    orderId: string,
    input: { code?: string; lineIds?: readonly string[] },
  ): Promise<CancellationResult> {
    await this.ownedOrder(principal, orderId);
    const now = this.deps.clock.now();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const order = await lockOrderForCancellation(trx, orderId);
      if (!order || order.user_id !== principal.userId) throw notFound('Order', orderId);
      if (order.status !== 'confirmed') {
        // Unpaid (or already cancelled / expired: plan() says so): no code, whole order only.
        const plan = await this.plan(trx, order, input.lineIds, now);
        if (!plan.quote.cancellable) throw new AppError(plan.quote.reason!.code, plan.quote.reason!.message);
        return { kind: 'done' as const, ...(await this.applyCancellation(trx, plan, now, 'customer')) };
      }
      if (input.code === undefined) {
        throw new AppError(
          'cancellation.code_required',
          'Cancelling a paid order needs the code sent to you: POST …/cancellation-code',
        );
      }
      const codeRow = await lockLatestCancellationCode(trx, order.id, principal.userId);
      if (!codeRow) throw new AppError('cancellation.code_invalid', 'No cancellation code was issued for this order');
      const lineIds = input.lineIds ?? codeRow.line_ids;
      // The lines are checked before the code: a repeated cancellation learns the seats are already cancelled.
      const plan = await this.plan(trx, order, lineIds, now);
      if (!plan.quote.cancellable) throw new AppError(plan.quote.reason!.code, plan.quote.reason!.message);
      const planned = plan.selected.map((line) => line.id).sort();
      if (planned.join(',') !== [...codeRow.line_ids].sort().join(',')) {
        throw new AppError('cancellation.code_invalid', 'This code was issued for other seats; request a new one', {
          codeLineIds: codeRow.line_ids,
        });
      }
      if (codeRow.used_at !== null || codeRow.expires_at <= now || codeRow.attempts >= CANCELLATION_CODE_MAX_ATTEMPTS) {
        throw new AppError(
          'cancellation.code_expired',
          'This cancellation code has expired or was used; request a new one',
        );
      }
      if (!sameHash(codeRow.code_hash, hashCode(this.deps.jwtSecret, codeRow.id, input.code))) {
        await addCodeAttempt(trx, codeRow.id);
        // Returned, not thrown: the attempt must be committed.
        return { kind: 'wrong_code' as const, attemptsLeft: CANCELLATION_CODE_MAX_ATTEMPTS - codeRow.attempts - 1 };
      }
      await markCodeUsed(trx, codeRow.id, now);
      return { kind: 'done' as const, ...(await this.applyCancellation(trx, plan, now, 'customer')) };
    });
    if (outcome.kind === 'wrong_code') {
      throw new AppError('cancellation.code_invalid', 'The cancellation code is not correct', {
        attemptsLeft: outcome.attemptsLeft,
      });
    }
    await this.afterCommit(outcome.after);
    return outcome.result;
  }

  /**
   * Applies a planned cancellation inside the order's transaction: lines, tickets, seat sales and GA
   * counters, the coupon use of an unpaid order, the order status, and the refund record.
   */
  private async applyCancellation(
    trx: Transaction<Database>,
    plan: CancellationPlan,
    now: Date,
    by: 'customer' | 'organizer',
    refundReason?: string,
  ): Promise<{ result: CancellationResult; after: AfterCommit }> {
    const { order, selected, quote } = plan;
    const lineIds = selected.map((line) => line.id);
    await markLinesCancelled(
      trx,
      quote.lines.map((line) => ({ id: line.lineId, refund: line.refund })),
      now,
    );
    await markTicketsCancelled(trx, lineIds);
    const seatsFreed = await cancelSeatSalesOfLines(trx, order.id, lineIds);
    const gaByArea = new Map<string, number>();
    // GA units are sold only when the order was confirmed; an unpaid order's units are only held.
    if (order.confirmed_at !== null) {
      for (const line of selected) if (line.area_id) gaByArea.set(line.area_id, (gaByArea.get(line.area_id) ?? 0) + 1);
      for (const [areaId, quantity] of [...gaByArea].sort())
        await subtractGaSold(trx, order.inventory_id, areaId, quantity);
    }
    const whole = plan.allActiveSelected;
    let couponReturned = false;
    if (whole) {
      await markOrderCancelled(trx, order.id, now);
      if (order.status === 'pending_payment') couponReturned = await returnRedemption(trx, order.id);
    } else {
      await touchOrder(trx, order.id, now);
    }
    await enqueueDomainEvent(
      trx,
      order.organizer_id,
      {
        type: 'order.cancelled',
        orderId: order.id,
        lineIds,
        whole,
        refundAmount: quote.refund,
        fee: quote.fee,
        by,
      },
      now,
    );
    const amount = quote.refund;
    let refund: CancellationResult['refund'] = { amount: 0, refundId: null, status: 'none' };
    if (amount > 0) {
      const recorded = await refundOrderPayment(this.deps, trx, {
        orderId: order.id,
        amount,
        reason:
          refundReason ??
          (by === 'organizer'
            ? 'The organizer cancelled the event or trip: full refund'
            : `Cancelled ${lineIds.length} of the order's seats; fee kept ${quote.fee}`),
        idempotencyKey: cancellationRefundKey(order.id, lineIds),
      });
      refund = { amount, refundId: recorded.refundId, status: recorded.status };
    }
    return {
      result: {
        orderId: order.id,
        orderStatus: whole ? 'cancelled' : order.status,
        cancelledLineIds: lineIds,
        lines: quote.lines,
        fee: quote.fee,
        refund,
        couponReturned,
      },
      after: {
        inventory: seatsFreed > 0 || gaByArea.size > 0 ? { kind: order.inventory_kind, id: order.inventory_id } : null,
        releaseHoldToken: order.status === 'pending_payment' && whole ? order.hold_token : null,
        refund: refund.refundId && refund.status === 'pending' ? { id: refund.refundId, result: refund } : null,
      },
    };
  }

  /** After the commit: tell the hold store, free an unpaid order's hold, send the refund to the provider. */
  private async afterCommit(after: AfterCommit): Promise<void> {
    if (after.inventory) await this.deps.holdStore.syncSold(after.inventory);
    if (after.releaseHoldToken) {
      const hold = await this.deps.holdStore.get(after.releaseHoldToken);
      if (hold) await this.deps.holdStore.release(hold.token, hold.owner);
    }
    if (after.refund) {
      try {
        after.refund.result.status = await completeRefund(this.deps, after.refund.id);
      } catch {
        // Left pending: the payments module retries pending refunds on its own.
      }
    }
  }

  /**
   * The organizer cancels a whole event or trip: its status becomes cancelled (no more sales), then every
   * open order is cancelled — paid ones refunded in full whatever the policy, checked-in tickets included —
   * one transaction per order. Safe to repeat: a second run picks up what a failure left behind.
   */
  async cancelInventory(principal: Principal, kind: InventoryKind, id: string): Promise<InventoryCancellationResult> {
    const now = this.deps.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const row = kind === 'event' ? await lockEventForCancellation(trx, id) : await lockTripForCancellation(trx, id);
      if (!row || !canManageOrganizer(principal, row.organizer_id))
        throw notFound(kind === 'event' ? 'Event' : 'Trip', id);
      if (row.status !== 'cancelled') {
        if (kind === 'event') await setEventCancelled(trx, id, now);
        else await setTripCancelled(trx, id, now);
        // Webhooks only: every buyer hears from their own order's cancellation (with its refund) below.
        await enqueueDomainEvent(
          trx,
          row.organizer_id,
          kind === 'event'
            ? { type: 'event.cancelled', eventId: id }
            : {
                type: 'trip.cancelled',
                tripId: id,
                fromStopIndex: null,
                toStopIndex: null,
                reason: 'Cancelled by the organizer',
                notifyPassengers: false,
              },
          now,
        );
      }
    });
    // No more holds or bookings here from this process's caches (others stop within their cache's second;
    // a confirmation racing this one cancels its own order, see order-confirmation.service.ts).
    this.deps.holdService.invalidate(id);
    const result: InventoryCancellationResult = {
      inventoryKind: kind,
      inventoryId: id,
      status: 'cancelled',
      ordersCancelled: 0,
      ordersRefunded: 0,
      refundedAmount: 0,
      failures: [],
    };
    let cursor = '';
    let seatsChanged = false;
    for (;;) {
      const orderIds = await findOpenOrderIds(this.db, id, cursor, 100);
      if (orderIds.length === 0) break;
      cursor = orderIds[orderIds.length - 1]!;
      for (const orderId of orderIds) {
        try {
          const outcome = await this.db.transaction().execute(async (trx) => {
            const order = await lockOrderForCancellation(trx, orderId);
            if (!order || (order.status !== 'confirmed' && order.status !== 'pending_payment')) return null;
            const plan = await this.plan(trx, order, undefined, now);
            // Full refund: the organizer's cancellation overrides the policy and the check-in rule.
            await refundInFull(trx, plan, true);
            plan.allActiveSelected = true;
            return this.applyCancellation(trx, plan, now, 'organizer');
          });
          if (!outcome) continue;
          result.ordersCancelled += 1;
          if (outcome.result.refund.amount > 0) {
            result.ordersRefunded += 1;
            result.refundedAmount += outcome.result.refund.amount;
          }
          seatsChanged ||= outcome.after.inventory !== null;
          await this.afterCommit({ ...outcome.after, inventory: null });
        } catch (error) {
          const appError = error instanceof AppError ? error : null;
          result.failures.push({
            orderId,
            code: appError?.code ?? 'internal',
            message: appError?.message ?? 'The order could not be cancelled; run the cancellation again',
          });
        }
      }
    }
    if (seatsChanged) await this.deps.holdStore.syncSold({ kind, id });
    return result;
  }

  /**
   * The organizer cancels seats of a paid order — `lineIds`, or every active seat — and refunds in full
   * what was paid for them, whatever the refund policy (the whole order: the fees kept on seats the buyer
   * cancelled earlier too). Seats go back on sale at once. The same transaction, lock and refund path as a
   * buyer's cancellation; checked-in tickets are refused (refund an amount instead).
   */
  async refundSeatsByOrganizer(
    principal: Principal,
    orderId: string,
    input: { lineIds?: readonly string[] | undefined; reason: string },
  ): Promise<CancellationResult> {
    const now = this.deps.clock.now();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const order = await lockOrderForCancellation(trx, orderId);
      if (!order || !canManageOrganizer(principal, order.organizer_id)) throw notFound('Order', orderId);
      if (order.status === 'cancelled') {
        throw new AppError('cancellation.already_cancelled', 'This order is already cancelled', { orderId });
      }
      if (order.status === 'pending_payment' || !isPaid(order)) {
        throw new AppError('refund.not_refundable', 'This order has not been paid; there is nothing to refund', {
          status: order.status,
          paymentStatus: order.payment_status,
        });
      }
      const plan = await this.plan(trx, order, input.lineIds, now);
      if (plan.quote.reason?.code === 'cancellation.checked_in') {
        throw new AppError(
          'cancellation.checked_in',
          'Checked-in tickets cannot be cancelled; refund an amount instead',
        );
      }
      await refundInFull(trx, plan, plan.allActiveSelected);
      capRefund(plan, order.total - order.refunded_amount);
      return this.applyCancellation(trx, plan, now, 'organizer', `Refunded by the organizer: ${input.reason}`);
    });
    await this.afterCommit(outcome.after);
    return outcome.result;
  }
}

/**
 * Turns a plan into a full refund of what was paid for its lines, whatever the refund policy says; with
 * `keptFees`, the fees kept on seats the buyer cancelled earlier come back too.
 */
async function refundInFull(trx: Transaction<Database>, plan: CancellationPlan, keptFees: boolean): Promise<void> {
  const { order } = plan;
  plan.quote.lines = plan.quote.lines.map((line, i) => {
    const paid = isPaid(order) ? plan.selected[i]!.total - plan.selected[i]!.refunded_amount : 0;
    return { ...line, fee: 0, refund: paid };
  });
  plan.quote.fee = 0;
  const kept = keptFees && isPaid(order) ? await refundKeptFees(trx, order.id) : 0;
  plan.quote.refund = plan.quote.lines.reduce((sum, line) => sum + line.refund, kept);
}

/**
 * Never more than is left of the payment: an amount refunded earlier without cancelling seats (a goodwill
 * refund) is taken off the last lines first.
 */
function capRefund(plan: CancellationPlan, left: number): void {
  let excess = plan.quote.refund - Math.max(0, left);
  if (excess <= 0) return;
  plan.quote.refund -= excess;
  for (let i = plan.quote.lines.length - 1; i >= 0 && excess > 0; i--) {
    const line = plan.quote.lines[i]!;
    const cut = Math.min(line.refund, excess);
    plan.quote.lines[i] = { ...line, refund: line.refund - cut };
    excess -= cut;
  }
}

interface AfterCommit {
  inventory: InventoryRef | null;
  releaseHoldToken: string | null;
  refund: { id: string; result: CancellationResult['refund'] } | null;
}
