import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../container.js';
import { requireStaff } from '../auth/principal.js';
import { errorResponses } from '../http/common.schemas.js';
import { listFares, putFares, removeFare } from './fare-table.service.js';
import {
  changeRoute,
  changeStop,
  createRoute,
  createStop,
  getRoute,
  getStop,
  listRoutes,
  listStops,
  removeRoute,
  removeStop,
} from './network.service.js';
import {
  changeTrip,
  createTrip,
  generateTrips,
  getTrip,
  listTrips,
  removeTrip,
  type Trip,
  type TripSummary,
} from './timetable.service.js';
import {
  CreateRouteBody,
  CreateStopBody,
  CreateTripBody,
  CreateVehicleLayoutBody,
  FareListResponse,
  FareParams,
  GenerateTripsBody,
  GenerateTripsResponse,
  IdParams,
  NoContent,
  OrganizerQuery,
  PutFaresBody,
  RouteListResponse,
  RouteResponse,
  StopListResponse,
  StopResponse,
  TripListQuery,
  TripListResponse,
  TripResponse,
  UpdateRouteBody,
  UpdateStopBody,
  UpdateTripBody,
  VehicleLayoutDetailResponse,
  VehicleLayoutListResponse,
  VehicleLayoutResponse,
} from './transport-admin.schemas.js';
import { createVehicleLayout, getVehicleLayout, listVehicleLayouts } from './vehicle-layout.service.js';

/**
 * Admin API of the transport side: stops, vehicle layouts, routes, trips and fares. Mounted under
 * /api/admin for organizer staff and admins. HTTP only: the services hold the rules and open the transactions.
 */
export const transportAdminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { db } = deps.database;
  const security = [{ bearerAuth: [] }];
  const read = errorResponses(400, 401, 403, 404);
  const write = errorResponses(400, 401, 403, 404, 409);

  // ── Stops ──────────────────────────────────────────────────────────────────────────────────────────

  const stops = { tags: ['admin: stops'], security };

  app.post(
    '/stops',
    {
      schema: {
        ...stops,
        summary: 'Create a stop (a bus terminal, a station) with its time zone',
        body: CreateStopBody,
        response: { 201: StopResponse, ...write },
      },
    },
    async (request, reply) => reply.status(201).send(await createStop(db, requireStaff(request), request.body)),
  );

  app.get(
    '/stops',
    {
      schema: {
        ...stops,
        summary: "An organizer's stops, by code",
        querystring: OrganizerQuery,
        response: { 200: StopListResponse, ...read },
      },
    },
    async (request) => ({ stops: await listStops(db, requireStaff(request), request.query.organizerId) }),
  );

  app.get(
    '/stops/:id',
    { schema: { ...stops, summary: 'A stop', params: IdParams, response: { 200: StopResponse, ...read } } },
    async (request) => getStop(db, requireStaff(request), request.params.id),
  );

  app.patch(
    '/stops/:id',
    {
      schema: {
        ...stops,
        summary: 'Change a stop; send null to clear lat or lon',
        params: IdParams,
        body: UpdateStopBody,
        response: { 200: StopResponse, ...write },
      },
    },
    async (request) => changeStop(db, requireStaff(request), request.params.id, request.body),
  );

  app.delete(
    '/stops/:id',
    {
      schema: {
        ...stops,
        summary: 'Delete a stop that no route uses (409 otherwise)',
        params: IdParams,
        response: { 204: NoContent, ...write },
      },
    },
    async (request, reply) => {
      await removeStop(db, requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // ── Vehicle layouts ────────────────────────────────────────────────────────────────────────────────

  const layouts = { tags: ['admin: vehicle layouts'], security };

  app.post(
    '/vehicle-layouts',
    {
      schema: {
        ...layouts,
        summary: 'Create a vehicle seat map from a template or from explicit sections, rows and seats',
        description:
          'Templates: `bus_2_2` (rows, seatClass, backRowOfFive), `bus_2_1` (rows, seatClass), ' +
          '`sleeper_2_decks` (rows, seatClass; lower and upper berths), `train_coach` (coaches: name, ' +
          'seatClass, rows, seatsPerRow, berths). A layout is immutable once created.',
        body: CreateVehicleLayoutBody,
        response: { 201: VehicleLayoutResponse, ...write },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createVehicleLayout(db, requireStaff(request), request.body)),
  );

  app.get(
    '/vehicle-layouts',
    {
      schema: {
        ...layouts,
        summary: "An organizer's vehicle layouts with seats per class",
        querystring: OrganizerQuery,
        response: { 200: VehicleLayoutListResponse, ...read },
      },
    },
    async (request) => ({ layouts: await listVehicleLayouts(db, requireStaff(request), request.query.organizerId) }),
  );

  app.get(
    '/vehicle-layouts/:id',
    {
      schema: {
        ...layouts,
        summary: 'A vehicle layout with every seat',
        params: IdParams,
        response: { 200: VehicleLayoutDetailResponse, ...read },
      },
    },
    async (request) => getVehicleLayout(db, requireStaff(request), request.params.id),
  );

  // ── Routes and their fares ─────────────────────────────────────────────────────────────────────────

  const routes = { tags: ['admin: routes'], security };

  app.post(
    '/routes',
    {
      schema: {
        ...routes,
        summary: 'Create a route: its stops in order, with minutes after the first departure',
        body: CreateRouteBody,
        response: { 201: RouteResponse, ...write },
      },
    },
    async (request, reply) => reply.status(201).send(await createRoute(db, requireStaff(request), request.body)),
  );

  app.get(
    '/routes',
    {
      schema: {
        ...routes,
        summary: "An organizer's routes with their stops",
        querystring: OrganizerQuery,
        response: { 200: RouteListResponse, ...read },
      },
    },
    async (request) => ({ routes: await listRoutes(db, requireStaff(request), request.query.organizerId) }),
  );

  app.get(
    '/routes/:id',
    { schema: { ...routes, summary: 'A route', params: IdParams, response: { 200: RouteResponse, ...read } } },
    async (request) => getRoute(db, requireStaff(request), request.params.id),
  );

  app.patch(
    '/routes/:id',
    {
      schema: {
        ...routes,
        summary: 'Rename a route, change its default layout, or replace its stops (only while it has no trips)',
        params: IdParams,
        body: UpdateRouteBody,
        response: { 200: RouteResponse, ...write },
      },
    },
    async (request) => changeRoute(db, requireStaff(request), request.params.id, request.body),
  );

  app.delete(
    '/routes/:id',
    {
      schema: {
        ...routes,
        summary: 'Delete a route without trips (409 otherwise), with its fares',
        params: IdParams,
        response: { 204: NoContent, ...write },
      },
    },
    async (request, reply) => {
      await removeRoute(db, requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/routes/:id/fares',
    {
      schema: {
        ...routes,
        summary: 'Set origin–destination fares per seat class (insert or re-price), all or nothing',
        description:
          'Amounts are minor units of the organizer currency. A fare between neighbouring stops is a leg ' +
          'fare: a journey without its own fare costs the sum of its legs. Answers all fares of the route.',
        params: IdParams,
        body: PutFaresBody,
        response: { 200: FareListResponse, ...write },
      },
    },
    async (request) => ({ fares: await putFares(db, requireStaff(request), request.params.id, request.body.fares) }),
  );

  app.get(
    '/routes/:id/fares',
    {
      schema: { ...routes, summary: "A route's fares", params: IdParams, response: { 200: FareListResponse, ...read } },
    },
    async (request) => ({ fares: await listFares(db, requireStaff(request), request.params.id) }),
  );

  app.delete(
    '/routes/:id/fares/:fareId',
    {
      schema: { ...routes, summary: 'Delete a fare', params: FareParams, response: { 204: NoContent, ...read } },
    },
    async (request, reply) => {
      await removeFare(db, requireStaff(request), request.params.id, request.params.fareId);
      return reply.status(204).send(null);
    },
  );

  // ── Trips ──────────────────────────────────────────────────────────────────────────────────────────

  const trips = { tags: ['admin: trips'], security };

  const presentSummary = (trip: TripSummary) => ({
    ...trip,
    departsAt: trip.departsAt.toISOString(),
    arrivesAt: trip.arrivesAt.toISOString(),
  });
  const presentTrip = (trip: Trip) => ({
    ...presentSummary(trip),
    stops: trip.stops.map((stop) => ({
      ...stop,
      arrivesAt: stop.arrivesAt.toISOString(),
      departsAt: stop.departsAt.toISOString(),
    })),
  });

  app.post(
    '/routes/:id/trips/generate',
    {
      schema: {
        ...trips,
        summary: "Create a route's trips for a date range from a weekly pattern (idempotent)",
        description:
          "Departure times are local to the route's first stop. Existing departures are skipped and " +
          'counted; `tripIds` lists every trip of the pattern, new or not.',
        params: IdParams,
        body: GenerateTripsBody,
        response: { 201: GenerateTripsResponse, ...write },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await generateTrips(db, requireStaff(request), request.params.id, request.body)),
  );

  app.post(
    '/trips',
    {
      schema: {
        ...trips,
        summary: 'Schedule one trip of a route',
        description:
          "Send `departsAt` (an instant), or `serviceDate` with `departureTime` in the first stop's time zone. " +
          'Stop times follow from the route offsets. `layoutId` defaults to the route default.',
        body: CreateTripBody,
        response: { 201: TripResponse, ...write },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentTrip(await createTrip(db, requireStaff(request), request.body))),
  );

  app.get(
    '/trips',
    {
      schema: {
        ...trips,
        summary: "A route's trips by departure, optionally of one service date",
        querystring: TripListQuery,
        response: { 200: TripListResponse, ...read },
      },
    },
    async (request) => ({ trips: (await listTrips(db, requireStaff(request), request.query)).map(presentSummary) }),
  );

  app.get(
    '/trips/:id',
    {
      schema: {
        ...trips,
        summary: 'A trip with its stop times',
        params: IdParams,
        response: { 200: TripResponse, ...read },
      },
    },
    async (request) => presentTrip(await getTrip(db, requireStaff(request), request.params.id)),
  );

  app.patch(
    '/trips/:id',
    {
      schema: {
        ...trips,
        summary: "Change a trip's sale status or hold TTL",
        params: IdParams,
        body: UpdateTripBody,
        response: { 200: TripResponse, ...write },
      },
    },
    async (request) =>
      presentTrip(await changeTrip(db, requireStaff(request), deps.holdService, request.params.id, request.body)),
  );

  app.delete(
    '/trips/:id',
    {
      schema: {
        ...trips,
        summary: 'Delete a trip that never sold a seat (409 otherwise: cancel it)',
        params: IdParams,
        response: { 204: NoContent, ...write },
      },
    },
    async (request, reply) => {
      await removeTrip(db, requireStaff(request), deps.holdService, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
