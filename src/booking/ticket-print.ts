/**
 * The printable ticket: one self-contained HTML page (the QR inline as a data URL, styles inline) that a
 * browser prints on A4 or a phone shows at the door. Every text from the database is escaped.
 */
export interface PrintableTicket {
  code: string;
  bookingCode: string;
  organizerName: string;
  title: string;
  kind: 'event' | 'trip';
  status: 'valid' | 'cancelled';
  seatLabel: string;
  category: string;
  passengerName: string | null;
  /** Events: where and when. */
  venue?: { name: string; city: string; address: string; startsAt: Date; timeZone: string } | undefined;
  /** Trips: boarding and alighting stops with local times. */
  journey?:
    | {
        from: { name: string; at: Date; timeZone: string };
        to: { name: string; at: Date; timeZone: string };
      }
    | undefined;
  qrDataUrl: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** A time as read on the clock at the place, e.g. "Fri, 3 Jul 2026, 19:30 (Asia/Dhaka)". */
export function formatLocalTime(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return `${text} (${timeZone})`;
}

function row(label: string, value: string): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

export function renderTicketPage(ticket: PrintableTicket): string {
  const rows: string[] = [];
  if (ticket.venue) {
    rows.push(row('Venue', [ticket.venue.name, ticket.venue.address, ticket.venue.city].filter(Boolean).join(', ')));
    rows.push(row('Starts', formatLocalTime(ticket.venue.startsAt, ticket.venue.timeZone)));
  }
  if (ticket.journey) {
    rows.push(row('From', ticket.journey.from.name));
    rows.push(row('Departs', formatLocalTime(ticket.journey.from.at, ticket.journey.from.timeZone)));
    rows.push(row('To', ticket.journey.to.name));
    rows.push(row('Arrives', formatLocalTime(ticket.journey.to.at, ticket.journey.to.timeZone)));
  }
  rows.push(row(ticket.kind === 'trip' ? 'Seat' : 'Seat / area', ticket.seatLabel));
  rows.push(row('Category', ticket.category));
  if (ticket.passengerName) rows.push(row('Passenger', ticket.passengerName));
  rows.push(row('Booking', ticket.bookingCode));
  const cancelled = ticket.status === 'cancelled' ? '<p class="void">CANCELLED — not valid for entry</p>' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ticket ${escapeHtml(ticket.bookingCode)} — ${escapeHtml(ticket.title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; padding: 24px; color: #111; }
  .ticket { max-width: 640px; margin: 0 auto; border: 2px dashed #444; border-radius: 12px; padding: 24px; }
  h1 { margin: 0 0 4px; font-size: 1.5rem; }
  .organizer { margin: 0 0 16px; color: #555; }
  .body { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
  table { border-collapse: collapse; flex: 1 1 280px; }
  th { text-align: left; padding: 4px 12px 4px 0; color: #555; font-weight: 600; vertical-align: top; }
  td { padding: 4px 0; }
  .qr { text-align: center; }
  .qr img { width: 200px; height: 200px; image-rendering: pixelated; }
  .code { font-family: ui-monospace, monospace; font-size: 0.8rem; letter-spacing: 0.05em; word-break: break-all; }
  .void { color: #b00; font-weight: 700; font-size: 1.2rem; }
  @media print { body { padding: 0; } .ticket { border-color: #000; } }
</style>
</head>
<body>
<main class="ticket">
<h1>${escapeHtml(ticket.title)}</h1>
<p class="organizer">${escapeHtml(ticket.organizerName)}</p>
${cancelled}
<div class="body">
<table>${rows.join('')}</table>
<div class="qr"><img src="${escapeHtml(ticket.qrDataUrl)}" alt="QR code of the ticket">
<div class="code">${escapeHtml(ticket.code)}</div></div>
</div>
</main>
</body>
</html>
`;
}
