import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Metrics } from '../http/metrics.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { newHoldToken } from '../shared/ids.js';
import { TtlCache } from '../shared/ttl-cache.js';
import type { Hold, HoldStore, InventoryRef } from './hold-store.js';
import {
  findGaCapacities,
  findSellableEvent,
  findSellableTrip,
  loadLayoutSeatIndex,
  type LayoutSeatIndex,
  type SellableEvent,
  type SellableTrip,
} from './inventory.repository.js';
import { EVENT_SEGMENT, type Segment } from './segments.js';

export type HoldTarget =
  { kind: 'event'; eventId: string } | { kind: 'trip'; tripId: string; fromStopId: string; toStopId: string };

export interface CreateHoldInput {
  target: HoldTarget;
  owner: string;
  seatIds: readonly string[];
  ga: readonly { areaId: string; quantity: number }[];
}

export interface HoldView extends Hold {
  /** For trips: the stop ids of the segment. */
  fromStopId?: string;
  toStopId?: string;
  seats: { id: string; label: string; category: string }[];
}

interface HoldServiceDeps {
  db: Db;
  holdStore: HoldStore;
  config: Config;
  metrics: Metrics;
  clock: Clock;
}

/**
 * Seat holds for events and trips. Checks what the store cannot know (the event is on sale, the seats
 * exist and are not blocked, the segment is real), then asks the hold store for an all-or-nothing hold.
 */
export class HoldService {
  // Layouts never change once created, so their seat index can be cached for long.
  private readonly layouts = new TtlCache<LayoutSeatIndex>(10 * 60_000, 50);
  // Sale status may change; a one-second cache bounds staleness while sparing the database at on-sale peaks.
  private readonly events = new TtlCache<SellableEvent | null>(1000, 5000);
  private readonly trips = new TtlCache<SellableTrip | null>(1000, 20000);
  private readonly gaCapacities = new TtlCache<Map<string, number>>(1000, 5000);
  private readonly invalidationListeners: ((inventoryId: string) => void)[] = [];

  constructor(private readonly deps: HoldServiceDeps) {}

  layoutSeats(layoutId: string): Promise<LayoutSeatIndex> {
    return this.layouts.getOrLoad(layoutId, () => loadLayoutSeatIndex(this.deps.db, layoutId));
  }

  /** Forgets cached sale state (after an admin changes an event or trip), here and in listeners. */
  invalidate(inventoryId: string): void {
    this.events.delete(inventoryId);
    this.trips.delete(inventoryId);
    this.gaCapacities.delete(inventoryId);
    for (const listener of this.invalidationListeners) listener(inventoryId);
  }

  /** Calls `listener` whenever an event's or trip's cached sale state is forgotten (prices, status). */
  onInvalidate(listener: (inventoryId: string) => void): void {
    this.invalidationListeners.push(listener);
  }

  async createHold(input: CreateHoldInput): Promise<HoldView> {
    const { config, holdStore, metrics } = this.deps;
    const seatIds = [...new Set(input.seatIds)].sort();
    if (seatIds.length !== input.seatIds.length) {
      throw new AppError('request.invalid', 'A seat is listed more than once');
    }
    const gaAreaIds = new Set(input.ga.map((item) => item.areaId));
    if (gaAreaIds.size !== input.ga.length) throw new AppError('request.invalid', 'A GA area is listed more than once');
    const quantity = seatIds.length + input.ga.reduce((sum, item) => sum + item.quantity, 0);
    if (quantity === 0) throw new AppError('request.invalid', 'Choose at least one seat or a GA quantity');
    if (quantity > config.maxSeatsPerHold) {
      throw new AppError('inventory.too_many_seats', `At most ${config.maxSeatsPerHold} seats can be held at once`, {
        max: config.maxSeatsPerHold,
      });
    }

    const { inventory, layoutId, segment, ttlSeconds, segmentStops } = await this.resolveTarget(input.target);
    const layout = await this.layoutSeats(layoutId);
    const unknown = seatIds.filter((id) => !layout.seats.has(id));
    if (unknown.length > 0) {
      throw new AppError('inventory.seat_unknown', 'Some seats do not exist here', { seatIds: unknown });
    }
    const blocked = seatIds.filter((id) => layout.seats.get(id)!.blocked);
    if (blocked.length > 0) {
      throw new AppError('inventory.seat_unavailable', 'Some seats are blocked and cannot be sold', {
        seatIds: blocked,
        areas: [],
      });
    }
    let ga: { areaId: string; quantity: number; capacity: number }[] = [];
    if (input.ga.length > 0) {
      const capacities = await this.gaCapacities.getOrLoad(inventory.id, () =>
        findGaCapacities(this.deps.db, inventory.id),
      );
      const unknownAreas = input.ga.filter((item) => !capacities.has(item.areaId)).map((item) => item.areaId);
      if (unknownAreas.length > 0) {
        throw new AppError('inventory.area_unknown', 'Some general-admission areas do not exist here', {
          areaIds: unknownAreas,
        });
      }
      ga = input.ga
        .map((item) => ({ ...item, capacity: capacities.get(item.areaId)! }))
        .sort((a, b) => (a.areaId < b.areaId ? -1 : 1));
    }

    const result = await holdStore.create({
      token: newHoldToken(),
      inventory,
      owner: input.owner,
      seatIds,
      ga,
      segment,
      ttlMs: ttlSeconds * 1000,
    });
    if (!result.ok) {
      metrics.holdsConflicted.inc({ kind: inventory.kind });
      const code = result.unavailableSeatIds.length > 0 ? 'inventory.seat_unavailable' : 'inventory.area_unavailable';
      throw new AppError(code, 'Some of the chosen seats are no longer available', {
        seatIds: result.unavailableSeatIds,
        areas: result.unavailableAreas,
      });
    }
    metrics.holdsCreated.inc({ kind: inventory.kind });
    return this.view(result.hold, layout, segmentStops);
  }

  async getHold(token: string, owner: string): Promise<HoldView> {
    const hold = await this.deps.holdStore.get(token);
    if (!hold || hold.owner !== owner) throw holdNotFound(token);
    return this.viewOf(hold);
  }

  async extendHold(token: string, owner: string): Promise<HoldView> {
    const hold = await this.deps.holdStore.get(token);
    if (!hold || hold.owner !== owner) throw holdNotFound(token);
    return this.viewOf(await this.extendHeldHold(hold));
  }

  /** Extends a hold the caller has just read (and checked is theirs); the store re-checks owner and expiry. */
  async extendHeldHold(hold: Hold): Promise<Hold> {
    const { holdStore, config } = this.deps;
    const ttlSeconds = await this.ttlSecondsOf(hold.inventory);
    const result = await holdStore.extend(
      hold.token,
      hold.owner,
      ttlSeconds * 1000,
      config.holdMaxLifetimeSeconds * 1000,
    );
    if (!result.ok) {
      if (result.reason === 'already_extended') {
        throw new AppError('hold.extension_used', 'This hold has already been extended once');
      }
      throw holdNotFound(hold.token);
    }
    return result.hold;
  }

  async releaseHold(token: string, owner: string): Promise<void> {
    const released = await this.deps.holdStore.release(token, owner);
    if (!released) throw holdNotFound(token);
    this.deps.metrics.holdsReleased.inc();
  }

  private async ttlSecondsOf(inventory: InventoryRef): Promise<number> {
    const configured =
      inventory.kind === 'event'
        ? (await this.events.getOrLoad(inventory.id, () => findSellableEvent(this.deps.db, inventory.id)))
            ?.holdTtlSeconds
        : (await this.trips.getOrLoad(inventory.id, () => findSellableTrip(this.deps.db, inventory.id)))
            ?.holdTtlSeconds;
    return configured ?? this.deps.config.holdTtlSeconds;
  }

  private async viewOf(hold: Hold): Promise<HoldView> {
    let layoutId: string;
    let stops: { fromStopId: string; toStopId: string } | undefined;
    if (hold.inventory.kind === 'event') {
      const event = await this.events.getOrLoad(hold.inventory.id, () =>
        findSellableEvent(this.deps.db, hold.inventory.id),
      );
      if (!event) throw holdNotFound(hold.token);
      layoutId = event.layoutId;
    } else {
      const trip = await this.trips.getOrLoad(hold.inventory.id, () =>
        findSellableTrip(this.deps.db, hold.inventory.id),
      );
      if (!trip) throw holdNotFound(hold.token);
      layoutId = trip.layoutId;
      stops = {
        fromStopId: trip.stops[hold.segment.from]!.stopId,
        toStopId: trip.stops[hold.segment.to]!.stopId,
      };
    }
    return this.view(hold, await this.layoutSeats(layoutId), stops);
  }

  private view(hold: Hold, layout: LayoutSeatIndex, stops?: { fromStopId: string; toStopId: string }): HoldView {
    return {
      ...hold,
      ...(stops ?? {}),
      seats: hold.seatIds.map((id) => {
        const seat = layout.seats.get(id);
        return { id, label: seat?.label ?? id, category: seat?.category ?? '' };
      }),
    };
  }

  private async resolveTarget(target: HoldTarget): Promise<{
    inventory: InventoryRef;
    layoutId: string;
    segment: Segment;
    ttlSeconds: number;
    segmentStops?: { fromStopId: string; toStopId: string };
  }> {
    const now = this.deps.clock.now();
    if (target.kind === 'event') {
      const event = await this.events.getOrLoad(target.eventId, () => findSellableEvent(this.deps.db, target.eventId));
      if (!event)
        throw new AppError('resource.not_found', `Event ${target.eventId} was not found`, { id: target.eventId });
      if (event.status !== 'on_sale') {
        throw new AppError('event.not_on_sale', `Tickets for this event are not on sale (status: ${event.status})`, {
          status: event.status,
        });
      }
      if (event.saleStartsAt && now < event.saleStartsAt) {
        throw new AppError('event.not_on_sale', 'Sales for this event have not started yet', {
          saleStartsAt: event.saleStartsAt.toISOString(),
        });
      }
      if ((event.saleEndsAt && now >= event.saleEndsAt) || now >= event.startsAt) {
        throw new AppError('event.not_on_sale', 'Sales for this event have ended');
      }
      return {
        inventory: { kind: 'event', id: event.id },
        layoutId: event.layoutId,
        segment: EVENT_SEGMENT,
        ttlSeconds: event.holdTtlSeconds ?? this.deps.config.holdTtlSeconds,
      };
    }

    const trip = await this.trips.getOrLoad(target.tripId, () => findSellableTrip(this.deps.db, target.tripId));
    if (!trip) throw new AppError('resource.not_found', `Trip ${target.tripId} was not found`, { id: target.tripId });
    if (trip.status !== 'scheduled') {
      throw new AppError('trip.not_on_sale', `Seats on this trip are not on sale (status: ${trip.status})`, {
        status: trip.status,
      });
    }
    const from = trip.stops.findIndex((stop) => stop.stopId === target.fromStopId);
    const to = from < 0 ? -1 : trip.stops.findIndex((stop, index) => index > from && stop.stopId === target.toStopId);
    if (from < 0 || to < 0) {
      throw new AppError(
        'inventory.segment_invalid',
        'This trip does not go from the boarding stop to the alighting stop in that order',
        { from: target.fromStopId, to: target.toStopId },
      );
    }
    if (now >= trip.stops[from]!.departsAt) {
      throw new AppError('trip.not_on_sale', 'This trip has already left the boarding stop');
    }
    return {
      inventory: { kind: 'trip', id: trip.id },
      layoutId: trip.layoutId,
      segment: { from, to },
      ttlSeconds: trip.holdTtlSeconds ?? this.deps.config.holdTtlSeconds,
      segmentStops: { fromStopId: target.fromStopId, toStopId: target.toStopId },
    };
  }
}

function holdNotFound(token: string): AppError {
  return new AppError('hold.not_found', 'This hold does not exist, has expired or was released', { token });
}
