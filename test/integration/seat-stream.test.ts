import { sql } from 'kysely';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import { EVENT_SEGMENT } from '../../src/inventory/segments.js';
import { createTestUser } from '../support/auth.js';
import { sleep } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, gridLayout, type EventFixture } from '../support/fixtures.js';
import { bookOrder, createPricedEvent, startFakePayment, TEST_GATEWAY_SECRET } from '../support/payments.js';
import { seatViewOf, SseClient, type SseMessage } from '../support/sse-client.js';
import { availableHoldStores, createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * Live seat maps over real HTTP with real streaming clients: the contract of docs/decisions/0013 — a
 * snapshot first, then every change (hold, release, sale, cancellation, expiry by time) on every open
 * stream within a second, resumable with Last-Event-ID — and the cost: one read per change per process,
 * whatever the number of streams.
 */
const ENV = { FAKE_GATEWAY_SECRET: TEST_GATEWAY_SECRET };
const WITHIN_MS = 1000;

let sessionCounter = 0;
const session = () => `stream-test-session-${String(++sessionCounter).padStart(4, '0')}`;

interface Json {
  [key: string]: unknown;
}

async function post(base: string, path: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json, at: Date.now() };
}

async function holdSeats(base: string, body: object, owner = session()) {
  const reply = await post(base, '/api/holds', body, { 'x-session-id': owner });
  if (reply.status !== 201) throw new Error(`hold failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return {
    token: reply.body.token as string,
    expiresAt: new Date(reply.body.expiresAt as string),
    owner,
    at: reply.at,
  };
}

async function release(base: string, hold: { token: string; owner: string }) {
  const response = await fetch(`${base}/api/holds/${hold.token}`, {
    method: 'DELETE',
    headers: { 'x-session-id': hold.owner },
  });
  expect(response.status).toBe(204);
  return Date.now();
}

const dataOf = (message: SseMessage) => JSON.parse(message.data) as Json;
const seqOf = (message: SseMessage) => Number(message.id.split('.')[1]);

/** The statuses the plain seat-map endpoint reports, for comparing with what a stream built up. */
async function seatMapView(base: string, eventId: string): Promise<Map<string, string>> {
  const map = (await (await fetch(`${base}/api/events/${eventId}/seats`)).json()) as {
    layout: { seats: { id: string; status: string }[] };
  };
  return new Map(map.layout.seats.filter((seat) => seat.status !== 'available').map((seat) => [seat.id, seat.status]));
}

describe(`live seat maps over Server-Sent Events (${databaseKind})`, () => {
  let t: TestApp;
  const clients: SseClient[] = [];

  const db = () => t.deps.database.db;
  const open = async (path: string, options: { lastEventId?: string; headers?: Record<string, string> } = {}) => {
    const client = await SseClient.open(`${t.url}${path}`, options);
    clients.push(client);
    return client;
  };
  const openEvent = async (eventId: string, options: { lastEventId?: string } = {}) => {
    const client = await open(`/api/events/${eventId}/seats/stream`, options);
    expect(client.status).toBe(200);
    return client;
  };
  const counter = async (name: 'seatFeedRecomputes' | 'seatChangesReceived') =>
    (await t.deps.metrics[name].get()).values[0]?.value ?? 0;

  beforeAll(async () => {
    t = await createTestApp({ listen: true, env: ENV });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t?.close();
  });

  it('answers an uncompressed, uncached text/event-stream that starts with a snapshot of what is not available', async () => {
    const layout = gridLayout(2, 5, { gaAreas: [{ name: 'Standing', category: 'GA', capacity: 50 }] });
    layout.sections[0]!.rows![1]!.seats[4]!.flags = ['blocked'];
    const event = await createEventOnSale(db(), { layout });
    const [held, sold] = event.seatIds;
    const blocked = event.seatIds[9]!;
    const area = event.gaAreaIds[0]!;
    await holdSeats(t.url, { eventId: event.eventId, seatIds: [held], ga: [{ areaId: area, quantity: 3 }] });
    await insertSeatSales(db(), {
      inventory: { kind: 'event', id: event.eventId },
      seatIds: [sold!],
      segment: EVENT_SEGMENT,
    });

    const client = await open(`/api/events/${event.eventId}/seats/stream`, {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(client.headers.get('cache-control')).toBe('no-store');
    expect(client.headers.get('content-encoding')).toBeNull();
    const snapshot = await client.next();
    expect(snapshot.event).toBe('snapshot');
    expect(snapshot.id).toMatch(/^[a-z0-9]+\.\d+$/);
    expect(dataOf(snapshot)).toEqual({
      inventoryId: event.eventId,
      seats: { [held!]: 'held', [sold!]: 'sold', [blocked]: 'blocked' },
      ga: { [area]: { available: 47 } },
    });
  });

  it('shows a hold, its release and GA quantities on every open stream within a second, ids increasing', async () => {
    const layout = gridLayout(2, 5, { gaAreas: [{ name: 'Floor', category: 'GA', capacity: 10 }] });
    const event = await createEventOnSale(db(), { layout });
    const [seat] = event.seatIds;
    const area = event.gaAreaIds[0]!;
    const watchers = await Promise.all([1, 2, 3].map(() => openEvent(event.eventId)));
    await Promise.all(watchers.map((client) => client.next((m) => m.event === 'snapshot')));

    const hold = await holdSeats(t.url, { eventId: event.eventId, seatIds: [seat] });
    for (const client of watchers) {
      const message = await client.nextChange(seat!, 'held');
      expect(message.receivedAt - hold.at).toBeLessThan(WITHIN_MS);
    }
    const releasedAt = await release(t.url, hold);
    for (const client of watchers) {
      expect((await client.nextChange(seat!, 'available')).receivedAt - releasedAt).toBeLessThan(WITHIN_MS);
    }
    const gaHold = await holdSeats(t.url, { eventId: event.eventId, ga: [{ areaId: area, quantity: 4 }] });
    for (const client of watchers) {
      const message = await client.next((m) => m.event === 'seats' && dataOf(m).ga !== undefined);
      expect(dataOf(message)).toEqual({ changes: {}, ga: { [area]: { available: 6 } } });
      expect(message.receivedAt - gaHold.at).toBeLessThan(WITHIN_MS);
      const seqs = client.messages.map(seqOf);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(client.messages.slice(1).map((m) => m.id)).size).toBe(client.messages.length - 1);
    }
  });

  it('shows seats sold after payment, and available again when the organizer cancels the event with refunds', async () => {
    const event = await createPricedEvent(t);
    const buyer = await createTestUser(t);
    const client = await openEvent(event.eventId);
    await client.next((m) => m.event === 'snapshot');
    const order = await bookOrder(t, buyer, { event, seatIds: event.seatIds.slice(0, 2) });
    const payment = await startFakePayment(t, buyer, order.orderId);
    const paid = await post(t.url, `/pay/${payment.chargeId}`, { action: 'pay' }, { accept: 'application/json' });
    expect(paid.status).toBe(200);
    for (const seatId of order.seatIds) {
      expect((await client.nextChange(seatId, 'sold')).receivedAt - paid.at).toBeLessThan(WITHIN_MS);
    }

    const cancelled = await post(t.url, `/api/admin/events/${event.eventId}/cancel`, {}, t.adminHeaders);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.ordersRefunded).toBe(1);
    for (const seatId of order.seatIds) {
      expect((await client.nextChange(seatId, 'available')).receivedAt - cancelled.at).toBeLessThan(WITHIN_MS);
    }
    expect(seatViewOf(client.messages)).toEqual(await seatMapView(t.url, event.eventId));
  });

  it('shows a hold expiring by time within a second, with no sweeper and no message from anybody', async () => {
    const event = await createEventOnSale(db(), { holdTtlSeconds: 1 });
    const seat = event.seatIds[0]!;
    const client = await openEvent(event.eventId);
    await client.next((m) => m.event === 'snapshot');
    const hold = await holdSeats(t.url, { eventId: event.eventId, seatIds: [seat] });
    await client.nextChange(seat, 'held');
    await t.deps.seatChangeBus.flush();
    const messagesBefore = await counter('seatChangesReceived');

    const expired = await client.nextChange(seat, 'available', 5000);
    expect(expired.receivedAt).toBeGreaterThanOrEqual(hold.expiresAt.getTime());
    expect(expired.receivedAt - hold.expiresAt.getTime()).toBeLessThan(WITHIN_MS);
    expect(await counter('seatChangesReceived')).toBe(messagesBefore);
  });

  it('resumes from Last-Event-ID with exactly the changes missed, or starts over with a snapshot', async () => {
    const event = await createEventOnSale(db());
    const [s0, s1, s2, s3] = event.seatIds;
    const observer = await openEvent(event.eventId);
    const first = await openEvent(event.eventId);
    await first.next((m) => m.event === 'snapshot');
    const h0 = await holdSeats(t.url, { eventId: event.eventId, seatIds: [s0] });
    const seen = await first.nextChange(s0!, 'held');
    first.close();

    // Changes while the buyer's connection is down.
    await holdSeats(t.url, { eventId: event.eventId, seatIds: [s1] });
    await holdSeats(t.url, { eventId: event.eventId, seatIds: [s2, s3] });
    await release(t.url, h0);
    await observer.nextChange(s0!, 'available');

    const resumed = await openEvent(event.eventId, { lastEventId: seen.id });
    await resumed.nextChange(s0!, 'available');
    expect(resumed.messages.map((m) => m.event)).not.toContain('snapshot');
    expect(Math.min(...resumed.messages.map(seqOf))).toBe(seqOf(seen) + 1);
    const view = seatViewOf([...first.messages, ...resumed.messages]);
    expect(view).toEqual(await seatMapView(t.url, event.eventId));
    expect(view).toEqual(
      new Map([
        [s1, 'held'],
        [s2, 'held'],
        [s3, 'held'],
      ]),
    );

    // Nothing missed: nothing replayed, and the next change still arrives.
    const upToDate = await openEvent(event.eventId, { lastEventId: resumed.lastEventId });
    await holdSeats(t.url, { eventId: event.eventId, seatIds: [event.seatIds[4]!] });
    const next = await upToDate.nextChange(event.seatIds[4]!, 'held');
    expect(upToDate.messages[0]).toBe(next);

    // An id this feed never gave (another process's, one from before a restart, garbage): a fresh snapshot.
    for (const lastEventId of ['0123456789ab.3', 'garbage', `${seen.id.split('.')[0]}.999999`]) {
      const fresh = await openEvent(event.eventId, { lastEventId });
      const snapshot = await fresh.next();
      expect(snapshot.event).toBe('snapshot');
      expect(new Map(Object.entries(dataOf(snapshot).seats as Record<string, string>))).toEqual(
        await seatMapView(t.url, event.eventId),
      );
    }
    // Clients that cannot set the header pass the id in the query string.
    const byQuery = await open(`/api/events/${event.eventId}/seats/stream?lastEventId=${encodeURIComponent(seen.id)}`);
    await byQuery.nextChange(s0!, 'available');
    expect(byQuery.messages.map((m) => m.event)).not.toContain('snapshot');
  });

  it('shows a trip seat on the segments that overlap the hold, not on those that only touch it', async () => {
    const trip = await createTrip(db(), { stopCount: 4 });
    const [a, b, c, d] = trip.stopIds;
    const [x, y] = trip.seatIds;
    const stream = (from?: string, to?: string) => {
      const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
      return open(`/api/trips/${trip.tripId}/seats/stream${query ? `?${query}` : ''}`);
    };
    const [ab, bc, ac, whole] = await Promise.all([stream(a, b), stream(b, c), stream(a, c), stream()]);
    for (const client of [ab, bc, ac, whole]) {
      expect(client.status).toBe(200);
      expect(dataOf(await client.next()).seats).toEqual({});
    }

    const hold = await holdSeats(t.url, { tripId: trip.tripId, from: a, to: b, seatIds: [x] });
    for (const client of [ab, ac, whole]) {
      expect((await client.nextChange(x!, 'held')).receivedAt - hold.at).toBeLessThan(WITHIN_MS);
    }
    await holdSeats(t.url, { tripId: trip.tripId, from: c, to: d, seatIds: [y] });
    await whole.nextChange(y!, 'held');
    await holdSeats(t.url, { tripId: trip.tripId, from: b, to: c, seatIds: [y] });
    await bc.nextChange(y!, 'held');
    // B→C touches A→B and C→D without overlapping: it never saw seat x held, nor seat y's C→D hold.
    expect(seatViewOf(bc.messages)).toEqual(new Map([[y, 'held']]));
    expect(seatViewOf(ab.messages)).toEqual(new Map([[x, 'held']]));

    const backwards = await fetch(`${t.url}/api/trips/${trip.tripId}/seats/stream?from=${c}&to=${a}`);
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { error: { code: string } }).error.code).toBe('inventory.segment_invalid');
  });

  it('answers 404 for unknown and draft events and unknown trips, 400 for unknown query parameters', async () => {
    const draft = await createEventOnSale(db(), { status: 'draft' });
    const cases: [string, number, string][] = [
      ['/api/events/evt_unknown000000/seats/stream', 404, 'resource.not_found'],
      [`/api/events/${draft.eventId}/seats/stream`, 404, 'resource.not_found'],
      ['/api/trips/trp_unknown000000/seats/stream', 404, 'resource.not_found'],
      [`/api/events/${draft.eventId}/seats/stream?page=2`, 400, 'request.invalid'],
    ];
    for (const [path, status, code] of cases) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });

  it('documents both streams in the OpenAPI document as text/event-stream', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    for (const path of ['/api/events/{id}/seats/stream', '/api/trips/{id}/seats/stream']) {
      expect(Object.keys(doc.paths[path]!.get.responses['200']!.content ?? {}), path).toEqual(['text/event-stream']);
    }
  });

  it('serves two hundred streams of one event with one read per change, not one per stream', async () => {
    const event = await createEventOnSale(db(), { layout: gridLayout(10, 20) });
    const watchers = await Promise.all(Array.from({ length: 200 }, () => openEvent(event.eventId)));
    await Promise.all(watchers.map((client) => client.next((m) => m.event === 'snapshot')));
    const before = await counter('seatFeedRecomputes');

    const hold = await holdSeats(t.url, { eventId: event.eventId, seatIds: [event.seatIds[0]!] });
    const arrivals = await Promise.all(watchers.map((client) => client.nextChange(event.seatIds[0]!, 'held')));
    expect(Math.max(...arrivals.map((m) => m.receivedAt)) - hold.at).toBeLessThan(WITHIN_MS);
    expect((await counter('seatFeedRecomputes')) - before).toBeLessThanOrEqual(2);

    // A burst of fifty buyers: every stream ends with all fifty seats, from a handful of reads.
    const burstStart = await counter('seatFeedRecomputes');
    const seats = event.seatIds.slice(1, 51);
    await Promise.all(seats.map((seatId) => holdSeats(t.url, { eventId: event.eventId, seatIds: [seatId] })));
    await Promise.all(watchers.map((client) => client.nextChange(seats.at(-1)!, 'held')));
    await sleep(400); // let any change still in flight arrive
    const truth = await seatMapView(t.url, event.eventId);
    expect(truth.size).toBe(51);
    for (const client of watchers) expect(seatViewOf(client.messages)).toEqual(truth);
    expect((await counter('seatFeedRecomputes')) - burstStart).toBeLessThan(25);
  });
});

describe('live seat map limits and shutdown', () => {
  it('refuses streams beyond SEAT_STREAM_MAX_CONNECTIONS with 503, and ends every stream when the server stops', async () => {
    const app = await createTestApp({ listen: true, env: { SEAT_STREAM_MAX_CONNECTIONS: '2' } });
    const event = await createEventOnSale(app.deps.database.db);
    const path = `${app.url}/api/events/${event.eventId}/seats/stream`;
    const [one, two] = [await SseClient.open(path), await SseClient.open(path)];
    await Promise.all([one.next(), two.next()]);
    const third = await fetch(path);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('service.unavailable');

    // A closed stream frees its place.
    two.close();
    await expect
      .poll(
        async () => {
          const client = await SseClient.open(path);
          client.close();
          return client.status;
        },
        { timeout: 3000 },
      )
      .toBe(200);

    // Stopping ends the open streams at once (the browser reconnects to another process).
    const stopping = app.close();
    await expect.poll(() => one.isEnded, { timeout: 1000 }).toBe(true);
    await stopping;
  });
});

// Two API processes of one deployment need a database both can reach: PostgreSQL (PGlite is one process).
if (databaseKind === 'postgres') {
  describe.each(availableHoldStores())('two API processes sharing PostgreSQL (holds: %s)', (holdStore) => {
    let first: TestApp;
    let second: TestApp;
    const clients: SseClient[] = [];

    beforeAll(async () => {
      first = await createTestApp({ listen: true, holdStore, env: ENV });
      second = await createTestApp({ listen: true, holdStore, env: ENV, sameDeploymentAs: first });
    });
    afterAll(async () => {
      for (const client of clients) client.close();
      await second?.close();
      await first?.close();
    });

    it('fans a change in one process out to the streams of the other within a second', async () => {
      expect(first.deps.seatChangeBus.name).toBe(holdStore === 'redis' ? 'redis' : 'postgres');
      const event: EventFixture = await createPricedEvent(first);
      const onFirst = await SseClient.open(`${first.url}/api/events/${event.eventId}/seats/stream`);
      const onSecond = await SseClient.open(`${second.url}/api/events/${event.eventId}/seats/stream`);
      clients.push(onFirst, onSecond);
      await Promise.all([onFirst.next(), onSecond.next()]);

      const [seat, other] = event.seatIds;
      const hold = await holdSeats(second.url, { eventId: event.eventId, seatIds: [seat] });
      expect((await onFirst.nextChange(seat!, 'held')).receivedAt - hold.at).toBeLessThan(WITHIN_MS);
      const held = await holdSeats(first.url, { eventId: event.eventId, seatIds: [other] });
      expect((await onSecond.nextChange(other!, 'held')).receivedAt - held.at).toBeLessThan(WITHIN_MS);
      const releasedAt = await release(second.url, hold);
      expect((await onFirst.nextChange(seat!, 'available')).receivedAt - releasedAt).toBeLessThan(WITHIN_MS);

      // A sale confirmed by the second process shows as sold on the first.
      const buyer = await createTestUser(second);
      const order = await bookOrder(second, buyer, { event, seatIds: [event.seatIds[5]!] });
      const payment = await startFakePayment(second, buyer, order.orderId);
      const paid = await post(
        second.url,
        `/pay/${payment.chargeId}`,
        { action: 'pay' },
        { accept: 'application/json' },
      );
      expect(paid.status).toBe(200);
      expect((await onFirst.nextChange(event.seatIds[5]!, 'sold')).receivedAt - paid.at).toBeLessThan(WITHIN_MS);
    });

    it('shows a hold made in one process expiring in the other, where nobody announces it', async () => {
      const event = await createEventOnSale(first.deps.database.db, { holdTtlSeconds: 1 });
      const onFirst = await SseClient.open(`${first.url}/api/events/${event.eventId}/seats/stream`);
      clients.push(onFirst);
      await onFirst.next();
      const hold = await holdSeats(second.url, { eventId: event.eventId, seatIds: [event.seatIds[0]!] });
      await onFirst.nextChange(event.seatIds[0]!, 'held');
      const expired = await onFirst.nextChange(event.seatIds[0]!, 'available', 5000);
      expect(expired.receivedAt - hold.expiresAt.getTime()).toBeLessThan(WITHIN_MS);
    });

    it('keeps streams right when the bus loses its connection: it reconnects and looks again', async () => {
      const event = await createEventOnSale(first.deps.database.db);
      const onFirst = await SseClient.open(`${first.url}/api/events/${event.eventId}/seats/stream`);
      clients.push(onFirst);
      await onFirst.next();
      await cutBusConnection(first);
      // Changes made while the connection is down are not announced to the first process…
      await holdSeats(second.url, { eventId: event.eventId, seatIds: [event.seatIds[0]!] });
      // …but it finds them once it is back, and hears later ones again.
      await onFirst.nextChange(event.seatIds[0]!, 'held', 8000);
      const later = await holdSeats(second.url, { eventId: event.eventId, seatIds: [event.seatIds[1]!] });
      expect((await onFirst.nextChange(event.seatIds[1]!, 'held')).receivedAt - later.at).toBeLessThan(WITHIN_MS);
    });
  });
}

/** Kills the bus's own connection from the server side (only this app's: named or in its own database). */
async function cutBusConnection(app: TestApp): Promise<void> {
  if (app.deps.redis) {
    const name = (app.deps.seatChangeBus as unknown as { connectionName: string }).connectionName;
    const list = String(await app.deps.redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /id=(\d+)/.exec(line)![1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await app.deps.redis.call('CLIENT', 'KILL', 'ID', id);
  } else {
    const { rows } = await sql<{ killed: boolean }>`
      SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'boxoffice-seat-bus'`.execute(app.deps.database.db);
    expect(rows.length).toBeGreaterThan(0);
  }
}
