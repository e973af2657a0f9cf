import { describe, expect, it } from 'vitest';
import { formatMoney, renderMessage, type MessageInput, type OrderFacts } from './message-templates.js';

const order: OrderFacts = {
  buyerName: 'Nusrat <b>',
  orderCode: 'BX7K2M9Q',
  organizerName: 'Dhaka Live',
  inventoryKind: 'event',
  title: 'Monsoon <script>alert(1)</script> Nights',
  startsAt: new Date('2026-12-05T13:30:00Z'),
  timeZone: 'Asia/Dhaka',
  place: 'Army Stadium, Dhaka',
  fromStop: null,
  toStop: null,
  currency: 'BDT',
  total: 150_000,
  seats: ['A-1', 'A-2'],
};

const inputs: MessageInput[] = [
  {
    kind: 'booking_confirmed',
    order,
    tickets: [{ label: 'A-1', category: 'A', passengerName: null, code: 'TKTCODE1', qrContentId: 'qr-1@boxoffice' }],
  },
  { kind: 'cancellation_code', order, code: '123456', seatCount: 2, validMinutes: 10 },
  {
    kind: 'order_cancelled',
    order,
    cancelledSeats: ['A-2'],
    whole: false,
    refund: 70_000,
    fee: 5_000,
    paid: true,
    by: 'customer',
  },
  {
    kind: 'order_cancelled',
    order,
    cancelledSeats: ['A-1', 'A-2'],
    whole: true,
    refund: 150_000,
    fee: 0,
    paid: true,
    by: 'organizer',
  },
  { kind: 'refund_done', order, amount: 150_000, cause: 'late_payment', reason: 'The seats were sold meanwhile' },
  { kind: 'reminder', order },
  {
    kind: 'trip_delayed',
    order: { ...order, inventoryKind: 'trip', fromStop: 'Dhaka', toStop: 'Cumilla', place: 'Dhaka → Cumilla' },
    delayMinutes: 35,
    affects: 'departure',
    stopName: 'Dhaka',
    expectedAt: new Date('2026-12-05T14:05:00Z'),
    reason: 'Fog',
  },
  { kind: 'trip_disrupted', order: { ...order, inventoryKind: 'trip' }, wholeTrip: false, reason: null },
  {
    kind: 'daily_summary',
    summary: {
      organizerName: 'Dhaka Live',
      recipientName: 'Desk',
      date: '2026-12-04',
      currency: 'BDT',
      ordersConfirmed: 3,
      ticketsSold: 7,
      gross: 350_000,
      refunded: 50_000,
      top: [{ title: 'Monsoon Nights', startsAt: new Date('2026-12-05T13:30:00Z'), tickets: 7, gross: 350_000 }],
      timeZone: 'Asia/Dhaka',
    },
  },
];

describe('message templates', () => {
  it.each(inputs.flatMap((input) => (['en', 'bn'] as const).map((language) => [input.kind, language, input] as const)))(
    '%s in %s has a subject, a text and an HTML part saying the same, and a short SMS',
    (_kind, language, input) => {
      const message = renderMessage(input, language);
      expect(message.subject.length).toBeGreaterThan(5);
      expect(message.text.length).toBeGreaterThan(20);
      expect(message.html).toMatch(/^<!doctype html>/);
      expect(message.sms.length).toBeGreaterThan(10);
      expect(message.sms.length).toBeLessThan(400);
      // What buyers or organizers typed is escaped in the HTML, never markup.
      expect(message.html).not.toContain('<script>');
      expect(message.html).not.toContain('<b>');
      if (input.kind !== 'daily_summary') {
        expect(message.text).toContain('BX7K2M9Q');
        expect(message.html).toContain('BX7K2M9Q');
      }
      if (language === 'bn') expect(message.text).toMatch(/[\u0980-\u09FF]/);
    },
  );

  it('puts the facts a buyer needs where they look for them', () => {
    const confirmed = renderMessage(inputs[0]!, 'en');
    expect(confirmed.html).toContain('src="cid:qr-1@boxoffice"');
    expect(confirmed.text).toContain('TKTCODE1');
    expect(confirmed.text.replace(/\u00a0/g, ' ')).toContain('Total paid: BDT 1,500.00');
    expect(confirmed.text).toContain('Sat, 5 Dec 2026, 19:30 (Asia/Dhaka)');
    const code = renderMessage(inputs[1]!, 'bn');
    expect(code.text).toContain('123456');
    expect(code.sms).toContain('123456');
    const partial = renderMessage(inputs[2]!, 'en');
    expect(partial.text.replace(/\u00a0/g, ' ')).toContain('Refund: BDT 700.00 (cancellation fee kept: BDT 50.00)');
    const late = renderMessage(inputs[4]!, 'en');
    expect(late.text).toContain('Why: The seats were sold meanwhile');
    expect(renderMessage(inputs[3]!, 'en').subject).toContain('Event cancelled');
  });

  it('formats money in minor units for the currency and the language', () => {
    expect(formatMoney(150_000, 'BDT', 'en').replace(/\u00a0/g, ' ')).toBe('BDT 1,500.00');
    expect(formatMoney(150_000, 'BDT', 'bn')).toContain('১,৫০০.০০');
    expect(formatMoney(1_500, 'JPY', 'en').replace(/\u00a0/g, ' ')).toBe('JPY 1,500');
  });
});
