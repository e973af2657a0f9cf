import type { Db } from '../db/client.js';
import { searchStops } from './stop-search.repository.js';
import { DEFAULT_STOP_LIMIT, type StopSearchQuery } from './stop-search.schemas.js';

export interface StopView {
  id: string;
  organizerId: string;
  code: string;
  name: string;
  city: string;
  timezone: string;
  lat: number | null;
  lon: number | null;
}

/** Stop autocomplete for the trip search form: by name, city or code, tolerant of typos. */
export async function findStops(db: Db, query: StopSearchQuery): Promise<{ items: StopView[] }> {
  const q = query.q?.trim();
  const rows = await searchStops(db, {
    limit: query.limit ?? DEFAULT_STOP_LIMIT,
    ...(q ? { q } : {}),
    ...(query.organizerId ? { organizerId: query.organizerId } : {}),
  });
  return {
    items: rows.map((row) => ({
      id: row.id,
      organizerId: row.organizer_id,
      code: row.code,
      name: row.name,
      city: row.city,
      timezone: row.timezone,
      lat: row.lat,
      lon: row.lon,
    })),
  };
}
