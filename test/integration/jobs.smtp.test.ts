import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketQrPng } from '../../src/booking/ticket.service.js';
import { createTestUser } from '../support/auth.js';
import { leafParts, parseMime, partOfType } from '../support/mime.js';
import { bookOrder } from '../support/payments.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { pay } from './cancellation.fixtures.js';

/**
 * Email through a real SMTP server (smtp-server, started here): the booking confirmation arrives with one
 * inline QR image per ticket, in the buyer's language — after the server refused the first two attempts,
 * which the email job retried with backoff.
 */
describe(`booking confirmation over SMTP, retried (${databaseKind})`, () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer({ refuseFirst: 2 });
    t = await createTestApp({
      jobs: true,
      env: { SMTP_URL: smtp.url, JOBS_RETRY_DELAY_SECONDS: '1', JOBS_POLL_INTERVAL_MS: '500' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('fails twice, then succeeds: the third attempt delivers the tickets with their QR codes', async () => {
    expect(t.deps.mailer.name).toBe('smtp');
    const buyer = await createTestUser(t, { name: 'নুসরাত', email: 'nusrat@example.test' });
    await t.deps.database.db.updateTable('users').set({ language: 'bn' }).where('id', '=', buyer.id).execute();
    const order = await bookOrder(t, buyer, { seatCount: 2 });
    await pay(t, buyer, order.orderId);

    const raw = await waitFor(() => smtp.messages[0], 45_000, 'the confirmation email');
    expect(smtp.attempts()).toBe(3);

    const notification = await t.deps.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('order_id', '=', order.orderId)
      .executeTakeFirstOrThrow();
    expect(notification).toMatchObject({
      kind: 'booking_confirmed',
      channel: 'email',
      status: 'sent',
      attempts: 3,
      recipient: 'nusrat@example.test',
    });
    expect(notification.last_error).toBeNull();
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('boxoffice_jobs_failed_total{queue="notify-email"} 2');
    expect(metrics).toMatch(/boxoffice_jobs_completed_total\{queue="notify-email"\} 1\b/);

    const mail = parseMime(raw);
    expect(mail.headers.get('to')).toContain('nusrat@example.test');
    expect(mail.headers.get('subject')).toContain('আপনার টিকিট');
    const text = partOfType(mail, 'text/plain')!.body.toString('utf8');
    const html = partOfType(mail, 'text/html')!.body.toString('utf8');
    expect(text).toContain('নিশ্চিত হয়েছে');

    const tickets = await t.deps.database.db
      .selectFrom('tickets')
      .select(['id', 'code'])
      .where('order_id', '=', order.orderId)
      .execute();
    expect(tickets).toHaveLength(2);
    const images = leafParts(mail).filter((part) => part.headers.get('content-type')?.startsWith('image/png'));
    expect(images).toHaveLength(2);
    for (const ticket of tickets) {
      const cid = `qr-${ticket.id}@boxoffice`;
      expect(html).toContain(`cid:${cid}`);
      expect(text).toContain(ticket.code);
      const image = images.find((part) => part.headers.get('content-id') === `<${cid}>`);
      expect(image, `inline QR image of ${ticket.id}`).toBeDefined();
      // The image is exactly the QR code of the ticket's code, as the ticket page and check-in read it.
      expect(image!.body.equals(await ticketQrPng(ticket.code))).toBe(true);
    }
  });
});
