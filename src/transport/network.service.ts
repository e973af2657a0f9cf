import { canManageOrganizer, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { RouteRow, StopRow } from '../db/schema.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { canonicalTimeZone } from '../shared/time.js';
import { carryFaresToNewStops } from './fare-table.service.js';
import {
  deleteRoute,
  deleteStop,
  findOrganizer,
  findRoute,
  findRouteByCode,
  findStop,
  findStopByCode,
  findStopsByIds,
  insertRoute,
  insertStop,
  isStopOnAnyRoute,
  listRoutesOfOrganizer,
  listRouteStops,
  listStopsOfOrganizer,
  lockRoute,
  replaceRouteStops,
  routeHasTrips,
  updateRoute,
  updateStop,
  type RouteStopRow,
} from './network.repository.js';
import type {
  CreateRouteBody,
  CreateStopBody,
  RouteStopInput,
  UpdateRouteBody,
  UpdateStopBody,
} from './transport-admin.schemas.js';
import { requireUsableVehicleLayout } from './vehicle-layout.service.js';

/**
 * Stops and routes: the network trips run on. Every function takes the caller: staff manage only their
 * organizer's stops and routes, and another organizer's answer 404 as if they did not exist.
 */

export interface Stop {
  id: string;
  organizerId: string;
  code: string;
  name: string;
  city: string;
  lat: number | null;
  lon: number | null;
  timezone: string;
}

export interface RouteStop {
  index: number;
  stopId: string;
  code: string;
  name: string;
  timezone: string;
  arriveOffsetMin: number;
  departOffsetMin: number;
}

export interface Route {
  id: string;
  organizerId: string;
  code: string;
  name: string;
  mode: RouteRow['mode'];
  defaultLayoutId: string | null;
  stops: RouteStop[];
}

interface Problem {
  path: string;
  message: string;
}

// ── Stops ────────────────────────────────────────────────────────────────────────────────────────────

export async function createStop(db: Db, principal: Principal, input: CreateStopBody): Promise<Stop> {
  const timezone = requireTimeZone(input.timezone);
  await requireManagedOrganizer(db, principal, input.organizerId);
  await requireFreeStopCode(db, input.organizerId, input.code);
  const row = await insertStop(db, {
    id: newId('stop'),
    organizer_id: input.organizerId,
    code: input.code,
    name: input.name.trim(),
    city: input.city?.trim() ?? '',
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    timezone,
  });
  return toStop(row);
}

export async function listStops(db: Db, principal: Principal, organizerId: string): Promise<Stop[]> {
  await requireManagedOrganizer(db, principal, organizerId);
  return (await listStopsOfOrganizer(db, organizerId)).map(toStop);
}

export async function getStop(db: Db, principal: Principal, stopId: string): Promise<Stop> {
  return toStop(await requireManagedStop(db, principal, stopId));
}

/** Changes a stop. Its trips keep their UTC times; a new time zone only changes how they are shown. */
export async function changeStop(db: Db, principal: Principal, stopId: string, changes: UpdateStopBody): Promise<Stop> {
  const timezone = changes.timezone === undefined ? undefined : requireTimeZone(changes.timezone);
  const stop = await requireManagedStop(db, principal, stopId);
  if (changes.code !== undefined && changes.code !== stop.code) {
    await requireFreeStopCode(db, stop.organizer_id, changes.code);
  }
  const row = await updateStop(db, stopId, {
    ...(changes.code !== undefined && { code: changes.code }),
    ...(changes.name !== undefined && { name: changes.name.trim() }),
    ...(changes.city !== undefined && { city: changes.city.trim() }),
    ...(changes.lat !== undefined && { lat: changes.lat }),
    ...(changes.lon !== undefined && { lon: changes.lon }),
    ...(timezone !== undefined && { timezone }),
  });
  if (!row) throw notFound('Stop', stopId);
  return toStop(row);
}

/** Deletes a stop that no route uses (the foreign key refuses it too, should a route take it meanwhile). */
export async function removeStop(db: Db, principal: Principal, stopId: string): Promise<void> {
  await requireManagedStop(db, principal, stopId);
  if (await isStopOnAnyRoute(db, stopId)) {
    throw new AppError('resource.in_use', 'This stop is on a route; take it off the route first', { stopId });
  }
  if (!(await deleteStop(db, stopId))) throw notFound('Stop', stopId);
}

/** 404 unless the organizer exists and the caller manages it. */
export async function requireManagedOrganizer(db: Db, principal: Principal, organizerId: string): Promise<void> {
  if (!canManageOrganizer(principal, organizerId) || !(await findOrganizer(db, organizerId))) {
    throw notFound('Organizer', organizerId);
  }
}

async function requireManagedStop(db: Db, principal: Principal, stopId: string): Promise<StopRow> {
  const stop = await findStop(db, stopId);
  if (!stop || !canManageOrganizer(principal, stop.organizer_id)) throw notFound('Stop', stopId);
  return stop;
}

function requireTimeZone(timeZone: string): string {
  const canonical = canonicalTimeZone(timeZone);
  if (!canonical) {
    throw new AppError('request.invalid', `${timeZone} is not a known IANA time zone`, [
      { field: 'body/timezone', message: 'must be an IANA time zone such as Asia/Dhaka' },
    ]);
  }
  return canonical;
}

async function requireFreeStopCode(db: Db, organizerId: string, code: string): Promise<void> {
  if (await findStopByCode(db, organizerId, code)) {
    throw new AppError('resource.conflict', `This organizer already has a stop with code ${code}`, { code });
  }
}

function toStop(row: StopRow): Stop {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    code: row.code,
    name: row.name,
    city: row.city,
    lat: row.lat,
    lon: row.lon,
    timezone: row.timezone,
  };
}

// ── Routes ───────────────────────────────────────────────────────────────────────────────────────────

export async function createRoute(db: Db, principal: Principal, input: CreateRouteBody): Promise<Route> {
  return db.transaction().execute(async (trx) => {
    await requireManagedOrganizer(trx, principal, input.organizerId);
    if (await findRouteByCode(trx, input.organizerId, input.code)) {
      throw new AppError('resource.conflict', `This organizer already has a route with code ${input.code}`, {
        code: input.code,
      });
    }
    await requireRouteStops(trx, principal, input.organizerId, input.stops);
    if (input.defaultLayoutId !== undefined) {
      await requireUsableVehicleLayout(trx, principal, input.organizerId, input.defaultLayoutId, 'defaultLayoutId');
    }
    const route = await insertRoute(trx, {
      id: newId('route'),
      organizer_id: input.organizerId,
      code: input.code,
      name: input.name.trim(),
      mode: input.mode,
      default_layout_id: input.defaultLayoutId ?? null,
    });
    await replaceRouteStops(trx, route.id, toRouteStopRows(input.stops));
    return (await withStops(trx, [route]))[0]!;
  });
}

export async function listRoutes(db: Db, principal: Principal, organizerId: string): Promise<Route[]> {
  await requireManagedOrganizer(db, principal, organizerId);
  return withStops(db, await listRoutesOfOrganizer(db, organizerId));
}

export async function getRoute(db: Db, principal: Principal, routeId: string): Promise<Route> {
  const route = await findRoute(db, routeId);
  if (!route || !canManageOrganizer(principal, route.organizer_id)) throw notFound('Route', routeId);
  return (await withStops(db, [route]))[0]!;
}

/**
 * Renames a route, changes its default layout, or replaces its stops. Stops can change only while the
 * route has no trips (a trip's stop times and sold segments are tied to the stop indexes); fares between
 * stops that stay on the route, in the same order, are carried over.
 */
export async function changeRoute(
  db: Db,
  principal: Principal,
  routeId: string,
  changes: UpdateRouteBody,
): Promise<Route> {
  return db.transaction().execute(async (trx) => {
    const route = await lockRoute(trx, routeId, 'update');
    if (!route || !canManageOrganizer(principal, route.organizer_id)) throw notFound('Route', routeId);
    if (changes.stops !== undefined) {
      if (await routeHasTrips(trx, routeId)) {
        throw new AppError('resource.in_use', 'The stops of a route with trips cannot change; create a new route', {
          routeId,
        });
      }
      await requireRouteStops(trx, principal, route.organizer_id, changes.stops);
      const oldStopIds = (await listRouteStops(trx, [routeId])).map((stop) => stop.stop_id);
      await replaceRouteStops(trx, routeId, toRouteStopRows(changes.stops));
      await carryFaresToNewStops(
        trx,
        routeId,
        oldStopIds,
        changes.stops.map((stop) => stop.stopId),
      );
    }
    if (changes.defaultLayoutId) {
      await requireUsableVehicleLayout(trx, principal, route.organizer_id, changes.defaultLayoutId, 'defaultLayoutId');
    }
    const updated = await updateRoute(trx, routeId, {
      ...(changes.name !== undefined && { name: changes.name.trim() }),
      ...(changes.defaultLayoutId !== undefined && { default_layout_id: changes.defaultLayoutId }),
    });
    return (await withStops(trx, [updated]))[0]!;
  });
}

/** Deletes a route without trips, with its stops list and fares. */
export async function removeRoute(db: Db, principal: Principal, routeId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const route = await lockRoute(trx, routeId, 'update');
    if (!route || !canManageOrganizer(principal, route.organizer_id)) throw notFound('Route', routeId);
    if (await routeHasTrips(trx, routeId)) {
      throw new AppError('resource.in_use', 'This route has trips; delete them first, or keep the route', {
        routeId,
      });
    }
    await deleteRoute(trx, routeId);
  });
}

/**
 * A route's stops must exist (else 404), belong to the route's organizer, appear once, and have times
 * that never go backwards: offsets count minutes from the departure at the first stop. Stops the caller
 * may not manage count as missing, so staff learn nothing about other organizers' stops.
 */
async function requireRouteStops(
  db: Db,
  principal: Principal,
  organizerId: string,
  stops: readonly RouteStopInput[],
): Promise<void> {
  const stopIds = stops.map((stop) => stop.stopId);
  const visible = (await findStopsByIds(db, [...new Set(stopIds)])).filter((row) =>
    canManageOrganizer(principal, row.organizer_id),
  );
  const found = new Map(visible.map((row) => [row.id, row] as const));
  const missing = [...new Set(stopIds.filter((id) => !found.has(id)))];
  if (missing.length > 0) {
    throw new AppError('resource.not_found', 'Some stops were not found', { stopIds: missing });
  }

  const problems: Problem[] = [];
  const firstIndexOf = new Map<string, number>();
  stops.forEach((stop, i) => {
    const path = `stops/${i}`;
    if (found.get(stop.stopId)!.organizer_id !== organizerId) {
      problems.push({ path: `${path}/stopId`, message: 'belongs to another organizer' });
    }
    const first = firstIndexOf.get(stop.stopId);
    if (first !== undefined) problems.push({ path: `${path}/stopId`, message: `repeats stops/${first}` });
    else firstIndexOf.set(stop.stopId, i);
    if (stop.departOffsetMin < stop.arriveOffsetMin) {
      problems.push({ path: `${path}/departOffsetMin`, message: 'must not be before arriveOffsetMin' });
    }
    if (i === 0 && (stop.arriveOffsetMin !== 0 || stop.departOffsetMin !== 0)) {
      problems.push({ path, message: 'the first stop departs at offset 0: offsets count from that departure' });
    }
    const previous = stops[i - 1];
    if (previous && stop.arriveOffsetMin < previous.departOffsetMin) {
      problems.push({ path: `${path}/arriveOffsetMin`, message: `must not be before stops/${i - 1}/departOffsetMin` });
    }
  });
  if (problems.length > 0) throw new AppError('catalog.invalid', 'The stops of the route are not valid', { problems });
}

function toRouteStopRows(stops: readonly RouteStopInput[]) {
  return stops.map((stop, index) => ({
    stop_index: index,
    stop_id: stop.stopId,
    arrive_offset_min: stop.arriveOffsetMin,
    depart_offset_min: stop.departOffsetMin,
  }));
}

async function withStops(db: Db, routes: RouteRow[]): Promise<Route[]> {
  const stopsByRoute = new Map<string, RouteStopRow[]>();
  for (const stop of await listRouteStops(
    db,
    routes.map((route) => route.id),
  )) {
    const list = stopsByRoute.get(stop.route_id) ?? [];
    list.push(stop);
    stopsByRoute.set(stop.route_id, list);
  }
  return routes.map((route) => ({
    id: route.id,
    organizerId: route.organizer_id,
    code: route.code,
    name: route.name,
    mode: route.mode,
    defaultLayoutId: route.default_layout_id,
    stops: (stopsByRoute.get(route.id) ?? []).map((stop) => ({
      index: stop.stop_index,
      stopId: stop.stop_id,
      code: stop.code,
      name: stop.name,
      timezone: stop.timezone,
      arriveOffsetMin: stop.arrive_offset_min,
      departOffsetMin: stop.depart_offset_min,
    })),
  }));
}
