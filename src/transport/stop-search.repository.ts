import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { StopRow } from '../db/schema.js';

/** The text the trigram index stops_name_trgm covers; queries must use this exact expression. */
const searchableText = sql<string>`lower(s.name || ' ' || s.city || ' ' || s.code)`;

/** `%`, `_` and `\` are wildcards or the escape in LIKE; a buyer's text must match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * Stops for autocomplete, best first: the exact code, then names, cities or codes that start with the
 * text, then substring and typo matches (trigram word similarity) by similarity. All three match
 * conditions use the trigram index.
 */
export function searchStops(
  db: Db,
  search: { q?: string; organizerId?: string; limit: number },
): Promise<Omit<StopRow, 'created_at' | 'gtfs_feed_id' | 'gtfs_id'>[]> {
  let query = db
    .selectFrom('stops as s')
    .select(['s.id', 's.organizer_id', 's.code', 's.name', 's.city', 's.lat', 's.lon', 's.timezone']);
  if (search.organizerId) query = query.where('s.organizer_id', '=', search.organizerId);
  if (search.q) {
    const needle = search.q.toLowerCase();
    const prefix = `${escapeLike(needle)}%`;
    query = query
      .where(
        sql<boolean>`(${searchableText} LIKE ${`%${escapeLike(needle)}%`}
        OR ${searchableText} %> ${needle} OR ${searchableText} %>> ${needle})`,
      )
      .orderBy(
        sql`CASE
          WHEN lower(s.code) = ${needle} THEN 0
          WHEN lower(s.name) LIKE ${prefix} OR lower(s.city) LIKE ${prefix} OR lower(s.code) LIKE ${prefix} THEN 1
          ELSE 2 END`,
      )
      .orderBy(sql`word_similarity(${needle}, ${searchableText})`, 'desc');
  }
  return query.orderBy('s.name').orderBy('s.id').limit(search.limit).execute();
}
