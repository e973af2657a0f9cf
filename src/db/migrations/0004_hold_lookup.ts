import { sql, type Kysely } from 'kysely';

/**
 * bo_create_hold looked for conflicts with `seat_id = ANY(p_seats)`, which PL/pgSQL's cached generic plan
 * turned into a scan of every hold row of the event, filtered afterwards: a hold read ~1,700 index entries
 * for 1–4 seats and slowed down as an on-sale filled up. Joining the requested seats instead makes the
 * planner probe (inventory_id, seat_id) once per seat, whatever plan it caches. Confirmed sales get the
 * same two-column index (events had it through their unique index; trips only through the gist one).
 */
const statements = [
  `CREATE INDEX seat_sales_inventory_seat ON seat_sales (inventory_id, seat_id) WHERE status = 'confirmed'`,
  `DROP INDEX IF EXISTS seat_sales_inventory`,
  `CREATE OR REPLACE FUNCTION bo_create_hold(
     p_token text, p_kind text, p_inventory text, p_owner text, p_from int, p_to int,
     p_seats text[], p_ga_areas text[], p_ga_quantities int[], p_ga_capacities int[], p_ttl_ms int
   ) RETURNS TABLE (ok boolean, taken_seats text[], short_areas jsonb, created_at timestamptz, expires_at timestamptz)
   LANGUAGE plpgsql
   -- Plan each call for its own arguments: a generic plan cached while the tables were small scans them
   -- once they are large.
   SET plan_cache_mode = force_custom_plan
   AS $fn$
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
       SELECT hs.seat_id FROM unnest(p_seats) AS wanted(seat_id)
         JOIN hold_seats hs ON hs.inventory_id = p_inventory AND hs.seat_id = wanted.seat_id
        WHERE hs.expires_at > v_now AND hs.legs && v_range
       UNION ALL
       SELECT ss.seat_id FROM unnest(p_seats) AS wanted(seat_id)
         JOIN seat_sales ss ON ss.inventory_id = p_inventory AND ss.seat_id = wanted.seat_id
        WHERE ss.status = 'confirmed' AND ss.legs && v_range
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
   $fn$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`CREATE INDEX seat_sales_inventory ON seat_sales (inventory_id) WHERE status = 'confirmed'`)
    .execute(db);
  await sql.raw(`DROP INDEX IF EXISTS seat_sales_inventory_seat`).execute(db);
}
