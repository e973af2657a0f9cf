import { canManageOrganizer, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import {
  deleteFare,
  deleteFaresOfRoute,
  listFareRowsOfRoute,
  listFaresOfRoute,
  upsertFares,
  type FareView,
} from './fare-table.repository.js';
import { findRoute, listRouteStops, lockRoute } from './network.repository.js';
import type { FareInput } from './transport-admin.schemas.js';

/** An origin–destination fare of a route for one seat class; to = from + 1 is a single-leg fare. */
export interface Fare {
  id: string;
  routeId: string;
  fromStopId: string;
  toStopId: string;
  fromIndex: number;
  toIndex: number;
  seatClass: string;
  amount: number;
  currency: string;
}

interface FareProblem {
  path: string;
  message: string;
  stopId?: string;
}

/**
 * Inserts or re-prices a route's fares, all or nothing: every entry must name two stops of the route in
 * travel order, once per seat class; otherwise 400 lists each bad entry and nothing is written.
 */
export async function putFares(
  db: Db,
  principal: Principal,
  routeId: string,
  fares: readonly FareInput[],
): Promise<Fare[]> {
  return db.transaction().execute(async (trx) => {
    // A shared lock: the route's stops (and so the indexes resolved here) cannot change until we commit.
    const route = await lockRoute(trx, routeId, 'share');
    if (!route || !canManageOrganizer(principal, route.organizer_id)) throw notFound('Route', routeId);
    const indexOfStop = new Map(
      (await listRouteStops(trx, [routeId])).map((stop) => [stop.stop_id, stop.stop_index] as const),
    );
    const problems: FareProblem[] = [];
    const firstEntryOf = new Map<string, number>();
    const rows = fares.flatMap((fare, i) => {
      const from = indexOfStop.get(fare.fromStopId);
      const to = indexOfStop.get(fare.toStopId);
      if (from === undefined) {
        problems.push({
          path: `fares/${i}/fromStopId`,
          stopId: fare.fromStopId,
          message: 'is not a stop of this route',
        });
      }
      if (to === undefined) {
        problems.push({ path: `fares/${i}/toStopId`, stopId: fare.toStopId, message: 'is not a stop of this route' });
      }
      if (from === undefined || to === undefined) return [];
      if (from >= to) {
        problems.push({ path: `fares/${i}`, message: 'the origin must come before the destination on the route' });
        return [];
      }
      const key = `${from}:${to}:${fare.seatClass}`;
      const first = firstEntryOf.get(key);
      if (first !== undefined) {
        problems.push({ path: `fares/${i}`, message: `repeats the fare of fares/${first}` });
        return [];
      }
      firstEntryOf.set(key, i);
      return [
        {
          id: newId('fare'),
          route_id: routeId,
          from_index: from,
          to_index: to,
          seat_class: fare.seatClass,
          amount: fare.amount,
        },
      ];
    });
    if (problems.length > 0) throw new AppError('catalog.invalid', 'Some fares do not fit the route', { problems });
    await upsertFares(trx, rows);
    return (await listFaresOfRoute(trx, routeId)).map(toFare);
  });
}

export async function listFares(db: Db, principal: Principal, routeId: string): Promise<Fare[]> {
  await requireManagedRoute(db, principal, routeId);
  return (await listFaresOfRoute(db, routeId)).map(toFare);
}

export async function removeFare(db: Db, principal: Principal, routeId: string, fareId: string): Promise<void> {
  await requireManagedRoute(db, principal, routeId);
  if (!(await deleteFare(db, routeId, fareId))) throw notFound('Fare', fareId);
}

/**
 * Keeps a route's fares valid after its stops change: a fare whose two stops are still on the route, in
 * the same order, moves to their new indexes; the others are dropped. Returns how many were dropped.
 * Call inside the transaction that replaces the stops.
 */
export async function carryFaresToNewStops(
  trx: Db,
  routeId: string,
  oldStopIds: readonly string[],
  newStopIds: readonly string[],
): Promise<number> {
  const fares = await listFareRowsOfRoute(trx, routeId);
  if (fares.length === 0) return 0;
  const newIndexOf = new Map(newStopIds.map((stopId, index) => [stopId, index] as const));
  const kept = fares.flatMap((fare) => {
    const from = newIndexOf.get(oldStopIds[fare.from_index]!);
    const to = newIndexOf.get(oldStopIds[fare.to_index]!);
    return from !== undefined && to !== undefined && from < to ? [{ ...fare, from_index: from, to_index: to }] : [];
  });
  // Delete and re-insert: moving indexes in place could collide with the unique key half-way through.
  await deleteFaresOfRoute(trx, routeId);
  await upsertFares(trx, kept);
  return fares.length - kept.length;
}

async function requireManagedRoute(db: Db, principal: Principal, routeId: string): Promise<void> {
  const route = await findRoute(db, routeId);
  if (!route || !canManageOrganizer(principal, route.organizer_id)) throw notFound('Route', routeId);
}

function toFare(row: FareView): Fare {
  return {
    id: row.id,
    routeId: row.route_id,
    fromStopId: row.from_stop_id,
    toStopId: row.to_stop_id,
    fromIndex: row.from_index,
    toIndex: row.to_index,
    seatClass: row.seat_class,
    amount: row.amount,
    currency: row.currency.trim(),
  };
}
