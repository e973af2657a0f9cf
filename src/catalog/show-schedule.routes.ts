import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { errorResponses } from '../http/common.schemas.js';
import { CreateEventBody } from './event-admin.schemas.js';
import { scheduleShowTimes, SCHEDULE_LIMITS } from './show-schedule.service.js';

const event = CreateEventBody.properties;
const IsoDate = (description: string) => Type.String({ format: 'date', description });

export const ScheduleShowTimesBody = Type.Object(
  {
    venueId: event.venueId,
    title: event.title,
    description: event.description,
    category: event.category,
    language: event.language,
    imageUrl: event.imageUrl,
    prices: event.prices,
    status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('on_sale')], { default: 'draft' })),
    holdTtlSeconds: event.holdTtlSeconds,
    seriesKey: event.seriesKey,
    saleStartsAt: event.saleStartsAt,
    from: IsoDate("First day, in the venue's time zone"),
    to: IsoDate(`Last day (inclusive), at most ${SCHEDULE_LIMITS.maxDays} days after from`),
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
      description: 'ISO weekdays: Monday = 1 … Sunday = 7',
    }),
    times: Type.Array(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM' }), {
      minItems: 1,
      maxItems: 24,
      uniqueItems: true,
      description: "Start times in the venue's time zone",
    }),
    durationMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  },
  { additionalProperties: false },
);

const ScheduleShowTimesResponse = Type.Object({
  created: Type.Integer(),
  skipped: Type.Integer({ description: 'Show times that already existed' }),
  showTimes: Type.Array(
    Type.Object({ eventId: Type.String(), startsAt: Type.String({ format: 'date-time' }), created: Type.Boolean() }),
  ),
});

/** POST /api/admin/events/schedule: many show times of one title at once. */
export const showScheduleRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/events/schedule',
    {
      schema: {
        tags: ['admin: events'],
        security: [{ bearerAuth: [] }],
        summary: 'Schedule show times of one title: every chosen weekday between two dates, at each time',
        description:
          "Times are the venue's wall-clock times. Every show time gets the venue's current layout and these " +
          'prices (400 `event.prices_invalid` if they do not cover its categories). Show times that already ' +
          `exist (same venue, series and start) are kept and reported, not doubled. At most ${SCHEDULE_LIMITS.maxShowTimes} at once.`,
        body: ScheduleShowTimesBody,
        response: { 201: ScheduleShowTimesResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await scheduleShowTimes(db, requireStaff(request), request.body);
      return reply.status(201).send({
        ...result,
        showTimes: result.showTimes.map((showTime) => ({ ...showTime, startsAt: showTime.startsAt.toISOString() })),
      });
    },
  );
};
