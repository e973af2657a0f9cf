import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../auth/principal.js';
import { errorResponses } from '../http/common.schemas.js';
import { IdParams } from './catalog.schemas.js';
import { CreateEventBody, EventResponse, ListEventsQuery, UpdateEventBody } from './event-admin.schemas.js';
import type { CatalogEvent, EventAdminService } from './event-admin.service.js';

const tags = ['admin: events'];
const security = [{ bearerAuth: [] }];

function present(event: CatalogEvent): EventResponse {
  return {
    ...event,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    saleStartsAt: event.saleStartsAt?.toISOString() ?? null,
    saleEndsAt: event.saleEndsAt?.toISOString() ?? null,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
  };
}

/** /api/admin/events: performances at a venue, priced per seat category. */
export const eventAdminRoutes: FastifyPluginAsyncTypebox<{ events: EventAdminService }> = async (app, options) => {
  const { events } = options;

  app.post(
    '/events',
    {
      schema: {
        tags,
        security,
        summary: "Create an event on the venue's current seat layout",
        description:
          'Every seat and GA category of the layout needs a price (400 `event.prices_invalid` lists the missing ' +
          'and unknown ones). A venue without a layout answers 409 `venue.no_layout`. `seriesKey` defaults to ' +
          '`<organizerId>.<slug of title>`, so show times of one title group together.',
        body: CreateEventBody,
        response: { 201: EventResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await events.createEvent(requireStaff(request), request.body))),
  );

  app.get(
    '/events',
    {
      schema: {
        tags,
        security,
        summary: 'List events by start time, optionally of one organizer, venue or status',
        querystring: ListEventsQuery,
        response: { 200: Type.Array(EventResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 100, offset = 0, ...filter } = request.query;
      return (await events.listEvents(requireStaff(request), { ...filter, limit, offset })).map(present);
    },
  );

  app.get(
    '/events/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One event with its prices',
        params: IdParams,
        response: { 200: EventResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await events.getEvent(requireStaff(request), request.params.id)),
  );

  app.patch(
    '/events/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change an event: details, times, status, sale window, prices, hold TTL',
        description:
          'Prices given are set; other categories keep theirs. `null` clears imageUrl, the sale window ends and ' +
          'holdTtlSeconds. A cancelled event stays cancelled (409 `event.cancelled`).',
        params: IdParams,
        body: UpdateEventBody,
        response: { 200: EventResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => present(await events.updateEvent(requireStaff(request), request.params.id, request.body)),
  );

  app.delete(
    '/events/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an event that has sold nothing (cancel it otherwise)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await events.deleteEvent(requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
