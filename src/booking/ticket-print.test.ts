import { describe, expect, it } from 'vitest';
import { escapeHtml, formatLocalTime, renderTicketPage, type PrintableTicket } from './ticket-print.js';

const base: PrintableTicket = {
  code: 'ABCDEFGHJKMNPQRSTVWXYZ0123',
  bookingCode: 'BX12345678',
  organizerName: 'Green Line',
  title: 'Dhaka → Chattogram',
  kind: 'trip',
  status: 'valid',
  seatLabel: 'Coach · Row 1 · Seat A',
  category: 'BUSINESS',
  passengerName: 'Rahim',
  journey: {
    from: { name: 'Dhaka', at: new Date('2026-07-03T13:30:00Z'), timeZone: 'Asia/Dhaka' },
    to: { name: 'Kolkata', at: new Date('2026-07-03T20:00:00Z'), timeZone: 'Asia/Kolkata' },
  },
  qrDataUrl: 'data:image/png;base64,AAAA',
};

describe('printable ticket', () => {
  it('escapes every text that comes from the database', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;',
    );
    const html = renderTicketPage({ ...base, title: '<script>alert(1)</script>', passengerName: '<b>Eve</b>' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Eve</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows stop times in each stop’s own time zone', () => {
    expect(formatLocalTime(new Date('2026-07-03T13:30:00Z'), 'Asia/Dhaka')).toBe('Fri, 3 Jul 2026, 19:30 (Asia/Dhaka)');
    const html = renderTicketPage(base);
    expect(html).toContain('19:30 (Asia/Dhaka)');
    expect(html).toContain('01:30 (Asia/Kolkata)');
    expect(html).toContain('src="data:image/png;base64,AAAA"');
  });

  it('marks a cancelled ticket as not valid', () => {
    expect(renderTicketPage({ ...base, status: 'cancelled' })).toContain('CANCELLED');
  });
});
