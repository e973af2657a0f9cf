import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { HoldStore } from '../inventory/hold-store.js';
import { EVENT_SEGMENT } from '../inventory/segments.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import {
  addDays,
  daysBetween,
  isIsoDate,
  isoWeekday,
  localDateOf,
  zonedDateTimeToUtc,
  type IsoDate,
} from '../shared/time.js';
import {
  findEventCapacities,
  findOpenInventoryIds,
  findOrganizerSettings,
  findTripCapacities,
  sumHoldsCreated,
  sumSales,
  sumSalesByDay,
  sumSalesByInventory,
  type Period,
  type SalesTotalsRow,
} from './reporting.repository.js';

/** Holds that expire within this long count as "expiring soon" on the dashboard. */
export const EXPIRING_SOON_SECONDS = 120;
const DASHBOARD_DAYS = 14;
const UPCOMING_DAYS = 7;
const UPCOMING_LIMIT = 10;
export const MAX_REPORT_DAYS = 366;

export interface MoneyTotals {
  currency: string;
  gross: number;
  refunded: number;
  net: number;
}

export interface PeriodSummary {
  from: string;
  to: string;
  orders: number;
  tickets: number;
  cancelledTickets: number;
  revenue: MoneyTotals[];
  holdsCreated: number;
  /** Holds that did not become a paid order, of the holds made (null without holds). */
  abandonedHoldRate: number | null;
  /** Of the tickets sold in the period, the share cancelled since (null without sales). */
  cancellationRate: number | null;
}

export interface OccupancyItem {
  kind: 'event' | 'trip';
  id: string;
  title: string;
  startsAt: string;
  timezone: string;
  status: string;
  /** Places that can be sold: seats that are not blocked, plus GA capacity (events). */
  capacity: number;
  sold: number;
  held: number;
  available: number;
  /** Events: sold / capacity. Trips: seat-legs sold / (seats × legs), the transport load factor. */
  loadFactor: number;
  /** Trips: the busiest leg's seats sold / seats. */
  peakLoadFactor?: number;
  legs?: number;
}

export interface ReportScope {
  organizerId: string | undefined;
  organizerName: string | null;
  timezone: string;
  currency: string | null;
}

interface ReportingDeps {
  db: Db;
  holdStore: HoldStore;
  clock: Clock;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

function moneyOf(rows: readonly { currency: string; gross: number; refunded: number }[]): MoneyTotals[] {
  const byCurrency = new Map<string, MoneyTotals>();
  for (const row of rows) {
    const totals = byCurrency.get(row.currency) ?? { currency: row.currency, gross: 0, refunded: 0, net: 0 };
    totals.gross += row.gross;
    totals.refunded += row.refunded;
    totals.net = totals.gross - totals.refunded;
    byCurrency.set(row.currency, totals);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/**
 * Numbers for the organizer console: the dashboard, sales reports by day, event or trip, and occupancy
 * (load factor) of events and trips. Staff see their organizer; admins one organizer or all. Days are the
 * organizer's days (its time zone); across all organizers, UTC days.
 */
export class ReportingService {
  constructor(private readonly deps: ReportingDeps) {}

  /** Which organizer a report is about, and in which time zone its days are counted. */
  async scope(principal: Principal, organizerId: string | undefined): Promise<ReportScope> {
    const wanted = principal.role === 'admin' ? organizerId : (principal.organizerId ?? undefined);
    if (principal.role !== 'admin' && organizerId !== undefined && organizerId !== wanted) {
      throw notFound('Organizer', organizerId);
    }
    if (wanted === undefined) {
      if (principal.role !== 'admin') throw notFound('Organizer', organizerId ?? '');
      return { organizerId: undefined, organizerName: null, timezone: 'UTC', currency: null };
    }
    const organizer = await findOrganizerSettings(this.deps.db, wanted);
    if (!organizer) throw notFound('Organizer', wanted);
    return {
      organizerId: organizer.id,
      organizerName: organizer.name,
      timezone: organizer.timezone,
      currency: organizer.currency,
    };
  }

  /** Today, this week (from Monday), the last 14 days, holds now, and the next week's events and trips. */
  async dashboard(principal: Principal, organizerId: string | undefined) {
    const scope = await this.scope(principal, organizerId);
    const now = this.deps.clock.now();
    const today = localDateOf(now, scope.timezone);
    const weekStart = addDays(today, 1 - isoWeekday(today));
    const dayPeriod = this.localPeriod(today, today, scope.timezone);
    const weekPeriod = this.localPeriod(weekStart, addDays(weekStart, 6), scope.timezone);
    const firstDay = addDays(today, 1 - DASHBOARD_DAYS);
    const [todaySummary, weekSummary, daily, holds, upcoming] = await Promise.all([
      this.summary(scope, dayPeriod),
      this.summary(scope, weekPeriod),
      this.salesByDay(scope, firstDay, today),
      this.liveHolds(scope, now),
      this.upcoming(scope, now),
    ]);
    return {
      organizerId: scope.organizerId ?? null,
      organizerName: scope.organizerName,
      timezone: scope.timezone,
      generatedAt: now.toISOString(),
      today: { date: today, ...todaySummary },
      week: { startDate: weekStart, ...weekSummary },
      daily,
      holds: { ...holds, expiringWithinSeconds: EXPIRING_SOON_SECONDS },
      upcoming,
    };
  }

  /** Sales of the local dates from..to (inclusive), one row per day, event or trip and currency. */
  async salesReport(
    principal: Principal,
    query: { organizerId?: string | undefined; from: IsoDate; to: IsoDate; groupBy: 'day' | 'event' | 'trip' },
  ) {
    const scope = await this.scope(principal, query.organizerId);
    checkDateRange(query.from, query.to);
    const period = this.localPeriod(query.from, query.to, scope.timezone);
    const rows =
      query.groupBy === 'day'
        ? (await this.salesByDay(scope, query.from, query.to)).flatMap((day) =>
            day.revenue.map((money) => ({
              key: day.date,
              label: day.date,
              startsAt: null,
              timezone: scope.timezone,
              orders: day.orders,
              tickets: day.tickets,
              ...money,
            })),
          )
        : (await sumSalesByInventory(this.deps.db, scope.organizerId, period, query.groupBy)).map((row) => ({
            key: row.inventory_id,
            label: row.title,
            startsAt: row.starts_at.toISOString(),
            timezone: row.timezone,
            orders: row.orders,
            tickets: row.tickets,
            currency: row.currency,
            gross: row.gross,
            refunded: row.refunded,
            net: row.gross - row.refunded,
          }));
    return {
      organizerId: scope.organizerId ?? null,
      timezone: scope.timezone,
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      rows,
      totals: moneyOf(rows),
      orders: rows.reduce((sum, row) => sum + row.orders, 0),
      tickets: rows.reduce((sum, row) => sum + row.tickets, 0),
    };
  }

  /** Events or trips starting between the local dates from..to, with capacity, sold, held and load factor. */
  async occupancy(
    principal: Principal,
    query: {
      organizerId?: string | undefined;
      kind: 'event' | 'trip';
      from: IsoDate;
      to: IsoDate;
      limit: number;
      offset: number;
    },
  ) {
    const scope = await this.scope(principal, query.organizerId);
    checkDateRange(query.from, query.to);
    const period = this.localPeriod(query.from, query.to, scope.timezone);
    const page = await this.occupancyPage(scope, query.kind, period, { limit: query.limit, offset: query.offset });
    return { organizerId: scope.organizerId ?? null, timezone: scope.timezone, ...page };
  }

  private async summary(scope: ReportScope, period: Period): Promise<PeriodSummary> {
    const [sales, holdsCreated] = await Promise.all([
      sumSales(this.deps.db, scope.organizerId, period),
      sumHoldsCreated(this.deps.db, scope.organizerId, period),
    ]);
    const total = (pick: (row: SalesTotalsRow) => number) => sales.reduce((sum, row) => sum + pick(row), 0);
    const orders = total((row) => row.orders);
    const tickets = total((row) => row.tickets);
    const cancelledTickets = total((row) => row.cancelled_tickets);
    return {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      orders,
      tickets,
      cancelledTickets,
      revenue: moneyOf(sales),
      holdsCreated,
      abandonedHoldRate: rate(Math.max(0, holdsCreated - orders), holdsCreated),
      cancellationRate: rate(cancelledTickets, tickets),
    };
  }

  /** Every local day from..to, with zero rows for days without sales when the currency is known. */
  private async salesByDay(scope: ReportScope, from: IsoDate, to: IsoDate) {
    const period = this.localPeriod(from, to, scope.timezone);
    const rows = await sumSalesByDay(this.deps.db, scope.organizerId, period, scope.timezone);
    const days: { date: string; orders: number; tickets: number; revenue: MoneyTotals[] }[] = [];
    for (let date = from; date <= to; date = addDays(date, 1)) {
      const ofDay = rows.filter((row) => row.day === date);
      const revenue = moneyOf(ofDay);
      if (revenue.length === 0 && scope.currency)
        revenue.push({ currency: scope.currency, gross: 0, refunded: 0, net: 0 });
      days.push({
        date,
        orders: ofDay.reduce((sum, row) => sum + row.orders, 0),
        tickets: ofDay.reduce((sum, row) => sum + row.tickets, 0),
        revenue,
      });
    }
    return days;
  }

  private async liveHolds(scope: ReportScope, now: Date) {
    const ids = await findOpenInventoryIds(this.deps.db, scope.organizerId, now);
    const counts = await this.deps.holdStore.liveHoldCounts(ids, EXPIRING_SOON_SECONDS * 1000);
    let active = 0;
    let expiringSoon = 0;
    for (const count of counts.values()) {
      active += count.live;
      expiringSoon += count.expiringSoon;
    }
    return { active, expiringSoon };
  }

  private async upcoming(scope: ReportScope, now: Date) {
    const period = { from: now, to: new Date(now.getTime() + UPCOMING_DAYS * 86_400_000) };
    const page = { limit: UPCOMING_LIMIT, offset: 0 };
    const [events, trips] = await Promise.all([
      this.occupancyPage(scope, 'event', period, page),
      this.occupancyPage(scope, 'trip', period, page),
    ]);
    return { events: events.items, trips: trips.items };
  }

  private async occupancyPage(
    scope: ReportScope,
    kind: 'event' | 'trip',
    period: Period,
    page: { limit: number; offset: number },
  ): Promise<{ items: OccupancyItem[]; total: number }> {
    const { db, holdStore } = this.deps;
    if (kind === 'event') {
      const { rows, total } = await findEventCapacities(db, scope.organizerId, period, page);
      const items = await Promise.all(
        rows.map(async (row): Promise<OccupancyItem> => {
          const occupancy = await holdStore.occupancy({ kind: 'event', id: row.id }, EVENT_SEGMENT);
          let gaHeld = 0;
          for (const usage of occupancy.ga.values()) gaHeld += usage.held;
          const capacity = row.seat_count - row.blocked + row.ga_capacity;
          const sold = row.seats_sold + row.ga_sold;
          const held = [...occupancy.heldSeatIds].filter((id) => !occupancy.soldSeatIds.has(id)).length + gaHeld;
          return {
            kind,
            id: row.id,
            title: row.title,
            startsAt: row.starts_at.toISOString(),
            timezone: row.timezone,
            status: row.status,
            capacity,
            sold,
            held,
            available: Math.max(0, capacity - sold - held),
            loadFactor: rate(sold, capacity) ?? 0,
          };
        }),
      );
      return { items, total };
    }
    const { rows, total } = await findTripCapacities(db, scope.organizerId, period, page);
    const items = await Promise.all(
      rows.map(async (row): Promise<OccupancyItem> => {
        const legs = Math.max(1, row.stop_count - 1);
        const occupancy = await holdStore.occupancy({ kind: 'trip', id: row.id }, { from: 0, to: legs });
        const seats = row.seat_count - row.blocked;
        const taken = new Set([...occupancy.heldSeatIds, ...occupancy.soldSeatIds]);
        const held = [...occupancy.heldSeatIds].filter((id) => !occupancy.soldSeatIds.has(id)).length;
        return {
          kind,
          id: row.id,
          title: row.title,
          startsAt: row.starts_at.toISOString(),
          timezone: row.timezone,
          status: row.status,
          capacity: seats,
          sold: row.seats_sold,
          held,
          available: Math.max(0, seats - taken.size),
          loadFactor: rate(row.seat_legs_sold, seats * legs) ?? 0,
          peakLoadFactor: rate(row.peak_leg_sold, seats) ?? 0,
          legs,
        };
      }),
    );
    return { items, total };
  }

  /** The UTC instants from the start of local date `from` to the end of local date `to`. */
  private localPeriod(from: IsoDate, to: IsoDate, timeZone: string): Period {
    return {
      from: zonedDateTimeToUtc(from, '00:00', timeZone),
      to: zonedDateTimeToUtc(addDays(to, 1), '00:00', timeZone),
    };
  }
}

function checkDateRange(from: IsoDate, to: IsoDate): void {
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isIsoDate(value)) throw new AppError('request.invalid', `${field} must be a calendar date`, { field });
  }
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new AppError('request.invalid', 'from must not be after to', { from, to });
  if (days > MAX_REPORT_DAYS) {
    throw new AppError('request.invalid', `A report covers at most ${MAX_REPORT_DAYS} days`, { from, to });
  }
}
