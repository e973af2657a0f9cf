import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../http/common.schemas.js';
import { AppError } from '../shared/errors.js';
import { ID_PREFIX } from '../shared/ids.js';
import type { Clock } from '../shared/clock.js';
import type { HoldService, HoldView } from './hold.service.js';
import { CreateHoldBody, HoldResponse, HoldTokenParams, SessionHeaders } from './hold.schemas.js';

export interface HoldRoutesOptions {
  holdService: HoldService;
  clock: Clock;
  maxLifetimeSeconds: number;
  /** Requests per minute per client for POST /api/holds. */
  rateLimitPerMinute: number;
}

function sessionOf(request: FastifyRequest): string | undefined {
  const value = request.headers['x-session-id'];
  const session = Array.isArray(value) ? value[0] : value;
  // A user's holds are owned by their user id; a session id shaped like one could pass for that user.
  if (session?.startsWith(`${ID_PREFIX.user}_`)) {
    throw new AppError('request.invalid', `An X-Session-Id must not start with ${ID_PREFIX.user}_`, [
      { field: 'headers/x-session-id', message: `must not start with ${ID_PREFIX.user}_` },
    ]);
  }
  return session;
}

/**
 * Who owns the holds of this request: the logged-in user (X-Session-Id is then ignored), else the
 * anonymous session. Another owner's hold answers 404, as if it did not exist.
 */
function requireOwner(request: FastifyRequest): string {
  if (request.principal) return request.principal.userId;
  const session = sessionOf(request);
  if (!session) throw new AppError('request.invalid', 'Log in, or send the X-Session-Id header that owns this hold');
  return session;
}

export const holdRoutes: FastifyPluginAsyncTypebox<HoldRoutesOptions> = async (app, options) => {
  const { holdService, clock, maxLifetimeSeconds } = options;

  const present = (hold: HoldView) => {
    const now = clock.now().getTime();
    const maxExpiry = hold.createdAt.getTime() + maxLifetimeSeconds * 1000;
    return {
      token: hold.token,
      owner: hold.owner,
      kind: hold.inventory.kind,
      ...(hold.inventory.kind === 'event' ? { eventId: hold.inventory.id } : { tripId: hold.inventory.id }),
      ...(hold.fromStopId ? { from: hold.fromStopId, to: hold.toStopId } : {}),
      segment: { fromIndex: hold.segment.from, toIndex: hold.segment.to },
      seats: hold.seats,
      ga: hold.ga.map((item) => ({ areaId: item.areaId, quantity: item.quantity })),
      createdAt: hold.createdAt.toISOString(),
      expiresAt: hold.expiresAt.toISOString(),
      expiresInSeconds: Math.max(0, Math.round((hold.expiresAt.getTime() - now) / 1000)),
      extended: hold.extended,
      canExtend: !hold.extended && hold.expiresAt.getTime() < maxExpiry,
    };
  };

  app.post(
    '/holds',
    {
      config: { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['holds'],
        summary: 'Hold seats (or GA quantities) on an event or a trip segment, all or nothing',
        description:
          'Send `eventId`, or `tripId` with `from` and `to` stop ids. The hold belongs to the logged-in user ' +
          '(access token), else to the X-Session-Id header (one is generated and returned as `owner` when ' +
          'absent). 409 lists the seats not available.',
        headers: SessionHeaders,
        body: CreateHoldBody,
        response: { 201: HoldResponse, ...errorResponses(400, 404, 409, 413, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if ((body.eventId === undefined) === (body.tripId === undefined)) {
        throw new AppError('request.invalid', 'Send exactly one of eventId or tripId');
      }
      if (body.tripId !== undefined && (body.from === undefined || body.to === undefined)) {
        throw new AppError('request.invalid', 'A trip hold needs the boarding stop (from) and alighting stop (to)');
      }
      if (body.eventId !== undefined && (body.from !== undefined || body.to !== undefined)) {
        throw new AppError('request.invalid', 'from and to apply to trips only');
      }
      const owner = request.principal?.userId ?? sessionOf(request) ?? `anon_${randomBytes(16).toString('base64url')}`;
      const hold = await holdService.createHold({
        target:
          body.eventId !== undefined
            ? { kind: 'event', eventId: body.eventId }
            : { kind: 'trip', tripId: body.tripId!, fromStopId: body.from!, toStopId: body.to! },
        owner,
        seatIds: body.seatIds ?? [],
        ga: body.ga ?? [],
      });
      return reply.status(201).send(present(hold));
    },
  );

  app.get(
    '/holds/:token',
    {
      schema: {
        tags: ['holds'],
        summary: 'A live hold of the caller (user or session); another owner’s hold answers 404',
        headers: SessionHeaders,
        params: HoldTokenParams,
        response: { 200: HoldResponse, ...errorResponses(400, 404) },
      },
    },
    async (request) => present(await holdService.getHold(request.params.token, requireOwner(request))),
  );

  app.post(
    '/holds/:token/extend',
    {
      schema: {
        tags: ['holds'],
        summary: 'Extend a hold once (by its TTL, never beyond its maximum lifetime)',
        headers: SessionHeaders,
        params: HoldTokenParams,
        response: { 200: HoldResponse, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => present(await holdService.extendHold(request.params.token, requireOwner(request))),
  );

  app.delete(
    '/holds/:token',
    {
      schema: {
        tags: ['holds'],
        summary: 'Release a hold; its seats are free at once',
        headers: SessionHeaders,
        params: HoldTokenParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await holdService.releaseHold(request.params.token, requireOwner(request));
      return reply.status(204).send(null);
    },
  );
};
