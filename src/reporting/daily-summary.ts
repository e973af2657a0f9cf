import { sql } from 'kysely';
import type { AppDeps } from '../container.js';
import { requestNotifications, type NotificationRequest } from '../notifications/notification.service.js';
import { addDays, localDateOf, utcOffsetMinutes, zonedDateTimeToUtc } from '../shared/time.js';

interface DayFigures {
  orders_confirmed: number;
  tickets_sold: number;
  gross: number;
}

/**
 * The daily sales summary (a scheduled job, every hour): at DAILY_SUMMARY_HOUR in an organizer's own time
 * zone, each of its staff is sent the figures of the previous local day — orders confirmed, tickets sold,
 * sales, refunds and the best sellers. Once per organizer, day and person (dedupe key), however often the
 * job runs in that hour.
 */
export async function handleDailySummary(deps: AppDeps): Promise<number> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const organizers = await db.selectFrom('organizers').select(['id', 'name', 'currency', 'timezone']).execute();
  const requests: NotificationRequest[] = [];
  for (const organizer of organizers) {
    const localHour = Math.floor(
      ((((now.getTime() / 60_000 + utcOffsetMinutes(now, organizer.timezone)) % 1440) + 1440) % 1440) / 60,
    );
    if (localHour !== deps.config.dailySummaryHour) continue;
    const date = addDays(localDateOf(now, organizer.timezone), -1);
    const from = zonedDateTimeToUtc(date, '00:00', organizer.timezone);
    const to = zonedDateTimeToUtc(addDays(date, 1), '00:00', organizer.timezone);
    const staff = await db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'staff')
      .where('organizer_id', '=', organizer.id)
      .execute();
    if (staff.length === 0) continue;

    const { rows: figures } = await sql<DayFigures>`
      SELECT count(DISTINCT o.id)::int AS orders_confirmed, count(t.id)::int AS tickets_sold,
             coalesce(sum(l.total), 0)::int AS gross
        FROM orders o
        JOIN order_lines l ON l.order_id = o.id
        LEFT JOIN tickets t ON t.order_line_id = l.id
       WHERE o.organizer_id = ${organizer.id} AND o.confirmed_at >= ${from} AND o.confirmed_at < ${to}`.execute(db);
    const { rows: refunds } = await sql<{ refunded: number }>`
      SELECT coalesce(sum(r.amount), 0)::int AS refunded
        FROM refunds r JOIN orders o ON o.id = r.order_id
       WHERE o.organizer_id = ${organizer.id} AND r.status = 'done'
         AND r.completed_at >= ${from} AND r.completed_at < ${to}`.execute(db);
    const { rows: top } = await sql<{ title: string; starts_at: Date; tickets: number; gross: number }>`
      SELECT coalesce(e.title, r.name, '') AS title, coalesce(e.starts_at, tr.departs_at) AS starts_at,
             count(l.id)::int AS tickets, coalesce(sum(l.total), 0)::int AS gross
        FROM orders o
        JOIN order_lines l ON l.order_id = o.id
        LEFT JOIN events e ON o.inventory_kind = 'event' AND e.id = o.inventory_id
        LEFT JOIN trips tr ON o.inventory_kind = 'trip' AND tr.id = o.inventory_id
        LEFT JOIN routes r ON r.id = tr.route_id
       WHERE o.organizer_id = ${organizer.id} AND o.confirmed_at >= ${from} AND o.confirmed_at < ${to}
       GROUP BY o.inventory_id, 1, 2
       ORDER BY tickets DESC, gross DESC, title
       LIMIT 5`.execute(db);
    const day = figures[0] ?? { orders_confirmed: 0, tickets_sold: 0, gross: 0 };
    const params = {
      organizerName: organizer.name,
      date,
      currency: organizer.currency,
      timeZone: organizer.timezone,
      ordersConfirmed: day.orders_confirmed,
      ticketsSold: day.tickets_sold,
      gross: day.gross,
      refunded: refunds[0]?.refunded ?? 0,
      top: top.map((item) => ({
        title: item.title,
        startsAt: item.starts_at.toISOString(),
        tickets: item.tickets,
        gross: item.gross,
      })),
    };
    for (const member of staff) {
      requests.push({
        dedupeKey: `summary:${organizer.id}:${date}:${member.id}`,
        kind: 'daily_summary',
        params,
        userId: member.id,
        organizerId: organizer.id,
        orderId: null,
      });
    }
  }
  if (requests.length === 0) return 0;
  return db.transaction().execute((trx) => requestNotifications(trx, requests));
}
