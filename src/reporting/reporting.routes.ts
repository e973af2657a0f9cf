import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import type { Static } from 'typebox';
import { errorResponses } from '../http/common.schemas.js';
import { addDays, localDateOf } from '../shared/time.js';
import { majorUnits, toCsv } from './csv.js';
import {
  DashboardQuery,
  DashboardResponse,
  OccupancyQuery,
  OccupancyResponse,
  SalesReportQuery,
  SalesReportResponse,
} from './reporting.schemas.js';
import { ReportingService } from './reporting.service.js';

const tags = ['admin: reports'];
const security = [{ bearerAuth: [] }];
const OCCUPANCY_DEFAULT_DAYS = 30;

/** /api/admin/reports: the console's dashboard, sales reports (JSON or CSV) and occupancy. */
export const reportingRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const reports = new ReportingService({ db: deps.database.db, holdStore: deps.holdStore, clock: deps.clock });

  app.get(
    '/reports/dashboard',
    {
      schema: {
        tags,
        security,
        summary: "Today's and this week's sales, revenue per currency, holds, rates, and the next week's occupancy",
        description:
          "Staff get their organizer's; admins one organizer's (`organizerId`) or everybody's. Days are the " +
          "organizer's days in its time zone (UTC across all organizers). The abandoned-hold rate is the share " +
          'of holds made that did not become a paid order; the cancellation rate the share of tickets sold in ' +
          'the period cancelled since.',
        querystring: DashboardQuery,
        response: { 200: DashboardResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => reports.dashboard(requireStaff(request), request.query.organizerId),
  );

  // Replies with JSON, or with CSV text the JSON schema does not describe (the route's own generic says so).
  app.get<{ Querystring: SalesReportQuery; Reply: Static<typeof SalesReportResponse> | string }>(
    '/reports/sales',
    {
      schema: {
        tags,
        security,
        summary: 'Sales by day, event or trip between two local dates; JSON or a CSV download',
        description:
          'Counts orders by when they were paid; refunds count against their order. With `format=csv` the ' +
          'answer is `text/csv` (UTF-8 with a byte-order mark, amounts in major units, text that a spreadsheet ' +
          'would run as a formula prefixed with an apostrophe).',
        querystring: SalesReportQuery,
        response: { 200: SalesReportResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { groupBy = 'day', format = 'json', ...query } = request.query;
      const report = await reports.salesReport(requireStaff(request), { ...query, groupBy });
      if (format === 'json') return report;
      const header =
        groupBy === 'day'
          ? ['Date', 'Currency', 'Orders', 'Tickets', 'Gross', 'Refunded', 'Net']
          : [
              groupBy === 'event' ? 'Event' : 'Trip',
              'Starts (local)',
              'Time zone',
              'ID',
              'Currency',
              'Orders',
              'Tickets',
              'Gross',
              'Refunded',
              'Net',
            ];
      const rows = report.rows.map((row) => {
        const money = [
          row.orders,
          row.tickets,
          majorUnits(row.gross, row.currency),
          majorUnits(row.refunded, row.currency),
          majorUnits(row.net, row.currency),
        ];
        return groupBy === 'day'
          ? [row.key, row.currency, ...money]
          : [
              row.label,
              row.startsAt ? localDateTime(new Date(row.startsAt), row.timezone) : '',
              row.timezone,
              row.key,
              row.currency,
              ...money,
            ];
      });
      const filename = `sales-${report.from}-to-${report.to}-by-${groupBy}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(toCsv(header, rows));
    },
  );

  app.get(
    '/reports/occupancy',
    {
      schema: {
        tags,
        security,
        summary: 'Events or trips with capacity, sold, held and load factor, by start or departure',
        querystring: OccupancyQuery,
        response: { 200: OccupancyResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = requireStaff(request);
      const { limit = 50, offset = 0, kind, organizerId } = request.query;
      const scope = await reports.scope(principal, organizerId);
      const from = request.query.from ?? localDateOf(deps.clock.now(), scope.timezone);
      const to = request.query.to ?? addDays(from, OCCUPANCY_DEFAULT_DAYS);
      return reports.occupancy(principal, { organizerId, kind, from, to, limit, offset });
    },
  );
};

/** "2026-12-05 19:30" at a place. */
function localDateTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
