import { sql, type Kysely } from 'kysely';

/**
 * bo_create_holds: many holds in one call, one transaction and one commit — group commit for seat holds.
 * At an on-sale, hundreds of buyers ask for holds at once; one call per hold spent most of its database
 * time on per-statement and per-commit overhead (about 1 ms of PostgreSQL CPU per hold), so the SQL hold
 * store now queues the holds that arrive while a call is running and sends them together
 * (src/inventory/hold-store.sql.ts). Each hold is still all or nothing, decided on its own:
 *
 * 1. Advisory locks on every seat and GA area of the batch, in hash order, as bo_create_hold did — so two
 *    batches (or API processes) never deadlock, and holds of different seats never wait for each other.
 * 2. Set-based checks, one statement each: seats taken by a live hold or a confirmed sale on an
 *    overlapping segment; GA areas without the quantity left.
 * 3. Inserts for the holds that passed.
 *
 * The caller never puts two holds that compete for a seat or an area into one batch (it defers the later
 * one to the next batch, where it sees the first one's outcome). Should one arrive anyway, the later hold
 * counts the earlier one as taking the seat or quantity — a needless 409, never two holds on one seat.
 * Commits skip the WAL flush wait (synchronous_commit = off): a hold lost in a crash is simply made again.
 */
const createHoldsFunction = `
CREATE OR REPLACE FUNCTION bo_create_holds(
  p_tokens text[], p_kinds text[], p_inventories text[], p_owners text[], p_froms int[], p_tos int[],
  p_ttls_ms int[],
  p_seat_holds int[], p_seat_ids text[],
  p_ga_holds int[], p_ga_areas text[], p_ga_quantities int[], p_ga_capacities int[]
) RETURNS TABLE (idx int, ok boolean, taken_seats text[], short_areas jsonb, created_at timestamptz,
                 expires_at timestamptz)
LANGUAGE plpgsql
-- Plan each call for its own arguments (batch sizes vary; a cached generic plan would scan).
SET plan_cache_mode = force_custom_plan
AS $fn$
DECLARE
  v_now timestamptz;
  v_taken_holds int[];
  v_taken_seats text[];
  v_short jsonb;
  v_failed int[];
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(h) FROM (
    SELECT DISTINCT hashtextextended(p_inventories[k.i] || ':' || k.key, 0) AS h
      FROM (SELECT s.i, s.key FROM unnest(p_seat_holds, p_seat_ids) AS s(i, key)
            UNION ALL
            SELECT g.i, g.key FROM unnest(p_ga_holds, p_ga_areas) AS g(i, key)) AS k
     ORDER BY 1
  ) AS ordered;

  v_now := clock_timestamp();

  WITH wanted AS (
    SELECT s.i, s.seat_id, p_inventories[s.i] AS inventory_id, int4range(p_froms[s.i], p_tos[s.i]) AS legs
      FROM unnest(p_seat_holds, p_seat_ids) AS s(i, seat_id)
  ), taken AS (
    SELECT w.i, w.seat_id FROM wanted w
     WHERE EXISTS (SELECT 1 FROM hold_seats hs
                    WHERE hs.inventory_id = w.inventory_id AND hs.seat_id = w.seat_id
                      AND hs.expires_at > v_now AND hs.legs && w.legs)
        OR EXISTS (SELECT 1 FROM seat_sales ss
                    WHERE ss.inventory_id = w.inventory_id AND ss.seat_id = w.seat_id
                      AND ss.status = 'confirmed' AND ss.legs && w.legs)
    UNION
    SELECT later.i, later.seat_id FROM wanted earlier
      JOIN wanted later ON later.inventory_id = earlier.inventory_id AND later.seat_id = earlier.seat_id
                       AND later.i > earlier.i AND later.legs && earlier.legs
  )
  SELECT coalesce(array_agg(i), '{}'), coalesce(array_agg(seat_id), '{}') INTO v_taken_holds, v_taken_seats
    FROM taken;

  SELECT coalesce(jsonb_object_agg(short.i::text, short.areas), '{}'::jsonb) INTO v_short FROM (
    SELECT w.i, jsonb_agg(jsonb_build_object('areaId', w.area_id, 'requested', w.quantity,
                                             'available', greatest(0, w.capacity - w.used)) ORDER BY w.area_id) AS areas
      FROM (
        SELECT g.i, g.area_id, g.quantity, g.capacity,
               coalesce((SELECT sum(hg.quantity) FROM hold_ga hg
                          WHERE hg.inventory_id = p_inventories[g.i] AND hg.area_id = g.area_id
                            AND hg.expires_at > v_now), 0)
             + coalesce((SELECT gi.sold FROM ga_inventory gi
                          WHERE gi.inventory_id = p_inventories[g.i] AND gi.area_id = g.area_id), 0)
             + coalesce((SELECT sum(e.quantity) FROM unnest(p_ga_holds, p_ga_areas, p_ga_quantities) AS e(i, area_id, quantity)
                          WHERE e.i < g.i AND p_inventories[e.i] = p_inventories[g.i] AND e.area_id = g.area_id), 0) AS used
          FROM unnest(p_ga_holds, p_ga_areas, p_ga_quantities, p_ga_capacities) AS g(i, area_id, quantity, capacity)
      ) AS w
     WHERE w.quantity > w.capacity - w.used
     GROUP BY w.i
  ) AS short;

  v_failed := ARRAY(SELECT DISTINCT f FROM (SELECT unnest(v_taken_holds) AS f
                                            UNION ALL
                                            SELECT k::int FROM jsonb_object_keys(v_short) AS k) AS failed);

  INSERT INTO holds (token, inventory_kind, inventory_id, owner, from_index, to_index, seat_ids, ga, created_at, expires_at)
  SELECT r.token, r.kind, r.inventory_id, r.owner, r.from_index, r.to_index, coalesce(s.seat_ids, '{}'),
         coalesce(g.ga, '[]'::jsonb), v_now, v_now + make_interval(secs => r.ttl_ms / 1000.0)
    FROM unnest(p_tokens, p_kinds, p_inventories, p_owners, p_froms, p_tos, p_ttls_ms)
           WITH ORDINALITY AS r(token, kind, inventory_id, owner, from_index, to_index, ttl_ms, i)
    LEFT JOIN (SELECT x.i, array_agg(x.seat_id ORDER BY x.n) AS seat_ids
                 FROM unnest(p_seat_holds, p_seat_ids) WITH ORDINALITY AS x(i, seat_id, n) GROUP BY x.i) AS s
           ON s.i = r.i
    LEFT JOIN (SELECT x.i, jsonb_agg(jsonb_build_object('areaId', x.area_id, 'quantity', x.quantity) ORDER BY x.area_id) AS ga
                 FROM unnest(p_ga_holds, p_ga_areas, p_ga_quantities) AS x(i, area_id, quantity) GROUP BY x.i) AS g
           ON g.i = r.i
   WHERE NOT (r.i = ANY (v_failed));

  INSERT INTO hold_seats (hold_token, inventory_id, seat_id, legs, expires_at)
  SELECT p_tokens[x.i], p_inventories[x.i], x.seat_id, int4range(p_froms[x.i], p_tos[x.i]),
         v_now + make_interval(secs => p_ttls_ms[x.i] / 1000.0)
    FROM unnest(p_seat_holds, p_seat_ids) AS x(i, seat_id)
   WHERE NOT (x.i = ANY (v_failed));

  INSERT INTO hold_ga (hold_token, inventory_id, area_id, quantity, expires_at)
  SELECT p_tokens[x.i], p_inventories[x.i], x.area_id, x.quantity, v_now + make_interval(secs => p_ttls_ms[x.i] / 1000.0)
    FROM unnest(p_ga_holds, p_ga_areas, p_ga_quantities) AS x(i, area_id, quantity)
   WHERE NOT (x.i = ANY (v_failed));

  RETURN QUERY
  SELECT r.i::int,
         NOT (r.i = ANY (v_failed)),
         coalesce(t.seats, '{}'::text[]),
         coalesce(v_short -> r.i::text, '[]'::jsonb),
         v_now,
         v_now + make_interval(secs => p_ttls_ms[r.i] / 1000.0)
    FROM generate_subscripts(p_tokens, 1) AS r(i)
    LEFT JOIN (SELECT x.i, array_agg(DISTINCT x.seat_id ORDER BY x.seat_id) AS seats
                 FROM unnest(v_taken_holds, v_taken_seats) AS x(i, seat_id) GROUP BY x.i) AS t ON t.i = r.i
   ORDER BY r.i;
END
$fn$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(createHoldsFunction).execute(db);
  // Holds are made only in batches now.
  await sql
    .raw(`DROP FUNCTION IF EXISTS bo_create_hold(text, text, text, text, int, int, text[], text[], int[], int[], int)`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // bo_create_hold itself comes back by running 0004_hold_lookup's up again.
  await sql.raw(`DROP FUNCTION IF EXISTS bo_create_holds`).execute(db);
}
