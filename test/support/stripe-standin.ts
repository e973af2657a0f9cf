import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A small local stand-in for the Stripe endpoints Boxoffice uses, started by the tests (node:http on
 * 127.0.0.1, nothing leaves the machine): checkout sessions create and retrieve, refunds create. It speaks
 * the SDK's wire format (form-encoded bodies with bracketed keys, Bearer secret key, Idempotency-Key
 * replays, Stripe's error JSON) so the real `stripe` SDK runs against it unchanged. Tests steer it: pay or
 * expire a session, make it disagree with a webhook, fail the next requests, and sign webhook events with
 * the endpoint secret exactly as Stripe does.
 */
export interface StandInSession {
  id: string;
  object: 'checkout.session';
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  success_url: string;
  cancel_url: string;
  url: string;
  created: number;
  livemode: false;
}

export interface StandInRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  status: 'succeeded';
  metadata: Record<string, string>;
  idempotencyKey: string | undefined;
}

type FormValue = string | FormObject;
interface FormObject {
  [key: string]: FormValue;
}

/** Parses `a[b][0][c]=1` form bodies into nested objects (arrays become objects keyed "0", "1", …). */
function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as FormObject;
    });
  }
  return root;
}

export class StripeStandIn {
  readonly secretKey = 'sk_test_standin_0123456789';
  readonly webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  readonly sessions = new Map<string, StandInSession>();
  readonly refunds: StandInRefund[] = [];
  readonly requests: { method: string; path: string }[] = [];
  url = '';
  private failures: { remaining: number; status: number } = { remaining: 0, status: 500 };
  private readonly replays = new Map<string, { status: number; body: string }>();
  private readonly server = http.createServer((request, response) => this.handle(request, response));
  private readonly signer = new Stripe('sk_test_signer_only');

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `count` API requests answer `status` (Stripe's api_error) before doing anything. */
  failNext(count: number, status = 500): void {
    this.failures = { remaining: count, status };
  }

  /** The buyer pays: the session completes with a payment intent. */
  pay(sessionId: string): StandInSession {
    const session = this.session(sessionId);
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      payment_intent: `pi_${randomBytes(12).toString('hex')}`,
    });
    return session;
  }

  expire(sessionId: string): StandInSession {
    return Object.assign(this.session(sessionId), { status: 'expired' as const });
  }

  /** Changes what retrieving the session answers (to make it disagree with a webhook). */
  tamper(sessionId: string, patch: Partial<StandInSession>): StandInSession {
    return Object.assign(this.session(sessionId), patch);
  }

  session(sessionId: string): StandInSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`The stand-in has no session ${sessionId}`);
    return session;
  }

  /**
   * A webhook delivery as Stripe sends it: an Event whose data.object is the session (as it is now, plus
   * `overrides`), signed with the endpoint secret (or another secret, to test refusal).
   */
  event(
    type: string,
    sessionId: string,
    options: { overrides?: Partial<StandInSession>; secret?: string; eventId?: string; timestamp?: number } = {},
  ): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify({
      id: options.eventId ?? `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      api_version: '2025-08-27.basil',
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: { ...this.session(sessionId), ...options.overrides } },
    });
    const header = this.signer.webhooks.generateTestHeaderString({
      payload: body,
      secret: options.secret ?? this.webhookSecret,
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });
    return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header } };
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0]!;
      this.requests.push({ method: request.method ?? '', path });
      const send = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        response.writeHead(status, {
          'content-type': 'application/json',
          'request-id': `req_${randomBytes(6).toString('hex')}`,
        });
        response.end(text);
        return { status, body: text };
      };
      const error = (status: number, type: string, message: string, code?: string) =>
        send(status, { error: { type, message, ...(code ? { code } : {}) } });

      if (request.headers.authorization !== `Bearer ${this.secretKey}`) {
        error(401, 'invalid_request_error', 'Invalid API Key provided');
        return;
      }
      if (this.failures.remaining > 0) {
        this.failures.remaining--;
        error(this.failures.status, 'api_error', 'The stand-in was told to fail');
        return;
      }
      const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
      const replayKey = idempotencyKey ? `${request.method} ${path} ${idempotencyKey}` : undefined;
      const replay = replayKey ? this.replays.get(replayKey) : undefined;
      if (replay) {
        response.writeHead(replay.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
        response.end(replay.body);
        return;
      }
      const result = this.route(request.method ?? 'GET', path, parseForm(raw), idempotencyKey, send, error);
      if (replayKey && result && result.status < 500) this.replays.set(replayKey, result);
    });
  }

  private route(
    method: string,
    path: string,
    form: FormObject,
    idempotencyKey: string | undefined,
    send: (status: number, body: unknown) => { status: number; body: string },
    error: (status: number, type: string, message: string, code?: string) => { status: number; body: string },
  ): { status: number; body: string } | undefined {
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const items = Object.values((form.line_items ?? {}) as FormObject) as FormObject[];
      if (items.length === 0) return error(400, 'invalid_request_error', 'line_items is required');
      let amount = 0;
      let currency = '';
      for (const item of items) {
        const priceData = item.price_data as FormObject;
        amount += Number(priceData.unit_amount) * Number(item.quantity ?? 1);
        currency = String(priceData.currency);
      }
      const id = `cs_test_${randomBytes(16).toString('hex')}`;
      const session: StandInSession = {
        id,
        object: 'checkout.session',
        mode: 'payment',
        status: 'open',
        payment_status: 'unpaid',
        amount_total: amount,
        currency,
        client_reference_id: (form.client_reference_id as string | undefined) ?? null,
        metadata: (form.metadata as Record<string, string> | undefined) ?? {},
        payment_intent: null,
        success_url: String(form.success_url),
        cancel_url: String(form.cancel_url),
        url: `${this.url}/c/pay/${id}`,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      };
      this.sessions.set(id, session);
      return send(200, session);
    }
    const sessionMatch = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)$/.exec(path);
    if (method === 'GET' && sessionMatch) {
      const session = this.sessions.get(sessionMatch[1]!);
      if (!session) return error(404, 'invalid_request_error', 'No such checkout.session', 'resource_missing');
      return send(200, session);
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const paymentIntent = String(form.payment_intent ?? '');
      const session = [...this.sessions.values()].find((s) => s.payment_intent === paymentIntent);
      if (!session || session.payment_status !== 'paid') {
        return error(400, 'invalid_request_error', 'No such payment_intent', 'resource_missing');
      }
      const refunded = this.refunds
        .filter((r) => r.payment_intent === paymentIntent)
        .reduce((sum, r) => sum + r.amount, 0);
      const amount = form.amount === undefined ? session.amount_total - refunded : Number(form.amount);
      if (amount <= 0 || amount > session.amount_total - refunded) {
        return error(
          400,
          'invalid_request_error',
          'Refund amount is greater than unrefunded amount',
          'amount_too_large',
        );
      }
      const refund: StandInRefund = {
        id: `re_${randomBytes(12).toString('hex')}`,
        object: 'refund',
        amount,
        currency: session.currency,
        payment_intent: paymentIntent,
        status: 'succeeded',
        metadata: (form.metadata as Record<string, string> | undefined) ?? {},
        idempotencyKey,
      };
      this.refunds.push(refund);
      return send(200, refund);
    }
    return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  }
}
