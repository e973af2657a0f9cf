import type { Db } from '../db/client.js';
import type { SeatOccupancy } from '../inventory/hold-store.js';
import { TtlCache } from '../shared/ttl-cache.js';
import { readLayoutContents, type LayoutContents } from './layout.repository.js';

/**
 * Seat maps for buyers: a layout's static drawing (cached per layout — layouts are immutable) merged with
 * the live status of every seat on each request. Used by event seat maps and trip seat maps alike.
 *
 * Why seats are kept as pre-rendered JSON text: a 40,000-seat stadium map is about 8 MB of JSON. Building
 * 40,000 objects and serialising them takes 100–300 ms per request (JSON.stringify / fast-json-stringify);
 * joining cached per-seat JSON fragments with their status takes about 20 ms.
 */
export type SeatStatus = 'available' | 'held' | 'sold' | 'blocked';

export interface SeatCounts {
  available: number;
  held: number;
  sold: number;
  blocked: number;
}

export interface SectionView {
  id: string;
  parentId: string | null;
  name: string;
  path: string;
}

export interface GaAreaDefinition {
  id: string;
  name: string;
  category: string;
  capacity: number;
}

export interface GaAreaView extends GaAreaDefinition {
  available: number;
  /** Price for one place in minor units, or null when the area's category has no price. */
  price: number | null;
}

/** The static part of a seat map, prepared once per layout. */
export interface PreparedSeatMap {
  layoutId: string;
  kind: 'venue' | 'vehicle';
  sections: SectionView[];
  gaAreas: GaAreaDefinition[];
  seatCount: number;
  blockedCount: number;
  /** Seat categories (price tiers; seat classes on vehicles) of seats that can be sold, in drawing order. */
  sellableCategories: string[];
  seatIds: string[];
  blocked: boolean[];
  /** Per seat, its JSON text up to the opening quote of the status value: `{"id":"st_…",…,"status":"`. */
  seatJsonHeads: string[];
}

/** Turns a layout into its cacheable seat map. Vehicle seats also carry their deck and seat class. */
export function prepareSeatMap(contents: LayoutContents): PreparedSeatMap {
  const { layout, sections, seats, gaAreas } = contents;
  const isVehicle = layout.kind === 'vehicle';
  const sellableCategories = new Set<string>();
  const blocked: boolean[] = [];
  const seatJsonHeads: string[] = [];
  for (const seat of seats) {
    const isBlocked = seat.flags.includes('blocked');
    if (!isBlocked) sellableCategories.add(seat.category);
    blocked.push(isBlocked);
    const json = JSON.stringify({
      id: seat.id,
      sectionId: seat.section_id,
      row: seat.row_label,
      number: seat.seat_label,
      label: seat.label,
      category: seat.category,
      x: seat.x,
      y: seat.y,
      flags: seat.flags,
      ...(isVehicle ? { deck: seat.deck, class: seat.category } : {}),
    });
    seatJsonHeads.push(`${json.slice(0, -1)},"status":"`);
  }
  return {
    layoutId: layout.id,
    kind: layout.kind,
    sections: sections.map((section) => ({
      id: section.id,
      parentId: section.parent_id,
      name: section.name,
      path: section.path,
    })),
    gaAreas: gaAreas.map((area) => ({
      id: area.id,
      name: area.name,
      category: area.category,
      capacity: area.capacity,
    })),
    seatCount: seats.length,
    blockedCount: blocked.filter(Boolean).length,
    sellableCategories: [...sellableCategories],
    seatIds: seats.map((seat) => seat.id),
    blocked,
    seatJsonHeads,
  };
}

type SeatOccupancyLike = Pick<SeatOccupancy, 'heldSeatIds' | 'soldSeatIds'>;

/** The status of one seat: blocked wins over sold, sold over held. */
function seatStatusOf(blocked: boolean, seatId: string, occupancy: SeatOccupancyLike): SeatStatus {
  if (blocked) return 'blocked';
  if (occupancy.soldSeatIds.has(seatId)) return 'sold';
  if (occupancy.heldSeatIds.has(seatId)) return 'held';
  return 'available';
}

/** Every seat as a JSON array body (without brackets) with its live status, and the counts per status. */
export function renderSeats(
  map: PreparedSeatMap,
  occupancy: SeatOccupancyLike,
): { seatsJson: string; counts: SeatCounts } {
  const counts: SeatCounts = { available: 0, held: 0, sold: 0, blocked: 0 };
  const parts = new Array<string>(map.seatCount);
  for (let i = 0; i < map.seatCount; i++) {
    const status = seatStatusOf(map.blocked[i]!, map.seatIds[i]!, occupancy);
    counts[status]++;
    parts[i] = `${map.seatJsonHeads[i]}${status}"}`;
  }
  return { seatsJson: parts.join(','), counts };
}

/** General-admission areas with what is left of each: capacity (per inventory when known) − held − sold. */
export function presentGaAreas(
  map: PreparedSeatMap,
  capacities: ReadonlyMap<string, number>,
  usage: SeatOccupancy['ga'],
  prices: Readonly<Record<string, number>>,
): GaAreaView[] {
  return map.gaAreas.map((area) => {
    const capacity = capacities.get(area.id) ?? area.capacity;
    const used = usage.get(area.id);
    return {
      ...area,
      capacity,
      available: Math.max(0, capacity - (used?.held ?? 0) - (used?.sold ?? 0)),
      price: prices[area.category] ?? null,
    };
  });
}

/** A seat map ready to send, except that the seats are JSON text (see the note at the top). */
export interface LiveSeatMap<Head extends object> {
  head: Head;
  layout: { id: string; sections: SectionView[]; gaAreas: GaAreaView[] };
  seatsJson: string;
}

/** The response body: `head`'s fields, then `layout` with the pre-rendered seats spliced in last. */
export function seatMapJson<Head extends object>(map: LiveSeatMap<Head>): string {
  // `layout` is the last key and `seats` the last key inside it, so the text ends with `}}` to splice before.
  const withoutSeats = JSON.stringify({ ...map.head, layout: map.layout });
  return `${withoutSeats.slice(0, -2)},"seats":[${map.seatsJson}]}}`;
}

/**
 * Prepared seat maps per layout id. Entries are large (a stadium is megabytes), so the cache is small;
 * concurrent requests for a layout that is not cached yet share one load.
 */
export class SeatMapCache {
  private readonly prepared: TtlCache<PreparedSeatMap>;
  private readonly loading = new Map<string, Promise<PreparedSeatMap>>();

  constructor(
    private readonly db: Db,
    options: { ttlMs?: number; maxLayouts?: number } = {},
  ) {
    this.prepared = new TtlCache(options.ttlMs ?? 10 * 60_000, options.maxLayouts ?? 32);
  }

  get(layoutId: string): Promise<PreparedSeatMap> {
    const inFlight = this.loading.get(layoutId);
    if (inFlight) return inFlight;
    const load = this.prepared
      .getOrLoad(layoutId, async () => {
        const contents = await readLayoutContents(this.db, layoutId);
        // Events and trips reference their layout with a foreign key, so it always exists.
        if (!contents) throw new Error(`Seat layout ${layoutId} does not exist`);
        return prepareSeatMap(contents);
      })
      .finally(() => this.loading.delete(layoutId));
    this.loading.set(layoutId, load);
    return load;
  }
}
