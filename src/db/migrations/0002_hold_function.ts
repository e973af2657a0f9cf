import { sql, type Kysely } from 'kysely';

/**
 * The SQL hold store's create, as one function: one round trip instead of six. It does exactly what
 * the step-by-step version did — advisory locks per seat/area in hash order, then the conflict check
 * (a fresh snapshot per statement under READ COMMITTED, so it sees every commit made before the lock
 * was granted), then the inserts — and commits without waiting for the WAL flush, since a hold lost
 * in a crash is simply made again (sales never take this shortcut). See docs/decisions/0004.
 */
const createHoldFunction = `
CREATE OR REPLACE FUNCTION bo_create_hold(
  p_token text, p_kind text, p_inventory text, p_owner text, p_from int, p_to int,
  p_seats text[], p_ga_areas text[], p_ga_quantities int[], p_ga_capacities int[], p_ttl_ms int
) RETURNS TABLE (ok boolean, taken_seats text[], short_areas jsonb, created_at timestamptz, expires_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_range int4range := int4range(p_from, p_to);
  v_taken text[];
  v_short jsonb;
  v_now timestamptz;
  v_expires timestamptz;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(h) FROM (
    SELECT DISTINCT hashtextextended(p_inventory || ':' || k, 0) AS h
      FROM unnest(p_seats || p_ga_areas) AS k ORDER BY 1
  ) AS ordered;

  v_now := clock_timestamp();
  SELECT coalesce(array_agg(DISTINCT t.seat_id ORDER BY t.seat_id), '{}') INTO v_taken FROM (
    SELECT hs.seat_id FROM hold_seats hs
     WHERE hs.inventory_id = p_inventory AND hs.seat_id = ANY(p_seats)
       AND hs.expires_at > v_now AND hs.legs && v_range
    UNION ALL
    SELECT ss.seat_id FROM seat_sales ss
     WHERE ss.inventory_id = p_inventory AND ss.seat_id = ANY(p_seats)
       AND ss.status = 'confirmed' AND ss.legs && v_range
  ) AS t;

  SELECT coalesce(jsonb_agg(jsonb_build_object('areaId', w.area_id, 'requested', w.quantity,
                                               'available', greatest(0, w.capacity - w.used))
                            ORDER BY w.area_id), '[]'::jsonb)
    INTO v_short
    FROM (
      SELECT a.area_id, a.quantity, a.capacity,
             coalesce((SELECT sum(hg.quantity) FROM hold_ga hg
                        WHERE hg.inventory_id = p_inventory AND hg.area_id = a.area_id
                          AND hg.expires_at > v_now), 0)
           + coalesce((SELECT gi.sold FROM ga_inventory gi
                        WHERE gi.inventory_id = p_inventory AND gi.area_id = a.area_id), 0) AS used
        FROM unnest(p_ga_areas, p_ga_quantities, p_ga_capacities) AS a(area_id, quantity, capacity)
    ) AS w
   WHERE w.quantity > w.capacity - w.used;

  IF cardinality(v_taken) > 0 OR jsonb_array_length(v_short) > 0 THEN
    RETURN QUERY SELECT false, v_taken, v_short, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;

  v_expires := v_now + make_interval(secs => p_ttl_ms / 1000.0);
  INSERT INTO holds (token, inventory_kind, inventory_id, owner, from_index, to_index, seat_ids, ga, created_at, expires_at)
  VALUES (p_token, p_kind, p_inventory, p_owner, p_from, p_to, p_seats,
          coalesce((SELECT jsonb_agg(jsonb_build_object('areaId', a.area_id, 'quantity', a.quantity))
                      FROM unnest(p_ga_areas, p_ga_quantities) AS a(area_id, quantity)), '[]'::jsonb),
          v_now, v_expires);
  INSERT INTO hold_seats (hold_token, inventory_id, seat_id, legs, expires_at)
  SELECT p_token, p_inventory, s, v_range, v_expires FROM unnest(p_seats) AS s;
  INSERT INTO hold_ga (hold_token, inventory_id, area_id, quantity, expires_at)
  SELECT p_token, p_inventory, a.area_id, a.quantity, v_expires
    FROM unnest(p_ga_areas, p_ga_quantities) AS a(area_id, quantity);
  RETURN QUERY SELECT true, '{}'::text[], '[]'::jsonb, v_now, v_expires;
END
$fn$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(createHoldFunction).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP FUNCTION IF EXISTS bo_create_hold').execute(db);
}
