import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../container.js';
import { AppError } from '../shared/errors.js';

/**
 * `Idempotency-Key` for requests that create or change money or seats (POST /api/bookings,
 * POST /api/payments, cancellations).
 *
 * HOW TO OPT A ROUTE IN — one line per route, plus one line per route plugin:
 *
 *   await registerIdempotency(app, deps);                        // once, in your route plugin
 *   app.post('/bookings', { config: { idempotent: true }, schema: … }, handler);
 *
 * (The hooks only act on routes with `config.idempotent`, so registering them in a plugin costs nothing
 * for its other routes. Registering twice in one plugin is harmless: the second call does nothing.)
 *
 * Behaviour, per caller (the logged-in user, else the X-Session-Id) and key, for 24 hours:
 * - same key, same request (method, URL and body, key order ignored) → the first response is replayed:
 *   its status and body, with `Idempotent-Replayed: true`; the handler does not run again;
 * - same key, another request → 422 `idempotency.key_reused`;
 * - same key while the first request is still running → 409 `idempotency.in_flight`;
 * - a 5xx answer is not kept (the client may retry with the same key); 4xx answers are kept, like
 *   Stripe does, so a retry cannot turn a refused request into an accepted one by accident;
 * - without the header the route works as usual; a request with no caller to scope the key by is not
 *   deduplicated (the route's own authentication answers it).
 *
 * Records live in `idempotency_keys` (shared by every API process). A record left in flight by a process
 * that died is taken over after two minutes.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Deduplicate this route by the Idempotency-Key header (see src/http/idempotency.ts). */
    idempotent?: boolean;
  }
}

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const IN_FLIGHT_STALE_MS = 2 * 60_000;
const CLEANUP_INTERVAL_MS = 10 * 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface KeyState {
  scope: string;
  key: string;
  body: unknown;
  captured: boolean;
  finished: boolean;
}

const registered = new WeakSet<FastifyInstance>();

/** Adds the Idempotency-Key hooks to a route plugin; routes opt in with `config: { idempotent: true }`. */
export async function registerIdempotency(app: FastifyInstance, deps: Pick<AppDeps, 'database' | 'clock'>) {
  if (registered.has(app)) return;
  registered.add(app);
  const db = deps.database.db;
  const states = new WeakMap<FastifyRequest, KeyState>();
  let lastCleanup = 0;

  const cleanUp = (now: Date) => {
    if (now.getTime() - lastCleanup < CLEANUP_INTERVAL_MS) return;
    lastCleanup = now.getTime();
    db.deleteFrom('idempotency_keys')
      .where('expires_at', '<', now)
      .execute()
      .catch(() => undefined); // tidying only; expired keys are taken over anyway
  };

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config.idempotent) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0]! : header;
    if (!KEY_PATTERN.test(key)) {
      throw new AppError('idempotency.key_invalid', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const scope = callerScope(request);
    if (!scope) return;
    const requestHash = hashRequest(request);
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);

    // The claim need not survive a database crash (the request it guards would not either), so it
    // commits without waiting for the WAL flush; the stored answer below does wait.
    const { rows: claimedRows } = await sql<{ key: string }>`
      WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
      INSERT INTO idempotency_keys (scope, key, request_hash, status, expires_at)
      SELECT ${scope}, ${key}, ${requestHash}, 'in_flight', ${expiresAt} FROM relaxed
      ON CONFLICT (scope, key) DO NOTHING
      RETURNING key`.execute(db);
    const claimed = claimedRows[0];
    if (!claimed) {
      const existing = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
      const abandoned =
        !existing ||
        existing.expires_at.getTime() <= now.getTime() ||
        (existing.status === 'in_flight' && now.getTime() - startedAt(existing.expires_at) > IN_FLIGHT_STALE_MS);
      if (abandoned) {
        // Take over an expired or abandoned record; of two requests doing so at once, one wins.
        const takenOver = existing
          ? await db
              .updateTable('idempotency_keys')
              .set({
                request_hash: requestHash,
                status: 'in_flight',
                response_status: null,
                response_body: null,
                expires_at: expiresAt,
              })
              .where('scope', '=', scope)
              .where('key', '=', key)
              .where('request_hash', '=', existing.request_hash)
              .where('status', '=', existing.status)
              .where('expires_at', '=', existing.expires_at)
              .returning('key')
              .executeTakeFirst()
          : await db
              .insertInto('idempotency_keys')
              .values({ scope, key, request_hash: requestHash, status: 'in_flight', expires_at: expiresAt })
              .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
              .returning('key')
              .executeTakeFirst();
        if (!takenOver) throw inFlight();
      } else if (existing.request_hash !== requestHash) {
        throw new AppError(
          'idempotency.key_reused',
          'This Idempotency-Key was already used for a different request; use a new key',
        );
      } else if (existing.status === 'in_flight') {
        throw inFlight();
      } else {
        reply.code(existing.response_status ?? 200).header('idempotent-replayed', 'true');
        const text = replayText(existing.response_body);
        if (text === null) return reply.send();
        return reply.type('application/json; charset=utf-8').send(text);
      }
    }
    states.set(request, { scope, key, body: undefined, captured: false, finished: false });
    cleanUp(now);
  });

  // The body as the handler (or the error handler) sent it, before serialization and compression.
  app.addHook('preSerialization', async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    const state = states.get(request);
    if (state && !state.finished) {
      state.body = payload;
      state.captured = true;
    }
    return payload;
  });

  // Stored before the answer leaves, so a retry that follows the answer always finds it.
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const state = states.get(request);
    if (!state || state.finished) return payload;
    state.finished = true;
    const status = reply.statusCode;
    const where = db.deleteFrom('idempotency_keys').where('scope', '=', state.scope).where('key', '=', state.key);
    if (status >= 500) {
      await where.execute();
      return payload;
    }
    await db
      .updateTable('idempotency_keys')
      .set({ status: 'done', response_status: status, response_body: storedBody(payload, state) })
      .where('scope', '=', state.scope)
      .where('key', '=', state.key)
      .execute();
    return payload;
  });

  // A request that ended without sending (the connection dropped first) releases its key.
  app.addHook('onResponse', async (request: FastifyRequest) => {
    const state = states.get(request);
    if (!state || state.finished) return;
    state.finished = true;
    await db
      .deleteFrom('idempotency_keys')
      .where('scope', '=', state.scope)
      .where('key', '=', state.key)
      .where('status', '=', 'in_flight')
      .execute();
  });
}

/** When the current holder claimed the key (claims and take-overs both set expires_at = claim + TTL). */
function startedAt(expiresAt: Date): number {
  return expiresAt.getTime() - IDEMPOTENCY_TTL_MS;
}

function inFlight(): AppError {
  return new AppError('idempotency.in_flight', 'A request with this Idempotency-Key is still being processed');
}

/** Whose key this is: the logged-in user, else the anonymous session; null when neither is known. */
function callerScope(request: FastifyRequest): string | null {
  if (request.principal) return `user:${request.principal.userId}`;
  const session = request.headers['x-session-id'];
  const value = Array.isArray(session) ? session[0] : session;
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? `session:${value}` : null;
}

function hashRequest(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method}\n${request.url}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, item]) => `${JSON.stringify(k)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What is kept of a response: its exact JSON text when the payload is still text here (the usual case),
 * else the body object as sent (when another hook already turned the payload into a stream or buffer).
 */
function storedBody(payload: unknown, state: KeyState): string | null {
  if (typeof payload === 'string') return payload === '' ? null : JSON.stringify({ text: payload });
  if (state.captured && state.body !== undefined && state.body !== null) return JSON.stringify({ json: state.body });
  return null;
}

function replayText(stored: unknown): string | null {
  if (stored === null || stored === undefined || typeof stored !== 'object') return null;
  const record = stored as { text?: unknown; json?: unknown };
  if (typeof record.text === 'string') return record.text;
  return record.json === undefined ? null : JSON.stringify(record.json);
}
