import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padmaRailFeed, zipFeed } from '../support/gtfs-fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * Walks EVERY route of the app as six callers — anonymous, customers A and B, staff of organizers X and Y,
 * and a platform admin — and checks each gets exactly the status it should: public reads for all, the
 * caller's own things for the caller, an organizer's things for its staff (another organizer's answer
 * 404, never 403, so ids reveal nothing), admin-only actions for admins.
 *
 * The routes come from the app itself (printRoutes), so a new route without an entry in EXPECTATIONS
 * fails the first test. To add one: pick the preset that says who may call it (or list probes by hand)
 * and write `build`, which returns the request one caller sends for organizer X's or Y's resource —
 * creating a fresh resource when the request consumes it (DELETE, cancel, check-in).
 */

type Actor = 'anonymous' | 'customerA' | 'customerB' | 'staffX' | 'staffY' | 'admin';
type Org = 'X' | 'Y';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call: this actor, on this organizer's resource, must get this status. */
interface Probe {
  actor: Actor;
  org: Org;
  status: number;
}

interface Request {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

interface Expectation {
  probes: Probe[];
  build(org: Org, actor: Actor): Promise<Request> | Request;
  /** Extra checks on a successful answer (lists: only the organizer's own items). */
  check?(body: unknown, org: Org, actor: Actor): void;
  /** A stream that never ends (Server-Sent Events): take the status, then hang up. */
  stream?: boolean;
}

const ACTORS: Actor[] = ['anonymous', 'customerA', 'customerB', 'staffX', 'staffY', 'admin'];

// ── Presets: who gets what ──────────────────────────────────────────────────────────────────────────────

/** Public: every caller gets `status`. */
const everyone = (status: number): Probe[] => ACTORS.map((actor) => ({ actor, org: 'X', status }));

/** Any logged-in account (each for itself); anonymous 401. */
const signedIn = (status: number): Probe[] =>
  ACTORS.map((actor) => ({ actor, org: 'X', status: actor === 'anonymous' ? 401 : status }));

/** Staff of the resource's organizer and admins; other staff 404; customers 403; anonymous 401. */
const staffOfOrganizer = (status: number, otherOrganizer = 404): Probe[] => [
  { actor: 'anonymous', org: 'X', status: 401 },
  { actor: 'customerA', org: 'X', status: 403 },
  { actor: 'customerB', org: 'X', status: 403 },
  { actor: 'staffX', org: 'X', status },
  { actor: 'staffX', org: 'Y', status: otherOrganizer },
  { actor: 'staffY', org: 'Y', status },
  { actor: 'staffY', org: 'X', status: otherOrganizer },
  { actor: 'admin', org: 'X', status },
  { actor: 'admin', org: 'Y', status },
];

/** Platform admins only: staff and customers 403, anonymous 401. */
const adminOnly = (status: number): Probe[] => [
  { actor: 'anonymous', org: 'X', status: 401 },
  { actor: 'customerA', org: 'X', status: 403 },
  { actor: 'customerB', org: 'X', status: 403 },
  { actor: 'staffX', org: 'X', status: 403 },
  { actor: 'staffY', org: 'Y', status: 403 },
  { actor: 'admin', org: 'X', status },
];

/** Customer A's own thing (bought from organizer X): only A; everyone else 404; anonymous 401. */
const buyerOnly = (status: number): Probe[] => [
  { actor: 'anonymous', org: 'X', status: 401 },
  { actor: 'customerA', org: 'X', status },
  { actor: 'customerB', org: 'X', status: 404 },
  { actor: 'staffX', org: 'X', status: 404 },
  { actor: 'staffY', org: 'X', status: 404 },
  { actor: 'admin', org: 'X', status: 404 },
];

/** Customer A's order or ticket: A, staff of organizer X and admins read it; B and staff of Y get 404. */
const buyerOrOrganizer = (status: number): Probe[] => [
  { actor: 'anonymous', org: 'X', status: 401 },
  { actor: 'customerA', org: 'X', status },
  { actor: 'customerB', org: 'X', status: 404 },
  { actor: 'staffX', org: 'X', status },
  { actor: 'staffY', org: 'X', status: 404 },
  { actor: 'admin', org: 'X', status },
];

/** Customer A's hold: only A. An anonymous caller (with its own session id) gets 404 like everyone else. */
const holdOwner = (status: number): Probe[] =>
  ACTORS.map((actor) => ({ actor, org: 'X', status: actor === 'customerA' ? status : 404 }));

// ── The world the walk runs in ──────────────────────────────────────────────────────────────────────────

interface OrgFixture {
  id: string;
  venueId: string;
  eventId: string;
  stopIds: [string, string];
  vehicleLayoutId: string;
  routeId: string;
  tripId: string;
  tripServiceDate: string;
  couponId: string;
  policyId: string;
}

interface Account {
  id: string;
  email: string;
  password: string;
  headers: Record<string, string>;
}

const PASSWORD = 'walk the routes 1';

describe(`authorization walk over every route (${databaseKind})`, { timeout: 600_000 }, () => {
  let t: TestApp;
  const accounts = {} as Record<Exclude<Actor, 'anonymous'>, Account>;
  const orgs = {} as Record<Org, OrgFixture>;
  /** Customer A's confirmed order on organizer X's event, with its first ticket and its payment. */
  let paidOrder: { id: string; ticketId: string; paymentId: string; chargeId: string };
  let counter = 0;
  const next = () => ++counter;

  // ── Requests ───────────────────────────────────────────────────────────────────────────────────────

  async function call(method: Method, url: string, headers: Record<string, string> = {}, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  /** Opens a never-ending GET, reads the status (and an error's body), then hangs up. */
  async function openStream(url: string, headers: Record<string, string>) {
    const hangUp = new AbortController();
    const response = await t.app.inject({ method: 'GET', url, headers, payloadAsStream: true, signal: hangUp.signal });
    let body = '';
    if (response.statusCode >= 300) for await (const chunk of response.stream()) body += String(chunk);
    hangUp.abort();
    return { statusCode: response.statusCode, json: () => JSON.parse(body) as unknown };
  }

  /** A call that must succeed (setup), answering the JSON body. */
  async function must<T = { id: string }>(
    method: Method,
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
  ) {
    const response = await call(method, url, headers, payload);
    if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode}: ${response.body}`);
    return (response.body ? response.json() : null) as T;
  }

  const asAdmin = <T = { id: string }>(method: Method, url: string, payload?: unknown) =>
    must<T>(method, url, t.adminHeaders, payload);

  function headersOf(actor: Actor): Record<string, string> {
    // Anonymous callers bring a session id of their own, as a browser does.
    return actor === 'anonymous' ? { 'x-session-id': 'anonymous-walker-session-01' } : accounts[actor].headers;
  }

  async function login(email: string, password: string): Promise<Account> {
    const session = await must<{ user: { id: string }; accessToken: string }>(
      'POST',
      '/api/auth/login',
      {},
      {
        email,
        password,
      },
    );
    return { id: session.user.id, email, password, headers: { authorization: `Bearer ${session.accessToken}` } };
  }

  // ── Fresh resources, for requests that use them up ────────────────────────────────────────────────────

  const inDays = (days: number, minutes = 0) => new Date(Date.now() + days * 86_400_000 + minutes * 60_000);

  const freshOrganizer = () =>
    asAdmin('POST', '/api/admin/organizers', { name: `Walk ${next()}`, currency: 'BDT', timezone: 'Asia/Dhaka' });

  const freshVenue = (org: Org) =>
    asAdmin('POST', '/api/admin/venues', {
      organizerId: orgs[org].id,
      name: `Hall ${next()}`,
      city: 'Dhaka',
      timezone: 'Asia/Dhaka',
    });

  const freshEvent = (org: Org) =>
    asAdmin('POST', '/api/admin/events', {
      venueId: orgs[org].venueId,
      title: `Walk show ${next()}`,
      startsAt: inDays(30).toISOString(),
      endsAt: inDays(30, 120).toISOString(),
      status: 'on_sale',
      prices: { standard: 50_000 },
    });

  const freshStop = (org: Org) =>
    asAdmin('POST', '/api/admin/stops', {
      organizerId: orgs[org].id,
      code: `W${next()}`,
      name: 'Walk stop',
      city: 'Dhaka',
      timezone: 'Asia/Dhaka',
    });

  const freshRoute = (org: Org) =>
    asAdmin('POST', '/api/admin/routes', {
      organizerId: orgs[org].id,
      code: `R${next()}`,
      name: 'Walk route',
      mode: 'bus',
      defaultLayoutId: orgs[org].vehicleLayoutId,
      stops: [
        { stopId: orgs[org].stopIds[0], arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: orgs[org].stopIds[1], arriveOffsetMin: 240, departOffsetMin: 240 },
      ],
    });

  const freshTrip = (org: Org) =>
    asAdmin('POST', '/api/admin/trips', {
      routeId: orgs[org].routeId,
      departsAt: inDays(3, next()).toISOString(),
    });

  const freshPolicy = async (org: Org) =>
    asAdmin('POST', '/api/admin/refund-policies', {
      organizerId: orgs[org].id,
      name: 'Walk event policy',
      scopeKind: 'event',
      scopeId: (await freshEvent(org)).id,
      rules: [{ minHoursBefore: 0, feePercent: 10, feeFlat: 0 }],
    });

  const freshCoupon = (org: Org) =>
    asAdmin('POST', '/api/admin/coupons', {
      organizerId: orgs[org].id,
      code: `WALK${next()}`,
      kind: 'percent',
      value: 10,
    });

  /** A dead letter about `org` (as if a webhook delivery had failed for the last time). */
  async function freshDeadLetter(org: Org): Promise<string> {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO pgboss.job (name, data)
      VALUES ('webhook-delivery-dead', ${JSON.stringify({ deliveryId: `whd_walk${next()}`, organizerId: orgs[org].id })}::jsonb)
      RETURNING id`.execute(t.deps.database.db);
    return rows[0]!.id;
  }

  const cached = new Map<string, Promise<string>>();
  const once = (key: string, make: () => Promise<string>) => {
    if (!cached.has(key)) cached.set(key, make());
    return cached.get(key)!;
  };

  /** An email about `org` in the local mailbox. */
  const mailOf = (org: Org) =>
    once(`mail:${org}`, async () => {
      const sent = await t.deps.mailer.send({
        from: 'Boxoffice <no-reply@boxoffice.local>',
        to: accounts.customerA.email,
        subject: `Walk mail of ${org}`,
        text: 'Hello',
        html: '<p>Hello</p>',
        attachments: [],
        context: { kind: 'booking_confirmed', language: 'en', organizerId: orgs[org].id, userId: null, orderId: null },
      });
      return sent.messageId;
    });

  const freshWebhook = async (org: Org) =>
    (
      await asAdmin('POST', '/api/admin/webhooks', {
        organizerId: orgs[org].id,
        url: 'https://93.184.216.34/walk',
        events: ['order.confirmed', 'order.cancelled'],
      })
    ).id;
  const webhookOf = (org: Org) => once(`webhook:${org}`, () => freshWebhook(org));
  const paidOrderOf = (org: Org) => once(`order:${org}`, async () => (await freshPaidOrder(org)).id);

  let seatCursor = 0;
  let eventSeats: Record<Org, string[]>;

  /** Holds one fresh seat of organizer X's event (or `org`'s) for the caller. */
  async function freshHold(actor: Actor, org: Org = 'X'): Promise<string> {
    const seatId = eventSeats[org][seatCursor++]!;
    const hold = await must<{ token: string }>('POST', '/api/holds', headersOf(actor), {
      eventId: orgs[org].eventId,
      seatIds: [seatId],
    });
    return hold.token;
  }

  /** A pending order of customer A (or `buyer`) on `org`'s event. */
  async function freshOrder(org: Org = 'X', buyer: Exclude<Actor, 'anonymous'> = 'customerA'): Promise<string> {
    const holdToken = await freshHold(buyer, org);
    return (await must('POST', '/api/bookings', accounts[buyer].headers, { holdToken })).id;
  }

  /** Starts paying a fresh pending order of customer A; answers the payment and its fake charge id. */
  async function freshPayment(org: Org = 'X') {
    const orderId = await freshOrder(org);
    const payment = await must<{ paymentId: string; checkoutUrl: string }>(
      'POST',
      '/api/payments',
      accounts.customerA.headers,
      { orderId },
    );
    return { orderId, paymentId: payment.paymentId, chargeId: payment.checkoutUrl.split('/pay/')[1]! };
  }

  /** A confirmed order of customer A on `org`'s event, paid through the fake gateway, with its tickets. */
  async function freshPaidOrder(org: Org = 'X') {
    const payment = await freshPayment(org);
    await must('POST', `/pay/${payment.chargeId}`, { accept: 'application/json' }, { action: 'pay' });
    const tickets = await must<{ items: { id: string; code: string }[] }>(
      'GET',
      `/api/bookings/${payment.orderId}/tickets`,
      accounts.customerA.headers,
    );
    if (tickets.items.length === 0) throw new Error('the paid order has no tickets');
    return { id: payment.orderId, ticketId: tickets.items[0]!.id, ticketCode: tickets.items[0]!.code, ...payment };
  }

  const gtfsImports: Partial<Record<Org, string>> = {};

  /** Waits until no GTFS import of the organizer is running. */
  async function gtfsImportsSettled(org: Org): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const { imports } = await asAdmin<{ imports: { status: string }[] }>(
        'GET',
        `/api/admin/organizers/${orgs[org].id}/gtfs-imports`,
      );
      if (imports.every((run) => run.status !== 'running')) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('a GTFS import is still running');
  }

  /** A finished dry-run import of the organizer's, made once. */
  async function gtfsImportOf(org: Org): Promise<string> {
    if (!gtfsImports[org]) {
      await gtfsImportsSettled(org);
      const response = await call(
        'POST',
        `/api/admin/organizers/${orgs[org].id}/gtfs-imports?dryRun=true`,
        { ...t.adminHeaders, 'content-type': 'application/zip' },
        zipFeed(padmaRailFeed()),
      );
      if (response.statusCode !== 202) throw new Error(`GTFS import → ${response.statusCode}: ${response.body}`);
      gtfsImports[org] = (response.json() as { id: string }).id;
      await gtfsImportsSettled(org);
    }
    return gtfsImports[org];
  }

  // ── List checks ──────────────────────────────────────────────────────────────────────────────────────

  function itemsOf(body: unknown): Record<string, unknown>[] {
    if (Array.isArray(body)) return body as Record<string, unknown>[];
    const list = Object.values(body as Record<string, unknown>).find(Array.isArray);
    if (!list) throw new Error(`no list in ${JSON.stringify(body).slice(0, 200)}`);
    return list as Record<string, unknown>[];
  }

  /** Staff see only their organizer's items; an admin filtering by organizer sees only that organizer's. */
  const onlyOrganizer =
    (field = 'organizerId') =>
    (body: unknown, org: Org, actor: Actor) => {
      if (actor === 'admin' || actor === 'anonymous' || actor.startsWith('customer')) return;
      const own = actor === 'staffX' ? orgs.X.id : orgs.Y.id;
      const items = itemsOf(body);
      if (org === (actor === 'staffX' ? 'X' : 'Y')) expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item[field]).toBe(own);
    };

  // ── The table: one entry per route ────────────────────────────────────────────────────────────────────

  const organizerQuery = (org: Org) => `?organizerId=${orgs[org].id}`;

  const EXPECTATIONS: Record<string, Expectation> = {
    // Operations and documentation: public.
    'GET /healthz': { probes: everyone(200), build: () => ({ url: '/healthz' }) },
    'GET /readyz': { probes: everyone(200), build: () => ({ url: '/readyz' }) },
    'GET /metrics': { probes: everyone(200), build: () => ({ url: '/metrics' }) },
    'GET /api/openapi.json': { probes: everyone(200), build: () => ({ url: '/api/openapi.json' }) },
    'GET /api/docs': { probes: everyone(200), build: () => ({ url: '/api/docs' }) },
    'GET /api/docs/': { probes: everyone(200), build: () => ({ url: '/api/docs/' }) },
    'GET /api/docs/static/index.html': { probes: everyone(302), build: () => ({ url: '/api/docs/static/index.html' }) },
    'GET /api/docs/static/swagger-initializer.js': {
      probes: everyone(200),
      build: () => ({ url: '/api/docs/static/swagger-initializer.js' }),
    },
    'GET /api/docs/*': { probes: everyone(200), build: () => ({ url: '/api/docs/static/swagger-ui.css' }) },
    'GET /api/docs/json': { probes: everyone(200), build: () => ({ url: '/api/docs/json' }) },
    'GET /api/docs/yaml': { probes: everyone(200), build: () => ({ url: '/api/docs/yaml' }) },

    // Public browse.
    'GET /api/events': { probes: everyone(200), build: () => ({ url: '/api/events' }) },
    'GET /api/events/filters': { probes: everyone(200), build: () => ({ url: '/api/events/filters' }) },
    'GET /api/routes/popular': { probes: everyone(200), build: () => ({ url: '/api/routes/popular' }) },
    'GET /api/events/:id': { probes: everyone(200), build: (org) => ({ url: `/api/events/${orgs[org].eventId}` }) },
    'GET /api/events/:id/seats': {
      probes: everyone(200),
      build: (org) => ({ url: `/api/events/${orgs[org].eventId}/seats` }),
    },
    'GET /api/stops': { probes: everyone(200), build: () => ({ url: '/api/stops?q=walk' }) },
    'GET /api/trips': {
      probes: everyone(200),
      build: (org) => ({
        url: `/api/trips?from=${orgs[org].stopIds[0]}&to=${orgs[org].stopIds[1]}&date=${orgs[org].tripServiceDate}`,
      }),
    },
    'GET /api/trips/:id': { probes: everyone(200), build: (org) => ({ url: `/api/trips/${orgs[org].tripId}` }) },
    'GET /api/trips/:id/seats': {
      probes: everyone(200),
      build: (org) => ({ url: `/api/trips/${orgs[org].tripId}/seats` }),
    },
    'GET /api/events/:id/seats/stream': {
      probes: everyone(200),
      build: (org) => ({ url: `/api/events/${orgs[org].eventId}/seats/stream` }),
      stream: true,
    },
    'GET /api/trips/:id/seats/stream': {
      probes: everyone(200),
      build: (org) => ({
        url: `/api/trips/${orgs[org].tripId}/seats/stream?from=${orgs[org].stopIds[0]}&to=${orgs[org].stopIds[1]}`,
      }),
      stream: true,
    },

    // Accounts.
    'POST /api/auth/register': {
      probes: everyone(201),
      build: () => ({ url: '/api/auth/register', payload: { email: `new${next()}@walk.test`, password: PASSWORD } }),
    },
    'POST /api/auth/login': {
      probes: everyone(200),
      build: () => ({ url: '/api/auth/login', payload: { email: accounts.customerB.email, password: PASSWORD } }),
    },
    'POST /api/auth/refresh': {
      probes: everyone(200),
      build: async () => {
        const session = await must<{ refreshToken: string }>(
          'POST',
          '/api/auth/login',
          {},
          {
            email: accounts.customerB.email,
            password: PASSWORD,
          },
        );
        return { url: '/api/auth/refresh', payload: { refreshToken: session.refreshToken } };
      },
    },
    'POST /api/auth/logout': {
      probes: everyone(204),
      build: async () => {
        const session = await must<{ refreshToken: string }>(
          'POST',
          '/api/auth/login',
          {},
          {
            email: accounts.customerB.email,
            password: PASSWORD,
          },
        );
        return { url: '/api/auth/logout', payload: { refreshToken: session.refreshToken } };
      },
    },
    'GET /api/me': {
      probes: signedIn(200),
      build: () => ({ url: '/api/me' }),
      check: (body, _org, actor) => expect((body as { id: string }).id).toBe(accounts[actor as 'admin'].id),
    },
    'PATCH /api/me': { probes: signedIn(200), build: () => ({ url: '/api/me', payload: { name: 'Walker' } }) },
    'POST /api/me/password': {
      probes: signedIn(200),
      build: () => ({ url: '/api/me/password', payload: { currentPassword: PASSWORD, newPassword: PASSWORD } }),
    },

    // Holds: anyone holds; a logged-in buyer's hold is theirs alone.
    'POST /api/holds': {
      probes: everyone(201),
      build: () => ({
        url: '/api/holds',
        payload: { eventId: orgs.X.eventId, seatIds: [eventSeats.X[seatCursor++]] },
      }),
    },
    'GET /api/holds/:token': {
      probes: holdOwner(200),
      build: async () => ({ url: `/api/holds/${await freshHold('customerA')}` }),
    },
    'POST /api/holds/:token/extend': {
      probes: holdOwner(200),
      build: async () => ({ url: `/api/holds/${await freshHold('customerA')}/extend` }),
    },
    'DELETE /api/holds/:token': {
      probes: holdOwner(204),
      build: async () => ({ url: `/api/holds/${await freshHold('customerA')}` }),
    },

    // Bookings, tickets, cancellations and payments of a buyer.
    'POST /api/bookings': {
      probes: signedIn(201),
      build: async (_org, actor) => ({ url: '/api/bookings', payload: { holdToken: await freshHold(actor) } }),
    },
    'GET /api/bookings': { probes: signedIn(200), build: () => ({ url: '/api/bookings' }) },
    'GET /api/bookings/:id': { probes: buyerOrOrganizer(200), build: () => ({ url: `/api/bookings/${paidOrder.id}` }) },
    'GET /api/bookings/:id/tickets': {
      probes: buyerOrOrganizer(200),
      build: () => ({ url: `/api/bookings/${paidOrder.id}/tickets` }),
    },
    'GET /api/bookings/:id/cancellation-quote': {
      probes: buyerOnly(200),
      build: () => ({ url: `/api/bookings/${paidOrder.id}/cancellation-quote` }),
    },
    'POST /api/bookings/:id/cancellation-code': {
      probes: buyerOnly(201),
      build: () => ({ url: `/api/bookings/${paidOrder.id}/cancellation-code`, payload: {} }),
    },
    'POST /api/bookings/:id/cancel': {
      // An unpaid order is cancelled without a code; a fresh one for each caller.
      probes: buyerOnly(200),
      build: async () => ({ url: `/api/bookings/${await freshOrder()}/cancel`, payload: {} }),
    },
    'GET /api/tickets/:id': {
      probes: buyerOrOrganizer(200),
      build: () => ({ url: `/api/tickets/${paidOrder.ticketId}` }),
    },
    'GET /api/tickets/:id/qr.png': {
      probes: buyerOrOrganizer(200),
      build: () => ({ url: `/api/tickets/${paidOrder.ticketId}/qr.png` }),
    },
    'GET /api/tickets/:id/print': {
      probes: buyerOrOrganizer(200),
      build: () => ({ url: `/api/tickets/${paidOrder.ticketId}/print` }),
    },
    'POST /api/payments': {
      probes: buyerOnly(201),
      build: async () => ({ url: '/api/payments', payload: { orderId: await freshOrder() } }),
    },
    'GET /api/payments/:paymentId': {
      probes: buyerOnly(200),
      build: () => ({ url: `/api/payments/${paidOrder.paymentId}` }),
    },
    // Webhooks are authenticated by the provider's signature, not by a user: a bad one is 400 for anybody.
    'POST /api/webhooks/:provider': {
      probes: everyone(400),
      build: () => ({
        url: '/api/webhooks/fake',
        headers: { 'boxoffice-signature': 't=1,v1=00' },
        payload: { id: 'evt_walk', type: 'payment.succeeded' },
      }),
    },
    // The fake gateway's hosted page works by its unguessable charge id, like a real provider's.
    'GET /pay/:chargeId': { probes: everyone(200), build: () => ({ url: `/pay/${paidOrder.chargeId}` }) },
    'POST /pay/:chargeId': {
      probes: everyone(303),
      build: async () => ({ url: `/pay/${(await freshPayment()).chargeId}`, payload: { action: 'decline' } }),
    },
    'GET /pay/return/:paymentId': {
      probes: everyone(200),
      build: () => ({ url: `/pay/return/${paidOrder.paymentId}` }),
    },

    // Check-in: staff of the ticket's organizer; another organizer's ticket looks unknown (404).
    'POST /api/checkins': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: '/api/checkins', payload: { code: (await freshPaidOrder(org)).ticketCode } }),
    },

    // Accounts of staff and admins.
    'POST /api/admin/users': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/users',
        payload: {
          email: `colleague${next()}@walk.test`,
          password: PASSWORD,
          name: 'Colleague',
          role: 'staff',
          organizerId: orgs[org].id,
        },
      }),
    },
    'GET /api/admin/users': {
      probes: staffOfOrganizer(200, 200),
      build: (org) => ({ url: `/api/admin/users${organizerQuery(org)}` }),
      check: (body, org, actor) => {
        const items = itemsOf(body);
        if ((actor === 'staffX' && org === 'Y') || (actor === 'staffY' && org === 'X')) expect(items).toEqual([]);
        else for (const item of items) expect(item.organizerId).toBe(orgs[org].id);
      },
    },

    // Organizers: admins create and delete; staff read and change only their own.
    'POST /api/admin/organizers': {
      probes: adminOnly(201),
      build: () => ({
        url: '/api/admin/organizers',
        payload: { name: `New organizer ${next()}`, currency: 'BDT', timezone: 'Asia/Dhaka' },
      }),
    },
    'GET /api/admin/organizers': {
      probes: staffOfOrganizer(200, 200),
      build: () => ({ url: '/api/admin/organizers?limit=1000' }),
      check: (body, _org, actor) => {
        const ids = itemsOf(body).map((item) => item.id);
        if (actor === 'staffX') expect(ids).toEqual([orgs.X.id]);
        if (actor === 'staffY') expect(ids).toEqual([orgs.Y.id]);
        if (actor === 'admin') expect(ids).toEqual(expect.arrayContaining([orgs.X.id, orgs.Y.id]));
      },
    },
    // GTFS imports of an organizer.
    'POST /api/admin/organizers/:id/gtfs-imports': {
      probes: staffOfOrganizer(202),
      build: async (org) => {
        await gtfsImportsSettled(org); // one import per organizer at a time
        return {
          url: `/api/admin/organizers/${orgs[org].id}/gtfs-imports?dryRun=true`,
          payload: zipFeed(padmaRailFeed()),
          headers: { 'content-type': 'application/zip' },
        };
      },
    },
    'GET /api/admin/organizers/:id/gtfs-imports': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/organizers/${orgs[org].id}/gtfs-imports` }),
    },
    'GET /api/admin/organizers/:id/gtfs-imports/:importId': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/organizers/${orgs[org].id}/gtfs-imports/${await gtfsImportOf(org)}` }),
    },
    'GET /api/admin/organizers/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/organizers/${orgs[org].id}` }),
    },
    'PATCH /api/admin/organizers/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/organizers/${orgs[org].id}`, payload: { name: `Organizer ${org}` } }),
    },
    'DELETE /api/admin/organizers/:id': {
      // Staff try their own organizer (refused before anything is read); the admin deletes an empty one.
      probes: adminOnly(204),
      build: async (org, actor) => ({
        url: `/api/admin/organizers/${actor === 'admin' ? (await freshOrganizer()).id : orgs[org].id}`,
      }),
    },

    // Venues and their layouts.
    'POST /api/admin/venues': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/venues',
        payload: { organizerId: orgs[org].id, name: 'New hall', city: 'Dhaka', timezone: 'Asia/Dhaka' },
      }),
    },
    'GET /api/admin/venues': {
      probes: staffOfOrganizer(200, 200),
      build: () => ({ url: '/api/admin/venues?limit=1000' }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/venues/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/venues/${orgs[org].venueId}` }),
    },
    'PATCH /api/admin/venues/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/venues/${orgs[org].venueId}`, payload: { city: 'Dhaka' } }),
    },
    'DELETE /api/admin/venues/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/venues/${(await freshVenue(org)).id}` }),
    },
    'PUT /api/admin/venues/:id/layout': {
      probes: staffOfOrganizer(201),
      build: async (org) => ({ url: `/api/admin/venues/${(await freshVenue(org)).id}/layout`, payload: hallLayout(2) }),
    },
    'GET /api/admin/venues/:id/layout': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/venues/${orgs[org].venueId}/layout` }),
    },

    // Events.
    'POST /api/admin/events': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/events',
        payload: {
          venueId: orgs[org].venueId,
          title: 'New show',
          startsAt: inDays(40).toISOString(),
          endsAt: inDays(40, 90).toISOString(),
          prices: { standard: 40_000 },
        },
      }),
    },
    'GET /api/admin/events': {
      probes: staffOfOrganizer(200, 200),
      build: () => ({ url: '/api/admin/events?limit=1000' }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/events/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/events/${orgs[org].eventId}` }),
    },
    'PATCH /api/admin/events/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/events/${orgs[org].eventId}`, payload: { description: 'Updated' } }),
    },
    'DELETE /api/admin/events/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/events/${(await freshEvent(org)).id}` }),
    },
    'POST /api/admin/events/:id/cancel': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/events/${(await freshEvent(org)).id}/cancel` }),
    },

    // Stops.
    'POST /api/admin/stops': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/stops',
        payload: { organizerId: orgs[org].id, code: `N${next()}`, name: 'New stop', timezone: 'Asia/Dhaka' },
      }),
    },
    'GET /api/admin/stops': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/stops${organizerQuery(org)}` }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/stops/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/stops/${orgs[org].stopIds[0]}` }),
    },
    'PATCH /api/admin/stops/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/stops/${orgs[org].stopIds[0]}`, payload: { city: 'Dhaka' } }),
    },
    'DELETE /api/admin/stops/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/stops/${(await freshStop(org)).id}` }),
    },

    // Vehicle layouts.
    'POST /api/admin/vehicle-layouts': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/vehicle-layouts',
        payload: { organizerId: orgs[org].id, name: 'Coach', template: { type: 'bus_2_2', rows: 3 } },
      }),
    },
    'GET /api/admin/vehicle-layouts': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/vehicle-layouts${organizerQuery(org)}` }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/vehicle-layouts/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/vehicle-layouts/${orgs[org].vehicleLayoutId}` }),
    },

    // Routes, fares and trips.
    'POST /api/admin/routes': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/routes',
        payload: {
          organizerId: orgs[org].id,
          code: `NR${next()}`,
          name: 'New route',
          mode: 'bus',
          stops: [
            { stopId: orgs[org].stopIds[0], arriveOffsetMin: 0, departOffsetMin: 0 },
            { stopId: orgs[org].stopIds[1], arriveOffsetMin: 60, departOffsetMin: 60 },
          ],
        },
      }),
    },
    'GET /api/admin/routes': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/routes${organizerQuery(org)}` }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/routes/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/routes/${orgs[org].routeId}` }),
    },
    'PATCH /api/admin/routes/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/routes/${orgs[org].routeId}`, payload: { name: `Route of ${org}` } }),
    },
    'DELETE /api/admin/routes/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/routes/${(await freshRoute(org)).id}` }),
    },
    'PUT /api/admin/routes/:id/fares': {
      probes: staffOfOrganizer(200),
      build: (org) => ({
        url: `/api/admin/routes/${orgs[org].routeId}/fares`,
        payload: {
          fares: [
            { fromStopId: orgs[org].stopIds[0], toStopId: orgs[org].stopIds[1], seatClass: 'economy', amount: 90_000 },
          ],
        },
      }),
    },
    'GET /api/admin/routes/:id/fares': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/routes/${orgs[org].routeId}/fares` }),
    },
    'DELETE /api/admin/routes/:id/fares/:fareId': {
      probes: staffOfOrganizer(204),
      build: async (org) => {
        const route = await freshRoute(org);
        const { fares } = await asAdmin<{ fares: { id: string }[] }>('PUT', `/api/admin/routes/${route.id}/fares`, {
          fares: [
            { fromStopId: orgs[org].stopIds[0], toStopId: orgs[org].stopIds[1], seatClass: 'economy', amount: 1 },
          ],
        });
        return { url: `/api/admin/routes/${route.id}/fares/${fares[0]!.id}` };
      },
    },
    'POST /api/admin/routes/:id/trips/generate': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: `/api/admin/routes/${orgs[org].routeId}/trips/generate`,
        payload: {
          from: inDays(10).toISOString().slice(0, 10),
          to: inDays(11).toISOString().slice(0, 10),
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          departureTimes: ['07:00'],
        },
      }),
    },
    'POST /api/admin/trips': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/trips',
        payload: { routeId: orgs[org].routeId, departsAt: inDays(5, next()).toISOString() },
      }),
    },
    'GET /api/admin/trips': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/trips?routeId=${orgs[org].routeId}` }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/trips/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/trips/${orgs[org].tripId}` }),
    },
    'PATCH /api/admin/trips/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/trips/${orgs[org].tripId}`, payload: { holdTtlSeconds: 600 } }),
    },
    'DELETE /api/admin/trips/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/trips/${(await freshTrip(org)).id}` }),
    },
    'POST /api/admin/trips/:id/cancel': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/trips/${(await freshTrip(org)).id}/cancel` }),
    },

    // The organizer console: reports, the order desk, show-time scheduling.
    'GET /api/admin/reports/dashboard': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/reports/dashboard${organizerQuery(org)}` }),
    },
    'GET /api/admin/reports/sales': {
      probes: staffOfOrganizer(200),
      build: (org) => {
        const today = new Date().toISOString().slice(0, 10);
        return { url: `/api/admin/reports/sales${organizerQuery(org)}&from=${today}&to=${today}&groupBy=event` };
      },
    },
    'GET /api/admin/reports/occupancy': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/reports/occupancy${organizerQuery(org)}&kind=event` }),
    },
    'GET /api/admin/orders': {
      probes: staffOfOrganizer(200, 200),
      build: async (org) => {
        await paidOrderOf(org);
        return { url: `/api/admin/orders${organizerQuery(org)}` };
      },
      check: onlyOrganizer(),
    },
    'GET /api/admin/orders/:id': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/orders/${await paidOrderOf(org)}` }),
    },
    'POST /api/admin/orders/:id/refund': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({
        url: `/api/admin/orders/${(await freshPaidOrder(org)).id}/refund`,
        payload: { amount: 1_000, reason: 'Walk goodwill' },
      }),
    },
    'POST /api/admin/events/schedule': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/events/schedule',
        payload: {
          venueId: orgs[org].venueId,
          title: `Walk series ${next()}`,
          prices: { standard: 40_000 },
          from: inDays(40).toISOString().slice(0, 10),
          to: inDays(41).toISOString().slice(0, 10),
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          times: ['19:00'],
          durationMinutes: 90,
        },
      }),
    },

    // Coupons and refund policies.
    'POST /api/admin/coupons': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/coupons',
        payload: { organizerId: orgs[org].id, code: `NEW${next()}`, kind: 'fixed', value: 5_000 },
      }),
    },
    'GET /api/admin/coupons': {
      probes: staffOfOrganizer(200, 200),
      build: () => ({ url: '/api/admin/coupons' }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/coupons/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/coupons/${orgs[org].couponId}` }),
    },
    'PATCH /api/admin/coupons/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/coupons/${orgs[org].couponId}`, payload: { active: true } }),
    },
    'DELETE /api/admin/coupons/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/coupons/${(await freshCoupon(org)).id}` }),
    },
    'POST /api/admin/refund-policies': {
      probes: staffOfOrganizer(201),
      build: async (org) => ({
        url: '/api/admin/refund-policies',
        payload: {
          organizerId: orgs[org].id,
          name: 'Event override',
          scopeKind: 'event',
          scopeId: (await freshEvent(org)).id,
          rules: [{ minHoursBefore: 24, feePercent: 25, feeFlat: 0 }],
        },
      }),
    },
    'GET /api/admin/refund-policies': {
      probes: staffOfOrganizer(200, 200),
      build: () => ({ url: '/api/admin/refund-policies' }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/refund-policies/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/refund-policies/${orgs[org].policyId}` }),
    },
    'PATCH /api/admin/refund-policies/:id': {
      probes: staffOfOrganizer(200),
      build: (org) => ({ url: `/api/admin/refund-policies/${orgs[org].policyId}`, payload: { name: 'Default' } }),
    },
    'DELETE /api/admin/refund-policies/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/refund-policies/${(await freshPolicy(org)).id}` }),
    },

    // Background work: queue sizes for admins; dead letters, mailbox, webhooks and an order's messages
    // for the organizer's staff.
    'GET /api/admin/jobs/queues': { probes: adminOnly(200), build: () => ({ url: '/api/admin/jobs/queues' }) },
    'GET /api/admin/jobs/dead-letters': {
      probes: staffOfOrganizer(200, 200),
      build: async (org) => {
        await freshDeadLetter(org);
        return { url: `/api/admin/jobs/dead-letters${organizerQuery(org)}` };
      },
      check: onlyOrganizer(),
    },
    'POST /api/admin/jobs/dead-letters/:id/retry': {
      probes: staffOfOrganizer(202),
      build: async (org) => ({ url: `/api/admin/jobs/dead-letters/${await freshDeadLetter(org)}/retry` }),
    },
    'GET /api/admin/mailbox': {
      probes: staffOfOrganizer(200, 200),
      build: async (org) => {
        await mailOf(org);
        return { url: `/api/admin/mailbox${organizerQuery(org)}` };
      },
      check: onlyOrganizer(),
    },
    'GET /api/admin/mailbox/:id': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/mailbox/${await mailOf(org)}` }),
    },
    'GET /api/admin/mailbox/:id/html': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/mailbox/${await mailOf(org)}/html` }),
    },
    'POST /api/admin/webhooks': {
      probes: staffOfOrganizer(201),
      build: (org) => ({
        url: '/api/admin/webhooks',
        payload: { organizerId: orgs[org].id, url: 'https://93.184.216.34/walk', events: ['order.confirmed'] },
      }),
    },
    'GET /api/admin/webhooks': {
      probes: staffOfOrganizer(200, 200),
      build: (org) => ({ url: `/api/admin/webhooks${organizerQuery(org)}` }),
      check: onlyOrganizer(),
    },
    'GET /api/admin/webhooks/:id': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/webhooks/${await webhookOf(org)}` }),
    },
    'PATCH /api/admin/webhooks/:id': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/webhooks/${await webhookOf(org)}`, payload: { description: 'Walk' } }),
    },
    'DELETE /api/admin/webhooks/:id': {
      probes: staffOfOrganizer(204),
      build: async (org) => ({ url: `/api/admin/webhooks/${await freshWebhook(org)}` }),
    },
    'POST /api/admin/webhooks/:id/rotate-secret': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/webhooks/${await webhookOf(org)}/rotate-secret` }),
    },
    'GET /api/admin/webhooks/:id/deliveries': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/webhooks/${await webhookOf(org)}/deliveries` }),
    },
    'GET /api/admin/orders/:id/notifications': {
      probes: staffOfOrganizer(200),
      build: async (org) => ({ url: `/api/admin/orders/${await paidOrderOf(org)}/notifications` }),
    },
    'POST /api/admin/orders/:id/resend-tickets': {
      probes: staffOfOrganizer(202),
      build: async (org) => ({ url: `/api/admin/orders/${await paidOrderOf(org)}/resend-tickets` }),
    },
  };

  // ── Setup ────────────────────────────────────────────────────────────────────────────────────────────

  /** A hall of `rows` rows of 20 seats, one category. */
  function hallLayout(rows: number) {
    return {
      name: 'Walk hall',
      sections: [
        {
          name: 'Main',
          category: 'standard',
          rows: Array.from({ length: rows }, (_, i) => ({ name: String(i + 1), seats: '20' })),
        },
      ],
    };
  }

  async function createOrganizerWorld(name: string): Promise<OrgFixture> {
    const organizer = await asAdmin('POST', '/api/admin/organizers', { name, currency: 'BDT', timezone: 'Asia/Dhaka' });
    const venue = await asAdmin('POST', '/api/admin/venues', {
      organizerId: organizer.id,
      name: `${name} hall`,
      city: 'Dhaka',
      timezone: 'Asia/Dhaka',
    });
    await asAdmin('PUT', `/api/admin/venues/${venue.id}/layout`, hallLayout(20));
    const event = await asAdmin('POST', '/api/admin/events', {
      venueId: venue.id,
      title: `${name} live`,
      startsAt: inDays(30).toISOString(),
      endsAt: inDays(30, 120).toISOString(),
      status: 'on_sale',
      prices: { standard: 50_000 },
    });
    const stops: string[] = [];
    for (const code of ['DHK', 'CTG']) {
      const stop = await asAdmin('POST', '/api/admin/stops', {
        organizerId: organizer.id,
        code,
        name: `${name} walk ${code}`,
        city: code === 'DHK' ? 'Dhaka' : 'Chattogram',
        timezone: 'Asia/Dhaka',
      });
      stops.push(stop.id);
    }
    const vehicle = await asAdmin('POST', '/api/admin/vehicle-layouts', {
      organizerId: organizer.id,
      name: 'AC coach',
      template: { type: 'bus_2_2', rows: 5, seatClass: 'economy' },
    });
    const route = await asAdmin('POST', '/api/admin/routes', {
      organizerId: organizer.id,
      code: 'DHK-CTG',
      name: 'Dhaka to Chattogram',
      mode: 'bus',
      defaultLayoutId: vehicle.id,
      stops: [
        { stopId: stops[0], arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: stops[1], arriveOffsetMin: 300, departOffsetMin: 300 },
      ],
    });
    await asAdmin('PUT', `/api/admin/routes/${route.id}/fares`, {
      fares: [{ fromStopId: stops[0], toStopId: stops[1], seatClass: 'economy', amount: 80_000 }],
    });
    const trip = await asAdmin<{ id: string; serviceDate: string }>('POST', '/api/admin/trips', {
      routeId: route.id,
      departsAt: inDays(2).toISOString(),
    });
    const coupon = await asAdmin('POST', '/api/admin/coupons', {
      organizerId: organizer.id,
      code: `WALK${name.replace(/\W/g, '')}`,
      kind: 'percent',
      value: 10,
    });
    const policy = await asAdmin('POST', '/api/admin/refund-policies', {
      organizerId: organizer.id,
      name: 'Default',
      scopeKind: 'organizer',
      rules: [{ minHoursBefore: 0, feePercent: 10, feeFlat: 0 }],
    });
    return {
      id: organizer.id,
      venueId: venue.id,
      eventId: event.id,
      stopIds: [stops[0]!, stops[1]!],
      vehicleLayoutId: vehicle.id,
      routeId: route.id,
      tripId: trip.id,
      tripServiceDate: trip.serviceDate,
      couponId: coupon.id,
      policyId: policy.id,
    };
  }

  async function seatIdsOf(eventId: string): Promise<string[]> {
    const map = await must<unknown>('GET', `/api/events/${eventId}/seats`, {});
    const ids: string[] = [];
    const visit = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (typeof record.id === 'string' && record.id.startsWith('st_')) ids.push(record.id);
        Object.values(record).forEach(visit);
      }
    };
    visit(map);
    return [...new Set(ids)];
  }

  beforeAll(async () => {
    t = await createTestApp();
    orgs.X = await createOrganizerWorld('Organizer X');
    orgs.Y = await createOrganizerWorld('Organizer Y');
    eventSeats = { X: await seatIdsOf(orgs.X.eventId), Y: await seatIdsOf(orgs.Y.eventId) };
    // Customer A buys one seat in many orders here; the anti-scalping cap per buyer is not under test.
    await t.deps.database.db
      .updateTable('organizers')
      .set({ max_seats_per_buyer: 1000 })
      .where('id', 'in', [orgs.X.id, orgs.Y.id])
      .execute();

    await must('POST', '/api/admin/users', t.adminHeaders, {
      email: 'admin@walk.test',
      password: PASSWORD,
      name: 'Walk admin',
      role: 'admin',
    });
    for (const [actor, org] of [
      ['staffX', 'X'],
      ['staffY', 'Y'],
    ] as const) {
      await must('POST', '/api/admin/users', t.adminHeaders, {
        email: `${actor}@walk.test`,
        password: PASSWORD,
        name: actor,
        role: 'staff',
        organizerId: orgs[org].id,
      });
    }
    for (const actor of ['customerA', 'customerB'] as const) {
      await must('POST', '/api/auth/register', {}, { email: `${actor}@walk.test`, password: PASSWORD });
    }
    for (const actor of ['customerA', 'customerB', 'staffX', 'staffY', 'admin'] as const) {
      accounts[actor] = await login(`${actor}@walk.test`, PASSWORD);
    }

    const paid = await freshPaidOrder('X');
    paidOrder = { id: paid.id, ticketId: paid.ticketId, paymentId: paid.paymentId, chargeId: paid.chargeId };
  });
  afterAll(async () => t?.close());

  // ── The walk ─────────────────────────────────────────────────────────────────────────────────────────

  it('has an expectation for every route of the app, and none for a route that does not exist', () => {
    const routes = listRoutes(t.app);
    // The parser must see deep and oddly split paths too.
    expect(routes).toContain('GET /api/bookings/:id/cancellation-quote');
    expect(routes).toContain('DELETE /api/admin/routes/:id/fares/:fareId');
    const missing = routes.filter((route) => !(route in EXPECTATIONS));
    const stale = Object.keys(EXPECTATIONS).filter((route) => !routes.includes(route));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it.each(Object.keys(EXPECTATIONS))('%s answers each caller what it should', async (route) => {
    if (!listRoutes(t.app).includes(route)) return; // reported by the test above
    const expectation = EXPECTATIONS[route]!;
    const [method, path] = route.split(' ') as [Method, string];
    const outcomes: string[] = [];
    const wanted: string[] = [];
    for (const probe of expectation.probes) {
      const request = await expectation.build(probe.org, probe.actor);
      const headers = { ...headersOf(probe.actor), ...request.headers };
      const response = expectation.stream
        ? await openStream(request.url, headers)
        : await call(method, request.url, headers, request.payload);
      const label = `${probe.actor} on ${probe.org}'s`;
      const code =
        response.statusCode >= 400 ? ` ${(response.json() as { error?: { code: string } }).error?.code}` : '';
      outcomes.push(`${label}: ${response.statusCode}${response.statusCode === probe.status ? '' : code}`);
      wanted.push(`${label}: ${probe.status}`);
      if (response.statusCode === probe.status && response.statusCode < 300 && expectation.check) {
        expectation.check(response.json(), probe.org, probe.actor);
      }
    }
    expect(outcomes, `${method} ${path}`).toEqual(wanted);
  });
});

/**
 * Every route of the app as `METHOD /path`, read from Fastify's route tree (printRoutes without common
 * prefixes: each line adds its text to its parent's path). HEAD routes Fastify adds for GETs are left out.
 */
function listRoutes(app: FastifyInstance): string[] {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD') routes.add(`${method} ${path}`);
    }
  }
  return [...routes].sort();
}
