import { sql } from 'kysely';
import type { AppDeps } from '../container.js';
import { requestNotifications } from './notification.service.js';

/** How far ahead a reminder goes out, and how many orders one scan handles (the next scan takes the rest). */
const REMINDER_LEAD_MS = 24 * 3_600_000;
const SCAN_LIMIT = 500;

/**
 * The reminder scan (a scheduled job, every 10 minutes): buyers of confirmed orders whose event starts or
 * whose departure from their boarding stop is within the next 24 hours are reminded once (dedupe key
 * `reminder:<order>`). Orders confirmed within those 24 hours are skipped — their confirmation is fresh.
 */
export async function handleReminderScan(deps: AppDeps): Promise<number> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const horizon = new Date(now.getTime() + REMINDER_LEAD_MS);
  const { rows } = await sql<{ id: string; user_id: string; organizer_id: string }>`
    SELECT o.id, o.user_id, o.organizer_id
      FROM orders o
      JOIN users u ON u.id = o.user_id
      LEFT JOIN events e ON o.inventory_kind = 'event' AND e.id = o.inventory_id
      LEFT JOIN trip_stops bs ON o.inventory_kind = 'trip' AND bs.trip_id = o.inventory_id
                              AND bs.stop_index = o.from_index
     WHERE o.status = 'confirmed'
       AND coalesce(e.starts_at, bs.departs_at) > ${now}
       AND coalesce(e.starts_at, bs.departs_at) <= ${horizon}
       AND o.confirmed_at < coalesce(e.starts_at, bs.departs_at) - interval '24 hours'
       AND (u.notify_email OR (u.notify_sms AND u.phone IS NOT NULL))
       AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.order_id = o.id AND n.kind = 'reminder')
     ORDER BY coalesce(e.starts_at, bs.departs_at), o.id
     LIMIT ${SCAN_LIMIT}`.execute(db);
  if (rows.length === 0) return 0;
  return db.transaction().execute((trx) =>
    requestNotifications(
      trx,
      rows.map((order) => ({
        dedupeKey: `reminder:${order.id}`,
        kind: 'reminder' as const,
        params: {},
        userId: order.user_id,
        organizerId: order.organizer_id,
        orderId: order.id,
      })),
    ),
  );
}
