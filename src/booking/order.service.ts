import type { Transaction } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { canManageOrganizer } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { quoteCoupon, recordRedemption } from '../coupons/coupon-redemption.js';
import type { Database } from '../db/schema.js';
import type { Hold } from '../inventory/hold-store.js';
import type { HoldTarget } from '../inventory/hold.service.js';
import { AppError } from '../shared/errors.js';
import { ID_PREFIX, newId } from '../shared/ids.js';
import { TtlCache } from '../shared/ttl-cache.js';
import { quoteFares, type Fare } from '../transport/fare-quote.js';
import { newOrderCode } from './booking-codes.js';
import { priceLines, sumLines } from './order-pricing.js';
import {
  findBookingConflicts,
  findCouponCode,
  findEventForBooking,
  findEventPriceMap,
  findFaresOfRoute,
  findGaAreasOfLayout,
  findOrderLines,
  findOrderLinesOf,
  findOrderSummary,
  findOrganizerTerms,
  findTripForBooking,
  findTripStopIds,
  insertOrderWithLines,
  listOrdersOfUser,
  lockKeys,
  type NewOrderLine,
  type OrderLineRow,
  type OrderSummaryRow,
} from './order.repository.js';

export interface PassengerInput {
  seatId: string;
  name: string;
  age?: number | undefined;
  gender?: 'female' | 'male' | 'other' | undefined;
}

export interface CreateOrderInput {
  principal: Principal;
  /** The X-Session-Id of the caller: a hold made before logging in belongs to it. */
  sessionId: string | undefined;
  /** Book an existing hold … */
  holdToken?: string | undefined;
  /** … or hold and book in one step. */
  target?: HoldTarget | undefined;
  seatIds?: readonly string[] | undefined;
  ga?: readonly { areaId: string; quantity: number }[] | undefined;
  passengers?: readonly PassengerInput[] | undefined;
  couponCode?: string | undefined;
}

export interface OrderView {
  order: OrderSummaryRow;
  lines: OrderLineRow[];
  couponCode: string | null;
}

/** A line before it is priced and stored. */
interface DraftLine {
  seatId: string | null;
  areaId: string | null;
  label: string;
  category: string;
  price: number;
  passenger: PassengerInput | null;
}

/** What an order is for, resolved from its hold. */
interface OrderTarget {
  organizerId: string;
  routeId: string | null;
  layoutId: string;
  prices: (category: string) => number | undefined;
}

const ORDER_CODE_ATTEMPTS = 3;

type OrganizerTerms = NonNullable<Awaited<ReturnType<typeof findOrganizerTerms>>>;

/** What booking needs to know of an event or trip, as read from the database. */
type SaleTerms =
  | {
      kind: 'event';
      organizerId: string;
      layoutId: string;
      status: string;
      startsAt: Date;
      prices: Map<string, number>;
    }
  | {
      kind: 'trip';
      organizerId: string;
      routeId: string;
      layoutId: string;
      status: string;
      stops: { departs_at: Date }[];
      fares: Fare[];
    };

/**
 * Sale terms and organizer terms are read at every booking of an on-sale, so they are kept for a second
 * (as the hold service keeps sale state): a change by an organizer reaches other API processes within it,
 * and this one at once (HoldService.invalidate).
 */
const TERMS_TTL_MS = 1000;

/**
 * Orders: turns a hold into an order with one priced line per seat (per passenger for trips) and per GA
 * unit, within the organizer's limits, with an optional coupon; lists and shows a buyer's orders.
 */
export class OrderService {
  private readonly saleTerms = new TtlCache<SaleTerms | null>(TERMS_TTL_MS, 5000);
  private readonly organizerTerms = new TtlCache<OrganizerTerms | null>(TERMS_TTL_MS, 1000);

  constructor(private readonly deps: AppDeps) {
    deps.holdService.onInvalidate((inventoryId) => this.saleTerms.delete(inventoryId));
  }

  async createOrder(input: CreateOrderInput): Promise<OrderView> {
    const { holdService, holdStore } = this.deps;
    const userId = input.principal.userId;
    let hold: Hold;
    let createdHold = false;
    if (input.holdToken !== undefined) {
      const found = await holdStore.get(input.holdToken);
      if (!found || !ownsHold(found.owner, userId, input.sessionId)) {
        throw new AppError('hold.not_found', 'This hold does not exist, has expired or was released', {
          token: input.holdToken,
        });
      }
      hold = found;
    } else {
      if (!input.target) throw new AppError('request.invalid', 'Send a holdToken, or an eventId or tripId with seats');
      if (input.target.kind === 'trip')
        checkPassengersCoverSeats(input.seatIds ?? [], input.ga ?? [], input.passengers);
      hold = await holdService.createHold({
        target: input.target,
        owner: userId,
        seatIds: input.seatIds ?? [],
        ga: input.ga ?? [],
      });
      createdHold = true;
    }

    try {
      return await this.bookHold(input, hold);
    } catch (error) {
      if (createdHold) await holdStore.release(hold.token, hold.owner).catch(() => false);
      throw error;
    }
  }

  private async bookHold(input: CreateOrderInput, hold: Hold): Promise<OrderView> {
    const { database, holdService } = this.deps;
    const db = database.db;
    const userId = input.principal.userId;
    if (hold.inventory.kind === 'trip') checkPassengersCoverSeats(hold.seatIds, hold.ga, input.passengers);
    else if (input.passengers !== undefined && input.passengers.length > 0) {
      throw new AppError('booking.passengers_invalid', 'Passengers apply to trips only');
    }

    const target = await this.resolveTarget(hold);
    const terms = await this.organizerTerms.getOrLoad(
      target.organizerId,
      async () => (await findOrganizerTerms(db, target.organizerId)) ?? null,
    );
    if (!terms) throw new AppError('resource.not_found', 'The organizer was not found');
    const draft = await this.draftLines(hold, target, input.passengers ?? []);
    if (draft.length > terms.max_seats_per_order) {
      throw new AppError('booking.limit_exceeded', `At most ${terms.max_seats_per_order} seats per order`, {
        limit: 'per_order',
        max: terms.max_seats_per_order,
        requested: draft.length,
      });
    }

    // Reaching payment extends the hold once; a hold already extended keeps its expiry.
    let expiresAt = hold.expiresAt;
    try {
      expiresAt = (await holdService.extendHeldHold(hold)).expiresAt;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'hold.extension_used')) throw error;
    }

    let orderId = '';
    for (let attempt = 1; ; attempt++) {
      orderId = newId('order');
      try {
        await db.transaction().execute((trx) =>
          this.insertOrderWithLines(trx, {
            orderId,
            userId,
            hold,
            target,
            terms,
            draft,
            expiresAt,
            couponCode: input.couponCode,
          }),
        );
        break;
      } catch (error) {
        // 40 random bits make a repeated booking reference rare; try another one then.
        const constraint = (error as { code?: string; constraint?: string }).constraint;
        if (attempt < ORDER_CODE_ATTEMPTS && constraint === 'orders_code_key') continue;
        throw error;
      }
    }
    return this.viewOf(orderId);
  }

  private async insertOrderWithLines(
    trx: Transaction<Database>,
    order: {
      orderId: string;
      userId: string;
      hold: Hold;
      target: OrderTarget;
      terms: OrganizerTerms;
      draft: DraftLine[];
      expiresAt: Date;
      couponCode: string | undefined;
    },
  ): Promise<void> {
    const { hold, terms, draft, userId } = order;
    const now = this.deps.clock.now();
    // One hold makes one order; one buyer's orders for one inventory are counted one at a time.
    await lockKeys(trx, [`order-hold:${hold.token}`, `order-buyer:${userId}:${hold.inventory.id}`]);
    const conflicts = await findBookingConflicts(trx, {
      holdToken: hold.token,
      userId,
      inventoryId: hold.inventory.id,
      now,
    });
    if (conflicts.holdBooked) {
      throw new AppError('booking.hold_already_booked', 'An order for this hold already exists');
    }
    const already = conflicts.buyerSeats;
    if (already + draft.length > terms.max_seats_per_buyer) {
      throw new AppError(
        'booking.limit_exceeded',
        `At most ${terms.max_seats_per_buyer} seats per buyer for this ${hold.inventory.kind}`,
        { limit: 'per_buyer', max: terms.max_seats_per_buyer, alreadyBooked: already, requested: draft.length },
      );
    }

    let couponId: string | null = null;
    let lineDiscounts: number[] | undefined;
    if (order.couponCode !== undefined) {
      const quote = await quoteCoupon(trx, {
        code: order.couponCode,
        organizerId: order.target.organizerId,
        userId,
        inventory: { kind: hold.inventory.kind, id: hold.inventory.id },
        routeId: order.target.routeId,
        lines: draft.map((line) => ({ category: line.category, price: line.price })),
        now,
      });
      couponId = quote.couponId;
      lineDiscounts = quote.lineDiscounts;
    }
    const charges = priceLines(draft, {
      feePerSeat: terms.booking_fee_per_seat,
      taxRateBp: terms.tax_rate_bp,
      ...(lineDiscounts ? { lineDiscounts } : {}),
    });
    const totals = sumLines(charges);
    const newOrder = {
      id: order.orderId,
      code: newOrderCode(),
      user_id: userId,
      organizer_id: order.target.organizerId,
      inventory_kind: hold.inventory.kind,
      inventory_id: hold.inventory.id,
      from_index: hold.segment.from,
      to_index: hold.segment.to,
      hold_token: hold.token,
      currency: terms.currency,
      subtotal: totals.subtotal,
      booking_fee: totals.bookingFee,
      discount: totals.discount,
      tax: totals.tax,
      total: totals.total,
      coupon_id: couponId,
      expires_at: order.expiresAt,
    };
    const lines: NewOrderLine[] = draft.map((line, index) => ({
      id: newId('orderLine'),
      order_id: order.orderId,
      seat_id: line.seatId,
      area_id: line.areaId,
      label: line.label,
      category: line.category,
      passenger_name: line.passenger?.name.trim() ?? null,
      passenger_age: line.passenger?.age ?? null,
      passenger_gender: line.passenger?.gender ?? null,
      ...charges[index]!,
    }));
    await insertOrderWithLines(trx, newOrder, lines);
    if (couponId !== null) await recordRedemption(trx, { couponId, orderId: order.orderId, userId });
  }

  /** The event or trip of a hold, checked to be still on sale, with its price list. */
  private async resolveTarget(hold: Hold): Promise<OrderTarget> {
    const now = this.deps.clock.now();
    const terms = await this.saleTerms.getOrLoad(hold.inventory.id, () => this.loadSaleTerms(hold.inventory));
    if (!terms || terms.kind !== hold.inventory.kind) {
      throw new AppError('resource.not_found', `The ${hold.inventory.kind} was not found`, { id: hold.inventory.id });
    }
    if (terms.kind === 'event') {
      if (terms.status !== 'on_sale' || now >= terms.startsAt) {
        throw new AppError('event.not_on_sale', 'Tickets for this event are no longer on sale', {
          status: terms.status,
        });
      }
      return {
        organizerId: terms.organizerId,
        routeId: null,
        layoutId: terms.layoutId,
        prices: (category) => terms.prices.get(category),
      };
    }
    const boarding = terms.stops[hold.segment.from];
    if (terms.status !== 'scheduled' || !boarding || now >= boarding.departs_at) {
      throw new AppError('trip.not_on_sale', 'Seats on this trip are no longer on sale', { status: terms.status });
    }
    const classes = [...new Set(terms.fares.map((fare) => fare.seatClass))];
    const quotes = quoteFares(terms.fares, hold.segment, classes);
    return {
      organizerId: terms.organizerId,
      routeId: terms.routeId,
      layoutId: terms.layoutId,
      prices: (category) => quotes.get(category),
    };
  }

  private async loadSaleTerms(inventory: Hold['inventory']): Promise<SaleTerms | null> {
    const db = this.deps.database.db;
    if (inventory.kind === 'event') {
      const event = await findEventForBooking(db, inventory.id);
      if (!event) return null;
      return {
        kind: 'event',
        organizerId: event.organizer_id,
        layoutId: event.layout_id,
        status: event.status,
        startsAt: event.starts_at,
        prices: await findEventPriceMap(db, event.id),
      };
    }
    const trip = await findTripForBooking(db, inventory.id);
    if (!trip) return null;
    const [stops, fares] = await Promise.all([findTripStopIds(db, trip.id), findFaresOfRoute(db, trip.route_id)]);
    return {
      kind: 'trip',
      organizerId: trip.organizer_id,
      routeId: trip.route_id,
      layoutId: trip.layout_id,
      status: trip.status,
      stops,
      fares: fares.map((fare) => ({
        fromIndex: fare.from_index,
        toIndex: fare.to_index,
        seatClass: fare.seat_class,
        amount: fare.amount,
      })),
    };
  }

  /** One line per seat (with its passenger on trips) and one per GA unit, priced by category. */
  private async draftLines(
    hold: Hold,
    target: OrderTarget,
    passengers: readonly PassengerInput[],
  ): Promise<DraftLine[]> {
    const layout = await this.deps.holdService.layoutSeats(target.layoutId);
    const passengerBySeat = new Map(passengers.map((passenger) => [passenger.seatId, passenger]));
    const lines: DraftLine[] = [];
    const unpriced = new Set<string>();
    for (const seatId of hold.seatIds) {
      const seat = layout.seats.get(seatId);
      const category = seat?.category ?? '';
      const price = target.prices(category);
      if (price === undefined) unpriced.add(category);
      lines.push({
        seatId,
        areaId: null,
        label: seat?.label ?? seatId,
        category,
        price: price ?? 0,
        passenger: passengerBySeat.get(seatId) ?? null,
      });
    }
    if (hold.ga.length > 0) {
      const areas = new Map((await findGaAreasOfLayout(this.deps.database.db, target.layoutId)).map((a) => [a.id, a]));
      for (const item of hold.ga) {
        const area = areas.get(item.areaId);
        const category = area?.category ?? '';
        const price = target.prices(category);
        if (price === undefined) unpriced.add(category);
        for (let unit = 0; unit < item.quantity; unit++) {
          lines.push({
            seatId: null,
            areaId: item.areaId,
            label: area?.name ?? item.areaId,
            category,
            price: price ?? 0,
            passenger: null,
          });
        }
      }
    }
    if (unpriced.size > 0) {
      throw new AppError('booking.price_unavailable', 'Some seats have no price here and cannot be booked', {
        categories: [...unpriced].sort(),
      });
    }
    return lines;
  }

  /** An order the principal may see: their own, or any of an organizer they manage. Else 404. */
  async getOrder(principal: Principal, orderId: string): Promise<OrderView> {
    const view = await this.findView(orderId);
    if (!view || !mayRead(principal, view.order)) {
      throw new AppError('resource.not_found', `Order ${orderId} was not found`, { id: orderId });
    }
    return view;
  }

  async listMyOrders(
    principal: Principal,
    query: { scope: 'upcoming' | 'past'; limit: number; offset: number },
  ): Promise<OrderView[]> {
    const db = this.deps.database.db;
    const orders = await listOrdersOfUser(db, { userId: principal.userId, now: this.deps.clock.now(), ...query });
    const lines = await findOrderLinesOf(
      db,
      orders.map((order) => order.id),
    );
    const couponIds = [...new Set(orders.map((order) => order.coupon_id).filter((id) => id !== null))];
    const codes = new Map<string, string>();
    for (const couponId of couponIds) {
      const coupon = await findCouponCode(db, couponId);
      if (coupon) codes.set(couponId, coupon.code);
    }
    return orders.map((order) => ({
      order,
      lines: lines.filter((line) => line.order_id === order.id),
      couponCode: order.coupon_id ? (codes.get(order.coupon_id) ?? null) : null,
    }));
  }

  private async viewOf(orderId: string): Promise<OrderView> {
    const view = await this.findView(orderId);
    if (!view) throw new AppError('resource.not_found', `Order ${orderId} was not found`, { id: orderId });
    return view;
  }

  private async findView(orderId: string): Promise<OrderView | null> {
    const db = this.deps.database.db;
    const order = await findOrderSummary(db, orderId);
    if (!order) return null;
    const lines = await findOrderLines(db, orderId);
    const couponCode = order.coupon_id ? ((await findCouponCode(db, order.coupon_id))?.code ?? null) : null;
    return { order, lines, couponCode };
  }
}

/**
 * A hold is the caller's when it is owned by their user id, or by the anonymous session they send — but a
 * session id can never stand in for a user id, or X-Session-Id: usr_… would claim another user's hold.
 */
function ownsHold(owner: string, userId: string, sessionId: string | undefined): boolean {
  if (owner === userId) return true;
  return sessionId !== undefined && owner === sessionId && !owner.startsWith(`${ID_PREFIX.user}_`);
}

/** The buyer, staff of the order's organizer, or an admin. */
export function mayRead(principal: Principal, order: { user_id: string; organizer_id: string }): boolean {
  return order.user_id === principal.userId || canManageOrganizer(principal, order.organizer_id);
}

/** On trips every seat travels with a named passenger, each seat once; GA units have no seat to name. */
function checkPassengersCoverSeats(
  seatIds: readonly string[],
  ga: readonly { quantity: number }[],
  passengers: readonly PassengerInput[] | undefined,
): void {
  if (ga.length > 0) {
    throw new AppError('booking.passengers_invalid', 'Trips sell seats, each with a named passenger');
  }
  const list = passengers ?? [];
  const seats = new Set(seatIds);
  const named = new Set<string>();
  const problems: { seatId: string; message: string }[] = [];
  for (const passenger of list) {
    if (!seats.has(passenger.seatId))
      problems.push({ seatId: passenger.seatId, message: 'not a seat of this booking' });
    else if (named.has(passenger.seatId)) problems.push({ seatId: passenger.seatId, message: 'listed twice' });
    else if (passenger.name.trim() === '') problems.push({ seatId: passenger.seatId, message: 'name is empty' });
    named.add(passenger.seatId);
  }
  for (const seatId of seatIds) {
    if (!named.has(seatId)) problems.push({ seatId, message: 'needs a passenger with a name' });
  }
  if (problems.length > 0) {
    throw new AppError('booking.passengers_invalid', 'Every seat on a trip needs exactly one named passenger', {
      problems,
    });
  }
}
