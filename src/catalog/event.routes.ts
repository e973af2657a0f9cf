import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import {
  EventDetailResponse,
  EventFiltersResponse,
  EventIdParams,
  EventListResponse,
  EventSeatMapResponse,
  ListEventsQuery,
  NoQuery,
} from './event-browse.schemas.js';
import { seatMapJson, SeatMapCache } from './seat-map.js';
import { EventBrowseService } from './event-browse.service.js';

/** Public event pages: search and listings, one event, its live seat map. No authentication. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;
  const events = new EventBrowseService({
    db,
    holdStore: deps.holdStore,
    clock: deps.clock,
    seatMaps: new SeatMapCache(db),
  });

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Search events that are on sale (or whose sales closed) and have not ended',
        description:
          '`date`, `from` and `to` are local dates at each venue. `q` combines full-text search with trigram ' +
          'matching of titles, so small typos still find the event. With `groupBy=series` the items are ' +
          'titles, each with its matching show times.',
        querystring: ListEventsQuery,
        response: { 200: EventListResponse, ...errorResponses(400) },
      },
    },
    async (request) => events.listEvents(request.query),
  );

  app.get(
    '/events/filters',
    {
      schema: {
        tags: ['events'],
        summary: 'What the event listing can be filtered by: cities, genres, languages and the price range',
        querystring: NoQuery,
        response: { 200: EventFiltersResponse, ...errorResponses(400) },
      },
    },
    async () => events.listFilters(),
  );

  app.get(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'One event with its venue, prices per category and the other show times of the title',
        params: EventIdParams,
        querystring: NoQuery,
        response: { 200: EventDetailResponse, ...errorResponses(400, 404) },
      },
    },
    async (request) => events.getEvent(request.params.id),
  );

  // Replies with JSON text: a large stadium map is built from cached fragments (see seat-map.ts);
  // the response schema still documents its shape.
  app.get<{ Params: Static<typeof EventIdParams>; Reply: string }>(
    '/events/:id/seats',
    {
      schema: {
        tags: ['events'],
        summary: 'The seat map of an event with the live status of every seat',
        params: EventIdParams,
        querystring: NoQuery,
        response: { 200: EventSeatMapResponse, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const seatMap = await events.getSeatMap(request.params.id);
      return reply.type('application/json; charset=utf-8').send(seatMapJson(seatMap));
    },
  );
};
