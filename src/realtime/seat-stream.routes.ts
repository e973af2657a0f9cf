import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventIdParams } from '../catalog/event-browse.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { TripIdParams } from '../transport/trip-search.schemas.js';
import {
  EventSeatStreamQuery,
  SEAT_STREAM_DESCRIPTION,
  SeatStreamHeaders,
  SeatStreamResponse,
  TripSeatStreamQuery,
} from './seat-stream.schemas.js';
import { SeatStreamHub, type PreparedSeatStream } from './seat-stream.service.js';
import { SeatStreamTargets } from './seat-stream-targets.js';

/** Live seat maps over Server-Sent Events, for events and for trip segments. Public, like the seat maps. */
export const seatStreamRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const hub = new SeatStreamHub(
    {
      db: deps.database.db,
      holdStore: deps.holdStore,
      holdService: deps.holdService,
      bus: deps.seatChangeBus,
      metrics: deps.metrics,
      log: app.log,
    },
    { ...deps.seatStreamOptions },
  );
  const targets = new SeatStreamTargets(deps.database.db);
  // Streams never end by themselves; the server could not close while they are open.
  app.addHook('preClose', async () => hub.close());

  app.get(
    '/events/:id/seats/stream',
    {
      schema: {
        tags: ['events'],
        summary: 'Live seat status of an event (Server-Sent Events)',
        description: SEAT_STREAM_DESCRIPTION,
        params: EventIdParams,
        querystring: EventSeatStreamQuery,
        headers: SeatStreamHeaders,
        response: { 200: SeatStreamResponse, ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const target = await targets.event(request.params.id);
      const stream = await hub.open(target, lastEventIdOf(request, request.query.lastEventId));
      startStream(reply, stream);
    },
  );

  app.get(
    '/trips/:id/seats/stream',
    {
      schema: {
        tags: ['trips'],
        summary: 'Live seat status of a trip for the segment from → to (Server-Sent Events)',
        description: `${SEAT_STREAM_DESCRIPTION} A seat's status is for the segment: \`from\` and \`to\` are stop ids as for the seat map.`,
        params: TripIdParams,
        querystring: TripSeatStreamQuery,
        headers: SeatStreamHeaders,
        response: { 200: SeatStreamResponse, ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const { lastEventId, ...segment } = request.query;
      const target = await targets.trip(request.params.id, segment);
      const stream = await hub.open(target, lastEventIdOf(request, lastEventId));
      startStream(reply, stream);
    },
  );
};

function lastEventIdOf(request: FastifyRequest, fromQuery: string | undefined): string | undefined {
  const header = request.headers['last-event-id'];
  return (Array.isArray(header) ? header[0] : header) ?? fromQuery;
}

/** Takes the response over from Fastify (no serialisation, no compression) and keeps it open. */
function startStream(reply: FastifyReply, stream: PreparedSeatStream): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // The stream only ends when the server ends it (shutdown, a client too far behind); the connection is not
    // reused then, so the server never waits for a client to drop an idle one.
    connection: 'close',
    // Proxies such as nginx would otherwise buffer the stream.
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  // Reconnect after 1–3 s: spread, so a restart does not bring every browser back in the same instant.
  res.write(`retry: ${1000 + Math.floor(Math.random() * 2000)}\n\n`);
  const detach = stream.attach({
    write: (text) => {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    },
    get buffered() {
      return res.writableLength;
    },
    end: () => {
      if (!res.writableEnded) res.end();
    },
  });
  // The response closes when the client goes away (or the hub ended it); the request's own 'close' fires
  // as soon as its (empty) body was read, so it says nothing here.
  res.on('close', detach);
}
