import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, type Json } from '../support/booking-fixtures.js';
import type { EventFixture } from '../support/fixtures.js';
import { bookOrder, createPricedEvent } from '../support/payments.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { pay } from './cancellation.fixtures.js';

/** Checks a Boxoffice-Signature header the way a receiver should: HMAC over "<t>.<raw body>". */
function signatureValid(header: string, body: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return (
    given.length === expected.length &&
    timingSafeEqual(given, expected) &&
    Math.abs(Date.now() / 1000 - Number(parts.t)) < 300
  );
}

/**
 * Organizer webhooks as a job: signed, retried with backoff when the endpoint fails, dead-lettered when it
 * never answers 2xx — visible to the organizer's staff (not another organizer's) and retried from there.
 */
describe(`webhook deliveries: signature, retries, dead-letter queue (${databaseKind})`, () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let staffX: TestUser;
  let staffY: TestUser;
  let buyer: TestUser;
  let organizerX: string;
  let eventX: EventFixture;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp({
      jobs: true,
      env: {
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        WEBHOOK_RETRY_LIMIT: '1',
        JOBS_RETRY_DELAY_SECONDS: '1',
        JOBS_POLL_INTERVAL_MS: '500',
      },
    });
    buyer = await createTestUser(t);
    const other = await createPricedEvent(t);
    staffY = await createTestUser(t, { role: 'staff', organizerId: other.organizerId });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  async function registerWebhook(events: string[]) {
    const created = await api(t, 'POST', '/api/admin/webhooks', {
      user: staffX,
      body: { organizerId: organizerX, url: receiver.url, events, description: 'Ticket desk' },
    });
    expect(created.status).toBe(201);
    return created.body as Json;
  }

  it('signs every delivery and retries a failed one until the endpoint accepts it', async () => {
    const event = await createPricedEvent(t);
    eventX = event;
    organizerX = event.organizerId;
    staffX = await createTestUser(t, { role: 'staff', organizerId: organizerX });
    const webhook = await registerWebhook(['order.confirmed']);
    expect(webhook.secret).toMatch(/^whsec_/);
    const listed = await api(t, 'GET', `/api/admin/webhooks/${webhook.id}`, { user: staffX });
    expect(listed.body).not.toHaveProperty('secret');

    receiver.answer((n) => (n === 1 ? 503 : 200));
    const order = await bookOrder(t, buyer, { event, seatCount: 1 });
    await pay(t, buyer, order.orderId);

    const deliveries = await waitFor(
      async () => {
        const reply = await api(t, 'GET', `/api/admin/webhooks/${webhook.id}/deliveries`, { user: staffX });
        const items = reply.body as unknown as Json[];
        return items[0]?.status === 'delivered' ? items : undefined;
      },
      30_000,
      'the delivery',
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ eventType: 'order.confirmed', attempts: 2, lastStatusCode: 200 });
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    // Both attempts are the same event (receivers deduplicate on it), each signed with a fresh timestamp.
    expect(first!.headers['boxoffice-event-id']).toBe(second!.headers['boxoffice-event-id']);
    expect(second!.headers['boxoffice-event']).toBe('order.confirmed');
    for (const request of receiver.received) {
      expect(
        signatureValid(String(request.headers['boxoffice-signature']), request.body, webhook.secret as string),
      ).toBe(true);
      expect(signatureValid(String(request.headers['boxoffice-signature']), request.body, 'whsec_wrong')).toBe(false);
    }
    const payload = JSON.parse(second!.body) as Json;
    expect(payload).toMatchObject({ type: 'order.confirmed', organizerId: organizerX });
    expect(payload.data.order).toMatchObject({ id: order.orderId, status: 'confirmed', paymentStatus: 'paid' });
    expect(payload.data.order.lines).toHaveLength(1);
  });

  it('dead-letters a delivery the endpoint never accepts; the organizer’s staff see it and retry it', async () => {
    receiver.received.length = 0;
    receiver.answer(500);
    const order = await bookOrder(t, buyer, { event: eventX, seatIds: [eventX.seatIds[5]!] });
    await pay(t, buyer, order.orderId);

    const deadLetters = await waitFor(
      async () => {
        const reply = await api(t, 'GET', '/api/admin/jobs/dead-letters', { user: staffX });
        const items = reply.body as unknown as Json[];
        return items.length > 0 ? items : undefined;
      },
      30_000,
      'the dead letter',
    );
    expect(deadLetters).toHaveLength(1);
    const dead = deadLetters[0]!;
    expect(dead).toMatchObject({ queue: 'webhook-delivery', organizerId: organizerX });
    expect(dead.error).toContain('HTTP 500');
    expect(receiver.received).toHaveLength(2); // first try and one retry (WEBHOOK_RETRY_LIMIT=1)

    const deliveryId = dead.data.deliveryId as string;
    const delivery = await t.deps.database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2, last_status_code: 500 });

    // Another organizer's staff neither see nor retry it; customers are refused; admins see everything.
    expect((await api(t, 'GET', '/api/admin/jobs/dead-letters', { user: staffY })).body).toEqual([]);
    expect((await api(t, 'POST', `/api/admin/jobs/dead-letters/${dead.id}/retry`, { user: staffY })).status).toBe(404);
    expect((await api(t, 'GET', '/api/admin/jobs/dead-letters', { user: buyer })).status).toBe(403);
    const asAdmin = await t.app.inject({ method: 'GET', url: '/api/admin/jobs/dead-letters', headers: t.adminHeaders });
    expect((asAdmin.json() as Json[]).map((item) => item.id)).toContain(dead.id);
    let metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('boxoffice_jobs_dead_lettered_total{queue="webhook-delivery"} 1');
    expect(metrics).toContain('boxoffice_jobs{queue="webhook-delivery",state="dead_letter"} 1');

    receiver.answer(200);
    const retried = await api(t, 'POST', `/api/admin/jobs/dead-letters/${dead.id}/retry`, { user: staffX });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: dead.id, queue: 'webhook-delivery' });
    // Retrying it again finds it gone.
    expect((await api(t, 'POST', `/api/admin/jobs/dead-letters/${dead.id}/retry`, { user: staffX })).status).toBe(404);

    await waitFor(
      async () => {
        const row = await t.deps.database.db
          .selectFrom('webhook_deliveries')
          .select(['status', 'attempts'])
          .where('id', '=', deliveryId)
          .executeTakeFirstOrThrow();
        return row.status === 'delivered' ? row : undefined;
      },
      30_000,
      'the retried delivery',
    );
    expect(receiver.received).toHaveLength(3);
    expect((await api(t, 'GET', '/api/admin/jobs/dead-letters', { user: staffX })).body).toEqual([]);
    metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).not.toContain('state="dead_letter"} 1');
  });
});
