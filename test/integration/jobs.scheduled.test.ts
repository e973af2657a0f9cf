import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleReminderScan } from '../../src/notifications/reminders.js';
import {
  handlePaymentReconciliation,
  type PaymentReconciliationJob,
} from '../../src/payments/payment-reconciliation.js';
import { handleDailySummary } from '../../src/reporting/daily-summary.js';
import { newHoldToken } from '../../src/shared/ids.js';
import { addDays, localDateOf, zonedDateTimeToUtc } from '../../src/shared/time.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import type { EventFixture } from '../support/fixtures.js';
import { bookOrder, createPricedEvent, startFakePayment } from '../support/payments.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { pay } from './cancellation.fixtures.js';

/**
 * Scheduled work: the hold sweep as a job, the daily sales summary at the organizer's local hour, the
 * reminder 24 hours before, and payment reconciliation for a payment whose webhook never came. The clock
 * of the app is moved where a schedule needs another time.
 */
describe(`scheduled work (${databaseKind})`, () => {
  let t: TestApp;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  let event: EventFixture;
  let staff: TestUser;
  let buyer: TestUser;
  let confirmedOrderId: string;

  beforeAll(async () => {
    t = await createTestApp({ jobs: true, clock, env: { JOBS_POLL_INTERVAL_MS: '500', SWEEP_INTERVAL_SECONDS: '1' } });
    event = await createPricedEvent(t);
    staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId, name: 'Desk' });
    buyer = await createTestUser(t);
    const order = await bookOrder(t, buyer, { event, seatCount: 2 });
    await pay(t, buyer, order.orderId);
    confirmedOrderId = order.orderId;
  });
  afterAll(async () => t?.close());
  const db = () => t.deps.database.db;

  async function mailOf(where: { kind: string; orderId?: string; to?: string }) {
    return waitFor(
      async () => {
        let query = db().selectFrom('mailbox_messages').selectAll().where('kind', '=', where.kind);
        if (where.orderId) query = query.where('order_id', '=', where.orderId);
        if (where.to) query = query.where('to_address', '=', where.to);
        const rows = await query.execute();
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
      `${where.kind} mail`,
    );
  }

  it('sweeps expired holds as a job every SWEEP_INTERVAL_SECONDS', async () => {
    const token = newHoldToken();
    await db()
      .insertInto('holds')
      .values({
        token,
        inventory_kind: 'event',
        inventory_id: event.eventId,
        owner: 'sweep-test-session-0001',
        from_index: 0,
        to_index: 1,
        seat_ids: [],
        ga: '[]',
        created_at: new Date(Date.now() - 120_000),
        expires_at: new Date(Date.now() - 60_000),
      })
      .execute();
    await waitFor(
      async () => {
        const row = await db().selectFrom('holds').select('token').where('token', '=', token).executeTakeFirst();
        return row === undefined;
      },
      20_000,
      'the sweep',
    );
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/boxoffice_jobs_completed_total\{queue="holds-sweep"\} [1-9]/);
    expect(metrics).toMatch(/boxoffice_holds_expired_total [1-9]/);
  });

  it('sends each staff member the previous day’s sales at DAILY_SUMMARY_HOUR local time, once', async () => {
    const timezone = 'Asia/Dhaka';
    const today = localDateOf(new Date(), timezone);
    offsetMs = zonedDateTimeToUtc(addDays(today, 1), '07:20', timezone).getTime() - Date.now();
    expect(await handleDailySummary(t.deps)).toBeGreaterThanOrEqual(1);
    expect(await handleDailySummary(t.deps)).toBe(0);
    const [summary] = await mailOf({ kind: 'daily_summary', to: staff.email });
    expect(summary!.subject).toContain(`sales on ${today}`);
    const text = summary!.text_body.replace(/\u00a0/g, ' ');
    expect(text).toContain('Orders confirmed: 1');
    expect(text).toContain('Tickets sold: 2');
    expect(text).toContain('Sales: BDT 1,000.00');
    expect(text).toContain('Test Show');
    // At another hour nothing goes out.
    offsetMs += 3_600_000;
    expect(await handleDailySummary(t.deps)).toBe(0);
    offsetMs = 0;
  });

  it('reminds the buyer once, within 24 hours of the start', async () => {
    expect(await handleReminderScan(t.deps)).toBe(0); // a week ahead: too early
    const startsAt = await db()
      .selectFrom('events')
      .select('starts_at')
      .where('id', '=', event.eventId)
      .executeTakeFirstOrThrow();
    offsetMs = startsAt.starts_at.getTime() - 12 * 3_600_000 - Date.now();
    expect(await handleReminderScan(t.deps)).toBe(1);
    expect(await handleReminderScan(t.deps)).toBe(0);
    const [reminder] = await mailOf({ kind: 'reminder', orderId: confirmedOrderId });
    expect(reminder!.subject).toContain('Tomorrow: Test Show');
    expect(reminder!.to_address).toBe(buyer.email);
    offsetMs = 0;
  });

  it('reconciles a payment whose webhook never came: the provider says paid, so the order is confirmed', async () => {
    const order = await bookOrder(t, buyer, { event, seatIds: [event.seatIds[40]!] });
    const payment = await startFakePayment(t, buyer, order.orderId);
    const { rows: scheduled } = await sql<{ data: PaymentReconciliationJob; start_after: Date }>`
      SELECT data, start_after FROM pgboss.job WHERE name = 'payments-reconcile' AND data->>'paymentId' = ${payment.paymentId}`.execute(
      db(),
    );
    expect(scheduled).toHaveLength(1);
    const orderRow = await db()
      .selectFrom('orders')
      .select('expires_at')
      .where('id', '=', order.orderId)
      .executeTakeFirstOrThrow();
    expect(scheduled[0]!.start_after.getTime()).toBeGreaterThanOrEqual(orderRow.expires_at.getTime() + 119_000);

    // Not paid yet: asked again later.
    expect(await handlePaymentReconciliation(t.deps, scheduled[0]!.data)).toBe('still_pending');
    const { rows: again } = await sql<{ data: PaymentReconciliationJob }>`
      SELECT data FROM pgboss.job WHERE name = 'payments-reconcile' AND data->>'paymentId' = ${payment.paymentId}
       ORDER BY created_on`.execute(db());
    expect(again.map((job) => job.data.check)).toEqual([0, 1]);

    // The buyer paid on the gateway's page, but the webhook was lost on the way.
    await db()
      .updateTable('fake_gateway_charges')
      .set({ status: 'succeeded' })
      .where('id', '=', payment.chargeId)
      .execute();
    expect(await handlePaymentReconciliation(t.deps, scheduled[0]!.data)).toBe('confirmed');
    const confirmed = await db()
      .selectFrom('orders')
      .select(['status', 'payment_status'])
      .where('id', '=', order.orderId)
      .executeTakeFirstOrThrow();
    expect(confirmed).toEqual({ status: 'confirmed', payment_status: 'paid' });
    await mailOf({ kind: 'booking_confirmed', orderId: order.orderId });
    // Asked again (a later check), it changes nothing.
    expect(await handlePaymentReconciliation(t.deps, { ...scheduled[0]!.data, check: 1 })).toBe('not_pending');
  });
});
