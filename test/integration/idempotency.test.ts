import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/http/error-handler.js';
import { registerIdempotency } from '../../src/http/idempotency.js';
import { validatorCompiler } from '../../src/http/validation.js';
import { AppError } from '../../src/shared/errors.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { bookOrder, TEST_GATEWAY_SECRET } from '../support/payments.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * The middleware on a small app of its own (over the real test database), whose handler can be held open
 * to prove what happens while a first request is still running.
 */
async function buildProbeApp(t: TestApp) {
  let calls = 0;
  let gate: Promise<void> = Promise.resolve();
  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app as unknown as FastifyInstance);
  const routes: FastifyPluginAsyncTypebox = async (scope) => {
    await registerIdempotency(scope, t.deps);
    await registerIdempotency(scope, t.deps); // twice is harmless
    scope.post(
      '/things',
      {
        config: { idempotent: true },
        schema: {
          body: Type.Object(
            { name: Type.String({ maxLength: 50 }), fail: Type.Optional(Type.Integer()) },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        calls++;
        await gate;
        if (request.body.fail === 500) throw new Error('boom');
        if (request.body.fail === 409) throw new AppError('resource.conflict', 'taken');
        return reply.code(201).send({ id: `thing_${calls}`, name: request.body.name, n: calls });
      },
    );
    scope.post('/plain', async () => ({ n: ++calls }));
  };
  await app.register(routes);
  await app.ready();
  return {
    app,
    calls: () => calls,
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => release();
    },
  };
}

const session = (name: string) => ({ 'x-session-id': `session_${name}_0123456789abcdef` });

describe(`Idempotency-Key (${databaseKind})`, () => {
  let t: TestApp;
  let probe: Awaited<ReturnType<typeof buildProbeApp>>;
  let buyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { FAKE_GATEWAY_SECRET: TEST_GATEWAY_SECRET } });
    probe = await buildProbeApp(t);
    buyer = await createTestUser(t);
  });
  afterAll(async () => {
    await probe?.app.close();
    await t?.close();
  });

  const post = (headers: Record<string, string>, payload: object) =>
    probe.app.inject({ method: 'POST', url: '/things', headers, payload });

  it('replays the first response for the same key and body (key order ignored); the handler runs once', async () => {
    const headers = { ...session('a'), 'idempotency-key': 'replay-1' };
    const first = await post(headers, { name: 'x', fail: 0 });
    expect(first.statusCode).toBe(201);
    const before = probe.calls();
    const second = await probe.app.inject({
      method: 'POST',
      url: '/things',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"fail":0,"name":"x"}',
    });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(probe.calls()).toBe(before);
  });

  it('the same key with another body is 422 idempotency.key_reused', async () => {
    const headers = { ...session('b'), 'idempotency-key': 'reuse-1' };
    expect((await post(headers, { name: 'x' })).statusCode).toBe(201);
    const other = await post(headers, { name: 'y' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency.key_reused');
  });

  it('while the first request runs, the same key is 409 idempotency.in_flight; afterwards it replays', async () => {
    const headers = { ...session('c'), 'idempotency-key': 'inflight-1' };
    const release = probe.hold();
    const first = post(headers, { name: 'slow' });
    // Wait until the first request has claimed the key and sits in its handler.
    await expect
      .poll(async () =>
        t.deps.database.db
          .selectFrom('idempotency_keys')
          .select('status')
          .where('key', '=', 'inflight-1')
          .executeTakeFirst(),
      )
      .toEqual({ status: 'in_flight' });
    const during = await post(headers, { name: 'slow' });
    expect(during.statusCode).toBe(409);
    expect(during.json().error.code).toBe('idempotency.in_flight');
    release();
    const done = await first;
    expect(done.statusCode).toBe(201);
    const after = await post(headers, { name: 'slow' });
    expect(after.statusCode).toBe(201);
    expect(after.json()).toEqual(done.json());
  });

  it('concurrent requests with one key: one runs, the others are 409 or replays', async () => {
    const headers = { ...session('d'), 'idempotency-key': 'concurrent-1' };
    const before = probe.calls();
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(headers, { name: 'c' })));
    expect(probe.calls() - before).toBe(1);
    const created = responses.filter((r) => r.statusCode === 201);
    expect(new Set(created.map((r) => r.body)).size).toBe(1);
    expect(responses.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
  });

  it('a 5xx is not kept (a retry runs again); a 4xx is kept and replayed', async () => {
    const failing = { ...session('e'), 'idempotency-key': 'five-hundred' };
    expect((await post(failing, { name: 'x', fail: 500 })).statusCode).toBe(500);
    const before = probe.calls();
    expect((await post(failing, { name: 'x', fail: 500 })).statusCode).toBe(500);
    expect(probe.calls()).toBe(before + 1);

    const conflict = { ...session('e'), 'idempotency-key': 'four-oh-nine' };
    const first = await post(conflict, { name: 'x', fail: 409 });
    expect(first.statusCode).toBe(409);
    const calls = probe.calls();
    const replay = await post(conflict, { name: 'x', fail: 409 });
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toEqual(first.json());
    expect(probe.calls()).toBe(calls);
  });

  it('keys are per caller, invalid keys are 400, and routes that did not opt in ignore the header', async () => {
    const a = await post({ ...session('f1'), 'idempotency-key': 'shared' }, { name: 'x' });
    const b = await post({ ...session('f2'), 'idempotency-key': 'shared' }, { name: 'x' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(a.json().n).not.toBe(b.json().n);

    for (const key of ['', 'x'.repeat(256), 'has space', 'ünïcode']) {
      const response = await post({ ...session('g'), 'idempotency-key': key }, { name: 'x' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('idempotency.key_invalid');
    }
    const plain1 = await probe.app.inject({
      method: 'POST',
      url: '/plain',
      headers: { ...session('h'), 'idempotency-key': 'p' },
    });
    const plain2 = await probe.app.inject({
      method: 'POST',
      url: '/plain',
      headers: { ...session('h'), 'idempotency-key': 'p' },
    });
    expect(plain1.json().n).not.toBe(plain2.json().n);
  });

  it('an invalid body is 400 and does not use up the key', async () => {
    const headers = { ...session('i'), 'idempotency-key': 'invalid-first' };
    expect((await post(headers, { name: 5 })).statusCode).toBe(400);
    expect((await post(headers, { name: 'ok' })).statusCode).toBe(201);
  });

  it('a key left in flight by a process that died is taken over after two minutes', async () => {
    const headers = { ...session('j'), 'idempotency-key': 'abandoned' };
    await t.deps.database.db
      .insertInto('idempotency_keys')
      .values({
        scope: `session:${headers['x-session-id']}`,
        key: 'abandoned',
        request_hash: 'whatever',
        status: 'in_flight',
        expires_at: new Date(Date.now() + 24 * 3600_000 - 3 * 60_000),
      })
      .execute();
    expect((await post(headers, { name: 'x' })).statusCode).toBe(201);
  });

  it('POST /api/payments: the same key returns the same payment; another order with the key is 422', async () => {
    const order = await bookOrder(t, buyer);
    const headers = { ...buyer.headers, 'idempotency-key': `pay-${order.orderId}` };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers,
      payload: { orderId: order.orderId },
    });
    expect(first.statusCode).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers,
      payload: { orderId: order.orderId },
    });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await bookOrder(t, buyer);
    const reused = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers,
      payload: { orderId: other.orderId },
    });
    expect(reused.statusCode).toBe(422);
    const payments = await t.deps.database.db
      .selectFrom('payments')
      .select('id')
      .where('order_id', 'in', [order.orderId, other.orderId])
      .execute();
    expect(payments).toHaveLength(1);
  });
});
