import type { Insertable, Updateable } from 'kysely';
import { canManageOrganizer, scopeOrganizerFilter, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { EventsTable, EventStatus } from '../db/schema.js';
import type { HoldService } from '../inventory/hold.service.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import {
  countEventSales,
  deleteEvent,
  findEvent,
  findEventPrices,
  insertEvent,
  insertGaInventory,
  listEvents,
  lockEvent,
  updateEvent,
  upsertEventPrices,
  type EventWithLayout,
} from './event-admin.repository.js';
import { findLayoutCategories, findLayoutGaAreas } from './layout.repository.js';
import { titleKey } from './slug.js';
import { lockVenue } from './venue.repository.js';

/** One performance at a venue, priced per seat category, on the layout the venue had when it was created. */
export interface CatalogEvent {
  id: string;
  organizerId: string;
  venueId: string;
  layoutId: string;
  seriesKey: string;
  title: string;
  description: string;
  category: string;
  language: string;
  imageUrl: string | null;
  startsAt: Date;
  endsAt: Date;
  status: EventStatus;
  saleStartsAt: Date | null;
  saleEndsAt: Date | null;
  holdTtlSeconds: number | null;
  currency: string;
  /** Category → amount in minor units of the currency. */
  prices: Record<string, number>;
  seatCount: number;
  gaCapacity: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface EventInput {
  venueId: string;
  title: string;
  description?: string;
  category?: string;
  language?: string;
  imageUrl?: string;
  startsAt: string;
  endsAt: string;
  status?: EventStatus;
  saleStartsAt?: string;
  saleEndsAt?: string;
  holdTtlSeconds?: number;
  prices: Record<string, number>;
  seriesKey?: string;
}

export interface EventChanges {
  title?: string;
  description?: string;
  category?: string;
  language?: string;
  imageUrl?: string | null;
  startsAt?: string;
  endsAt?: string;
  status?: EventStatus;
  saleStartsAt?: string | null;
  saleEndsAt?: string | null;
  holdTtlSeconds?: number | null;
  prices?: Record<string, number>;
  seriesKey?: string;
}

export interface EventFilter {
  organizerId?: string;
  venueId?: string;
  status?: EventStatus;
  limit: number;
  offset: number;
}

// Sanity bounds for event times: a typo like 20266 or 1926 is refused rather than stored.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function toEvent(row: EventWithLayout, prices: Record<string, number>): CatalogEvent {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    venueId: row.venue_id,
    layoutId: row.layout_id,
    seriesKey: row.series_key,
    title: row.title,
    description: row.description,
    category: row.category,
    language: row.language,
    imageUrl: row.image_url,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    saleStartsAt: row.sale_starts_at,
    saleEndsAt: row.sale_ends_at,
    holdTtlSeconds: row.hold_ttl_seconds,
    currency: row.currency,
    prices,
    seatCount: row.seat_count,
    gaCapacity: row.ga_capacity,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function parseTime(value: string, field: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()) || time.getTime() < EARLIEST || time.getTime() >= LATEST) {
    throw new AppError('catalog.invalid', `${field} must be a time between 2000 and 2099`, { field });
  }
  return time;
}

function parseOptionalTime(value: string | null | undefined, field: string): Date | null | undefined {
  return value === undefined || value === null ? value : parseTime(value, field);
}

/** The times an event ends up with must be in order: it ends after it starts, a sale closes after it opens. */
export function checkTimes(times: {
  startsAt: Date;
  endsAt: Date;
  saleStartsAt: Date | null;
  saleEndsAt: Date | null;
}) {
  if (times.endsAt.getTime() <= times.startsAt.getTime()) {
    throw new AppError('catalog.invalid', 'endsAt must be after startsAt', { field: 'endsAt' });
  }
  if (times.saleStartsAt && times.saleEndsAt && times.saleEndsAt.getTime() <= times.saleStartsAt.getTime()) {
    throw new AppError('catalog.invalid', 'saleEndsAt must be after saleStartsAt', { field: 'saleEndsAt' });
  }
}

/**
 * Prices must name categories of the layout; when `complete`, every category needs one (a seat without a
 * price could not be sold).
 */
export function checkPrices(prices: Record<string, number>, categories: string[], complete: boolean): void {
  const known = new Set(categories);
  const unknown = Object.keys(prices)
    .filter((category) => !known.has(category))
    .sort();
  const missing = complete ? categories.filter((category) => !(category in prices)) : [];
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`missing a price for ${missing.join(', ')}`] : []),
      ...(unknown.length > 0 ? [`the layout has no category ${unknown.join(', ')}`] : []),
    ];
    throw new AppError('event.prices_invalid', `Prices do not match the layout: ${parts.join('; ')}`, {
      missing,
      unknown,
      categories,
    });
  }
}

/**
 * Events for the admin API. Every change drops the hold service's cached sale state of the event. Staff
 * manage only their organizer's events (on their organizer's venues); another organizer's answer 404.
 */
export class EventAdminService {
  constructor(private readonly deps: { db: Db; holdService: HoldService }) {}

  async createEvent(principal: Principal, input: EventInput): Promise<CatalogEvent> {
    const startsAt = parseTime(input.startsAt, 'startsAt');
    const endsAt = parseTime(input.endsAt, 'endsAt');
    const saleStartsAt = parseOptionalTime(input.saleStartsAt, 'saleStartsAt') ?? null;
    const saleEndsAt = parseOptionalTime(input.saleEndsAt, 'saleEndsAt') ?? null;
    checkTimes({ startsAt, endsAt, saleStartsAt, saleEndsAt });

    const id = newId('event');
    await this.deps.db.transaction().execute(async (trx) => {
      // The lock keeps a concurrent layout import from replacing (and deleting) the layout under us.
      const venue = await lockVenue(trx, input.venueId);
      if (!venue || !canManageOrganizer(principal, venue.organizer_id)) throw notFound('Venue', input.venueId);
      if (!venue.layout_id) {
        const message = `Venue ${venue.id} has no seat layout; import one before creating events`;
        throw new AppError('venue.no_layout', message, { venueId: venue.id });
      }
      checkPrices(input.prices, await findLayoutCategories(trx, venue.layout_id), true);

      const event: Insertable<EventsTable> = {
        id,
        organizer_id: venue.organizer_id,
        venue_id: venue.id,
        layout_id: venue.layout_id,
        series_key: input.seriesKey ?? `${venue.organizer_id}.${titleKey(input.title)}`,
        title: input.title,
        description: input.description ?? '',
        category: input.category ?? 'other',
        language: input.language ?? '',
        image_url: input.imageUrl ?? null,
        starts_at: startsAt,
        ends_at: endsAt,
        status: input.status ?? 'draft',
        sale_starts_at: saleStartsAt,
        sale_ends_at: saleEndsAt,
        hold_ttl_seconds: input.holdTtlSeconds ?? null,
      };
      await insertEvent(trx, event);
      await upsertEventPrices(trx, id, input.prices);
      await insertGaInventory(trx, id, await findLayoutGaAreas(trx, venue.layout_id));
    });
    return this.readEvent(id);
  }

  async listEvents(principal: Principal, filter: EventFilter): Promise<CatalogEvent[]> {
    const scope = scopeOrganizerFilter(principal, filter.organizerId);
    if (!scope) return [];
    const { organizerId, ...rest } = { ...filter, ...scope };
    const rows = await listEvents(this.deps.db, { ...rest, ...(organizerId !== undefined && { organizerId }) });
    const ids = rows.map((row) => row.id);
    const prices = await findEventPrices(this.deps.db, ids);
    return rows.map((row) => toEvent(row, prices.get(row.id) ?? {}));
  }

  async getEvent(principal: Principal, id: string): Promise<CatalogEvent> {
    const event = await this.readEvent(id);
    if (!canManageOrganizer(principal, event.organizerId)) throw notFound('Event', id);
    return event;
  }

  async updateEvent(principal: Principal, id: string, changes: EventChanges): Promise<CatalogEvent> {
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await lockEvent(trx, id);
      if (!current || !canManageOrganizer(principal, current.organizer_id)) throw notFound('Event', id);
      if (current.status === 'cancelled' && changes.status !== undefined && changes.status !== 'cancelled') {
        throw new AppError('event.cancelled', `Event ${id} is cancelled; a cancelled event cannot be reopened`, {
          status: current.status,
        });
      }
      const startsAt = parseOptionalTime(changes.startsAt, 'startsAt');
      const endsAt = parseOptionalTime(changes.endsAt, 'endsAt');
      const saleStartsAt = parseOptionalTime(changes.saleStartsAt, 'saleStartsAt');
      const saleEndsAt = parseOptionalTime(changes.saleEndsAt, 'saleEndsAt');
      checkTimes({
        startsAt: startsAt ?? current.starts_at,
        endsAt: endsAt ?? current.ends_at,
        saleStartsAt: saleStartsAt === undefined ? current.sale_starts_at : saleStartsAt,
        saleEndsAt: saleEndsAt === undefined ? current.sale_ends_at : saleEndsAt,
      });
      if (changes.prices) checkPrices(changes.prices, await findLayoutCategories(trx, current.layout_id), false);

      const update: Updateable<EventsTable> = {
        ...(changes.title !== undefined && { title: changes.title }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.category !== undefined && { category: changes.category }),
        ...(changes.language !== undefined && { language: changes.language }),
        ...(changes.imageUrl !== undefined && { image_url: changes.imageUrl }),
        ...(startsAt && { starts_at: startsAt }),
        ...(endsAt && { ends_at: endsAt }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(saleStartsAt !== undefined && { sale_starts_at: saleStartsAt }),
        ...(saleEndsAt !== undefined && { sale_ends_at: saleEndsAt }),
        ...(changes.holdTtlSeconds !== undefined && { hold_ttl_seconds: changes.holdTtlSeconds }),
        ...(changes.seriesKey !== undefined && { series_key: changes.seriesKey }),
      };
      await updateEvent(trx, id, update);
      if (changes.prices) await upsertEventPrices(trx, id, changes.prices);
    });
    this.deps.holdService.invalidate(id);
    return this.readEvent(id);
  }

  async deleteEvent(principal: Principal, id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await lockEvent(trx, id);
      if (!current || !canManageOrganizer(principal, current.organizer_id)) throw notFound('Event', id);
      const sold = await countEventSales(trx, id);
      if (sold.seats > 0 || sold.ga > 0) {
        throw new AppError('resource.in_use', `Event ${id} has sold tickets; cancel it instead of deleting it`, sold);
      }
      await deleteEvent(trx, id);
    });
    this.deps.holdService.invalidate(id);
  }

  private async readEvent(id: string): Promise<CatalogEvent> {
    const row = await findEvent(this.deps.db, id);
    if (!row) throw notFound('Event', id);
    const prices = await findEventPrices(this.deps.db, [id]);
    return toEvent(row, prices.get(id) ?? {});
  }
}
