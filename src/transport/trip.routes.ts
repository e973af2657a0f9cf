import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { NoQuery } from '../catalog/event-browse.schemas.js';
import { seatMapJson, SeatMapCache } from '../catalog/seat-map.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { StopSearchQuery, StopSearchResponse } from './stop-search.schemas.js';
import { findStops } from './stop-search.service.js';
import {
  PopularRoutesQuery,
  PopularRoutesResponse,
  TripDetailResponse,
  TripIdParams,
  TripSearchQuery,
  TripSearchResponse,
  TripSeatMapResponse,
  TripSeatsQuery,
} from './trip-search.schemas.js';
import { TripSearchService } from './trip-search.service.js';

/** Public transport pages: stop autocomplete, trip search, one trip, its seat map per segment. */
export const tripRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;
  const trips = new TripSearchService({
    db,
    holdStore: deps.holdStore,
    clock: deps.clock,
    seatMaps: new SeatMapCache(db),
  });

  app.get(
    '/stops',
    {
      schema: {
        tags: ['trips'],
        summary: 'Autocomplete stops by name, city or code (prefix first, tolerant of typos)',
        querystring: StopSearchQuery,
        response: { 200: StopSearchResponse, ...errorResponses(400) },
      },
    },
    async (request) => findStops(db, request.query),
  );

  app.get(
    '/trips',
    {
      schema: {
        tags: ['trips'],
        summary: 'Scheduled trips that call at `from` and later at `to`, leaving `from` on `date` (local)',
        description:
          'Each trip has its departure at `from` and arrival at `to`, the seats free for that whole segment ' +
          'and the fare per seat class (origin–destination fare, else the sum of the legs).',
        querystring: TripSearchQuery,
        response: { 200: TripSearchResponse, ...errorResponses(400, 404) },
      },
    },
    async (request) => trips.searchTrips(request.query),
  );

  app.get(
    '/routes/popular',
    {
      schema: {
        tags: ['trips'],
        summary: 'Routes booked most, each with its next departures, seats free and the cheapest fare',
        description:
          'Ranked by seats sold over the last 30 days, then by departures in the next 14 days. Seats free and ' +
          'fares are for the whole route, first stop to last.',
        querystring: PopularRoutesQuery,
        response: { 200: PopularRoutesResponse, ...errorResponses(400) },
      },
    },
    async (request) => trips.popularRoutes(request.query),
  );

  app.get(
    '/trips/:id',
    {
      schema: {
        tags: ['trips'],
        summary: 'One trip with its route, vehicle and stops with times',
        params: TripIdParams,
        querystring: NoQuery,
        response: { 200: TripDetailResponse, ...errorResponses(400, 404) },
      },
    },
    async (request) => trips.getTrip(request.params.id),
  );

  // Replies with JSON text built from cached fragments (see seat-map.ts); the response schema
  // still documents its shape.
  app.get<{ Params: Static<typeof TripIdParams>; Querystring: TripSeatsQuery; Reply: string }>(
    '/trips/:id/seats',
    {
      schema: {
        tags: ['trips'],
        summary: 'The seat map of a trip with each seat’s status for the segment from → to',
        description:
          '`from` and `to` are stop ids; without `from` the segment starts at the first stop, without `to` ' +
          'it ends at the last. A segment the trip does not travel answers 400 inventory.segment_invalid.',
        params: TripIdParams,
        querystring: TripSeatsQuery,
        response: { 200: TripSeatMapResponse, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const seatMap = await trips.getSeatMap(request.params.id, request.query);
      return reply.type('application/json; charset=utf-8').send(seatMapJson(seatMap));
    },
  );
};
