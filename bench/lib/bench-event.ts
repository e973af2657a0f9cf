import { insertLayout } from '../../src/catalog/layout.repository.js';
import type { LayoutDocument, RowDoc, SectionDoc } from '../../src/catalog/layout.model.js';
import type { Db } from '../../src/db/client.js';
import { newId } from '../../src/shared/ids.js';

export interface BenchEvent {
  eventId: string;
  /** Seat ids in layout order (tribune → sector → row → seat). */
  seatIds: string[];
}

/**
 * A stadium: 4 tribunes × 10 sectors × 40 rows × 25 seats = 40,000 seats, one price tier per tribune.
 * Written straight through the layout repository (the admin API is not what is being measured).
 */
export function stadiumLayout(seatCount: number): LayoutDocument {
  const tribunes = ['North', 'East', 'South', 'West'];
  const sectorsPerTribune = 10;
  const seatsPerRow = 25;
  const rowsPerSector = Math.ceil(seatCount / (tribunes.length * sectorsPerTribune * seatsPerRow));
  let remaining = seatCount;
  const sections: SectionDoc[] = tribunes.map((tribune, t) => ({
    name: tribune,
    sections: Array.from({ length: sectorsPerTribune }, (_, s): SectionDoc => {
      const rows: RowDoc[] = [];
      for (let r = 0; r < rowsPerSector && remaining > 0; r++) {
        const count = Math.min(seatsPerRow, remaining);
        remaining -= count;
        rows.push({
          name: String(r + 1),
          seats: Array.from({ length: count }, (_, n) => ({
            label: String(n + 1),
            category: `T${t + 1}`,
            x: s * 300 + n * 10,
            y: t * 500 + r * 10,
          })),
        });
      }
      return { name: `Sector ${s + 1}`, rows };
    }),
  }));
  return { name: `Bench stadium (${seatCount} seats)`, kind: 'venue', sections };
}

/** Creates an on-sale event with `seatCount` seats whose holds live `holdTtlSeconds`. */
export async function createBenchEvent(db: Db, seatCount: number, holdTtlSeconds: number): Promise<BenchEvent> {
  const organizerId = newId('organizer');
  await db
    .insertInto('organizers')
    .values({
      id: organizerId,
      name: 'Bench Arena Ltd',
      slug: `bench-${organizerId.slice(4)}`,
      currency: 'BDT',
      timezone: 'Asia/Dhaka',
    })
    .execute();
  const layout = await db.transaction().execute((trx) => insertLayout(trx, organizerId, stadiumLayout(seatCount)));
  const venueId = newId('venue');
  await db
    .insertInto('venues')
    .values({
      id: venueId,
      organizer_id: organizerId,
      name: 'Bench Stadium',
      city: 'Dhaka',
      timezone: 'Asia/Dhaka',
      layout_id: layout.id,
    })
    .execute();
  const eventId = newId('event');
  const startsAt = new Date(Date.now() + 30 * 86400_000);
  await db
    .insertInto('events')
    .values({
      id: eventId,
      organizer_id: organizerId,
      venue_id: venueId,
      layout_id: layout.id,
      series_key: `${organizerId}.bench-final`,
      title: 'Benchmark Final',
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 3 * 3600_000),
      status: 'on_sale',
      hold_ttl_seconds: holdTtlSeconds,
    })
    .execute();
  await db
    .insertInto('event_prices')
    .values(['T1', 'T2', 'T3', 'T4'].map((category, i) => ({ event_id: eventId, category, amount: (i + 1) * 50_000 })))
    .execute();
  const seats = await db
    .selectFrom('layout_seats')
    .select('id')
    .where('layout_id', '=', layout.id)
    .orderBy('ordinal')
    .execute();
  return { eventId, seatIds: seats.map((seat) => seat.id) };
}
