import { escapeHtml } from '../booking/ticket-print.js';

/**
 * Every message Boxoffice sends, in English and Bangla: a subject, a plain-text part, an HTML part and a
 * short SMS text. Pure functions of the facts they are given, so they are tested without a mail server.
 */
export type Language = 'en' | 'bn';

export type MessageKind =
  | 'booking_confirmed'
  | 'cancellation_code'
  | 'order_cancelled'
  | 'refund_done'
  | 'reminder'
  | 'trip_delayed'
  | 'trip_disrupted'
  | 'daily_summary';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/** What every order message says about the order. */
export interface OrderFacts {
  buyerName: string;
  orderCode: string;
  organizerName: string;
  inventoryKind: 'event' | 'trip';
  title: string;
  /** Start of the event, or departure from the buyer's boarding stop. */
  startsAt: Date;
  timeZone: string;
  /** Venue and city, or "Boarding → Alighting" stop names. */
  place: string;
  fromStop: string | null;
  toStop: string | null;
  currency: string;
  total: number;
  /** Seat labels (or GA area names) of the order's active lines. */
  seats: string[];
}

export interface TicketFacts {
  label: string;
  category: string;
  passengerName: string | null;
  code: string;
  /** Content-ID of the QR image attached to the email. */
  qrContentId: string;
}

export type RefundCause = 'late_payment' | 'duplicate' | 'cancellation';

export interface SummaryFacts {
  organizerName: string;
  recipientName: string;
  date: string;
  currency: string;
  ordersConfirmed: number;
  ticketsSold: number;
  gross: number;
  refunded: number;
  top: { title: string; startsAt: Date; tickets: number; gross: number }[];
  timeZone: string;
}

export type MessageInput =
  | { kind: 'booking_confirmed'; order: OrderFacts; tickets: TicketFacts[] }
  | { kind: 'cancellation_code'; order: OrderFacts; code: string; seatCount: number; validMinutes: number }
  | {
      kind: 'order_cancelled';
      order: OrderFacts;
      cancelledSeats: string[];
      whole: boolean;
      refund: number;
      fee: number;
      paid: boolean;
      by: 'customer' | 'organizer';
    }
  | { kind: 'refund_done'; order: OrderFacts; amount: number; cause: RefundCause; reason: string }
  | { kind: 'reminder'; order: OrderFacts }
  | {
      kind: 'trip_delayed';
      order: OrderFacts;
      delayMinutes: number;
      /** departure: the buyer boards at or after the first late stop; arrival: only their arrival is late. */
      affects: 'departure' | 'arrival';
      stopName: string;
      expectedAt: Date;
      reason: string | null;
    }
  | { kind: 'trip_disrupted'; order: OrderFacts; wholeTrip: boolean; reason: string | null }
  | { kind: 'daily_summary'; summary: SummaryFacts };

// ── Formatting ───────────────────────────────────────────────────────────────────────────────────────────

const LOCALE: Record<Language, string> = { en: 'en-GB', bn: 'bn-BD' };

/** Minor units as money in the buyer's language, e.g. "BDT 1,500.00" / "BDT ১,৫০০.০০". */
export function formatMoney(amount: number, currency: string, language: Language): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(LOCALE[language], { style: 'currency', currency, currencyDisplay: 'code' }).format(
    amount / 10 ** digits,
  );
}

/** A time on the clock of the place, in the buyer's language: "Fri, 3 Jul 2026, 19:30". */
export function formatTime(at: Date, timeZone: string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALE[language], {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

function formatCount(count: number, language: Language): string {
  return new Intl.NumberFormat(LOCALE[language]).format(count);
}

function layout(title: string, bodyHtml: string, footer: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans Bengali',sans-serif;color:#18181b">
<div style="max-width:600px;margin:0 auto;padding:24px">
<div style="background:#ffffff;border-radius:8px;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(title)}</h1>
${bodyHtml}
</div>
<p style="font-size:12px;color:#71717a;margin:16px 8px">${escapeHtml(footer)}</p>
</div></body></html>`;
}

const p = (text: string) => `<p style="margin:0 0 12px;line-height:1.5">${escapeHtml(text)}</p>`;

function factsTable(rows: [string, string][]): string {
  const cells = rows
    .map(
      ([label, value]) =>
        `<tr><th style="text-align:left;padding:4px 12px 4px 0;color:#52525b;font-weight:600;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  return `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${cells}</table>`;
}

const factsText = (rows: [string, string][]) => rows.map(([label, value]) => `${label}: ${value}`).join('\n');

/** A message's parts from its paragraphs and facts, text and HTML saying the same. */
function compose(
  language: Language,
  subject: string,
  paragraphs: string[],
  facts: [string, string][],
  sms: string,
  extraHtml = '',
  extraText = '',
  footer: string = T[language].footer,
): RenderedMessage {
  const text = [...paragraphs, facts.length > 0 ? factsText(facts) : '', extraText, '—', footer]
    .filter((part) => part !== '')
    .join('\n\n');
  const html = layout(
    subject,
    `${paragraphs.map(p).join('\n')}\n${facts.length > 0 ? factsTable(facts) : ''}${extraHtml}`,
    footer,
  );
  return { subject, text: `${text}\n`, html, sms };
}

// ── Words ────────────────────────────────────────────────────────────────────────────────────────────────

const T = {
  en: {
    footer: 'Boxoffice sent this message about your booking. Your tickets are also in your account.',
    hello: (name: string) => (name ? `Hello ${name},` : 'Hello,'),
    booking: 'Booking',
    what: 'What',
    when: (kind: 'event' | 'trip') => (kind === 'event' ? 'When' : 'Departs'),
    where: (kind: 'event' | 'trip') => (kind === 'event' ? 'Where' : 'Journey'),
    seats: 'Seats',
    total: 'Total paid',
    organizer: 'Organizer',
    seat: 'Seat',
    passenger: 'Passenger',
    ticketCode: 'Ticket code',
  },
  bn: {
    footer: 'আপনার বুকিং সম্পর্কে এই বার্তাটি Boxoffice পাঠিয়েছে। আপনার টিকিট আপনার অ্যাকাউন্টেও আছে।',
    hello: (name: string) => (name ? `প্রিয় ${name},` : 'প্রিয় গ্রাহক,'),
    booking: 'বুকিং',
    what: 'কী',
    when: (kind: 'event' | 'trip') => (kind === 'event' ? 'সময়' : 'ছাড়বে'),
    where: (kind: 'event' | 'trip') => (kind === 'event' ? 'স্থান' : 'যাত্রাপথ'),
    seats: 'আসন',
    total: 'মোট পরিশোধ',
    organizer: 'আয়োজক',
    seat: 'আসন',
    passenger: 'যাত্রী',
    ticketCode: 'টিকিট কোড',
  },
} as const;

function orderFacts(order: OrderFacts, language: Language, withTotal = false): [string, string][] {
  const t = T[language];
  const rows: [string, string][] = [
    [t.booking, order.orderCode],
    [t.what, order.title],
    [t.when(order.inventoryKind), `${formatTime(order.startsAt, order.timeZone, language)} (${order.timeZone})`],
    [t.where(order.inventoryKind), order.place],
    [t.seats, order.seats.join(', ')],
    [t.organizer, order.organizerName],
  ];
  if (withTotal) rows.push([t.total, formatMoney(order.total, order.currency, language)]);
  return rows;
}

// ── Messages ─────────────────────────────────────────────────────────────────────────────────────────────

/** Renders one message in one language. */
export function renderMessage(input: MessageInput, language: Language): RenderedMessage {
  switch (input.kind) {
    case 'booking_confirmed':
      return renderBookingConfirmed(input, language);
    case 'cancellation_code':
      return renderCancellationCode(input, language);
    case 'order_cancelled':
      return renderOrderCancelled(input, language);
    case 'refund_done':
      return renderRefundDone(input, language);
    case 'reminder':
      return renderReminder(input, language);
    case 'trip_delayed':
      return renderTripDelayed(input, language);
    case 'trip_disrupted':
      return renderTripDisrupted(input, language);
    case 'daily_summary':
      return renderDailySummary(input.summary, language);
  }
}

function renderBookingConfirmed(
  input: Extract<MessageInput, { kind: 'booking_confirmed' }>,
  language: Language,
): RenderedMessage {
  const { order, tickets } = input;
  const t = T[language];
  const when = formatTime(order.startsAt, order.timeZone, language);
  const en = language === 'en';
  const subject = en
    ? `Your tickets: ${order.title} — booking ${order.orderCode}`
    : `আপনার টিকিট: ${order.title} — বুকিং ${order.orderCode}`;
  const paragraphs = [
    t.hello(order.buyerName),
    en
      ? `Your booking ${order.orderCode} is confirmed. Here are your ${tickets.length === 1 ? 'ticket' : `${tickets.length} tickets`}.`
      : `আপনার বুকিং ${order.orderCode} নিশ্চিত হয়েছে। আপনার ${formatCount(tickets.length, language)}টি টিকিট নিচে দেওয়া হলো।`,
    order.inventoryKind === 'event'
      ? en
        ? 'Show each QR code at the entrance; every code lets one person in once.'
        : 'প্রবেশপথে প্রতিটি QR কোড দেখান; প্রতিটি কোডে একজন একবার প্রবেশ করতে পারবেন।'
      : en
        ? 'Show each QR code when you board; every code is for one passenger on this journey.'
        : 'ওঠার সময় প্রতিটি QR কোড দেখান; প্রতিটি কোড এই যাত্রায় একজন যাত্রীর জন্য।',
  ];
  const ticketHtml = tickets
    .map(
      (
        ticket,
      ) => `<div style="border:1px solid #e4e4e7;border-radius:8px;padding:16px;margin:0 0 12px;text-align:center">
<img src="cid:${escapeHtml(ticket.qrContentId)}" alt="${escapeHtml(`${t.ticketCode} ${ticket.code}`)}" width="200" height="200" style="display:block;margin:0 auto 8px">
<div style="font-weight:600">${escapeHtml(`${t.seat}: ${ticket.label}`)}</div>
${ticket.passengerName ? `<div>${escapeHtml(`${t.passenger}: ${ticket.passengerName}`)}</div>` : ''}
<div style="font-family:monospace;color:#52525b">${escapeHtml(`${t.ticketCode}: ${ticket.code}`)}</div>
</div>`,
    )
    .join('\n');
  const ticketText = tickets
    .map(
      (ticket) =>
        `${t.seat}: ${ticket.label}${ticket.passengerName ? ` — ${t.passenger}: ${ticket.passengerName}` : ''}\n${t.ticketCode}: ${ticket.code}`,
    )
    .join('\n\n');
  const sms = en
    ? `Booking ${order.orderCode} confirmed: ${order.title}, ${when}. ${tickets.length} ticket(s); QR codes in your email and account.`
    : `বুকিং ${order.orderCode} নিশ্চিত: ${order.title}, ${when}। ${formatCount(tickets.length, language)}টি টিকিট; QR কোড ইমেইল ও অ্যাকাউন্টে।`;
  return compose(language, subject, paragraphs, orderFacts(order, language, true), sms, ticketHtml, ticketText);
}

function renderCancellationCode(
  input: Extract<MessageInput, { kind: 'cancellation_code' }>,
  language: Language,
): RenderedMessage {
  const { order, code } = input;
  const en = language === 'en';
  const subject = en ? `Cancellation code for booking ${order.orderCode}` : `বুকিং ${order.orderCode} বাতিলের কোড`;
  const paragraphs = [
    T[language].hello(order.buyerName),
    en
      ? `Your code to confirm cancelling ${input.seatCount} seat(s) of booking ${order.orderCode}: ${code}`
      : `বুকিং ${order.orderCode}-এর ${formatCount(input.seatCount, language)}টি আসন বাতিল নিশ্চিত করার কোড: ${code}`,
    en
      ? `The code is valid for ${input.validMinutes} minutes. If you did not ask to cancel, ignore this message: nothing changes without the code.`
      : `কোডটি ${formatCount(input.validMinutes, language)} মিনিট বৈধ। আপনি বাতিল করতে না চাইলে এই বার্তাটি উপেক্ষা করুন: কোড ছাড়া কিছুই বদলাবে না।`,
  ];
  const codeHtml = `<p style="font-size:32px;letter-spacing:8px;font-family:monospace;font-weight:700;margin:0 0 16px">${escapeHtml(code)}</p>`;
  const sms = en
    ? `Boxoffice: code ${code} confirms cancelling seats of booking ${order.orderCode}. Valid ${input.validMinutes} min. Not you? Ignore it.`
    : `Boxoffice: বুকিং ${order.orderCode}-এর আসন বাতিলের কোড ${code}। ${formatCount(input.validMinutes, language)} মিনিট বৈধ।`;
  return compose(language, subject, paragraphs, orderFacts(order, language), sms, codeHtml);
}

function renderOrderCancelled(
  input: Extract<MessageInput, { kind: 'order_cancelled' }>,
  language: Language,
): RenderedMessage {
  const { order } = input;
  const en = language === 'en';
  const when = formatTime(order.startsAt, order.timeZone, language);
  const refund = formatMoney(input.refund, order.currency, language);
  const fee = formatMoney(input.fee, order.currency, language);
  const seats = input.cancelledSeats.join(', ');
  let subject: string;
  let lead: string;
  if (input.by === 'organizer') {
    const isEvent = order.inventoryKind === 'event';
    subject = en
      ? `${isEvent ? 'Event' : 'Trip'} cancelled: ${order.title}, ${when}`
      : `${isEvent ? 'অনুষ্ঠান' : 'যাত্রা'} বাতিল: ${order.title}, ${when}`;
    lead = en
      ? `${order.organizerName} has cancelled ${order.title} (${when}). Your booking ${order.orderCode} is cancelled.`
      : `${order.organizerName} ${when}-এর ${order.title} বাতিল করেছে। আপনার বুকিং ${order.orderCode} বাতিল হয়েছে।`;
  } else {
    subject = en
      ? `Cancelled: ${input.cancelledSeats.length} seat(s) of booking ${order.orderCode}`
      : `বাতিল হয়েছে: বুকিং ${order.orderCode}-এর ${formatCount(input.cancelledSeats.length, language)}টি আসন`;
    lead = en
      ? `${input.whole ? 'Your booking' : `Seats ${seats} of your booking`} ${order.orderCode} for ${order.title} ${input.whole ? 'is' : 'are'} cancelled.`
      : `${order.title}-এর জন্য আপনার বুকিং ${order.orderCode}${input.whole ? '' : `-এর আসন ${seats}`} বাতিল করা হয়েছে।`;
  }
  let money: string;
  if (!input.paid) {
    money = en
      ? 'The booking was not paid, so nothing is charged.'
      : 'বুকিংটি পরিশোধ করা হয়নি, তাই কোনো টাকা কাটা হয়নি।';
  } else if (input.refund > 0) {
    money =
      input.by === 'organizer'
        ? en
          ? `You get a full refund of ${refund}, back to the way you paid.`
          : `আপনি সম্পূর্ণ ${refund} ফেরত পাবেন, যে মাধ্যমে পরিশোধ করেছিলেন সেখানেই।`
        : en
          ? `Refund: ${refund}${input.fee > 0 ? ` (cancellation fee kept: ${fee})` : ''}, back to the way you paid.`
          : `ফেরত: ${refund}${input.fee > 0 ? ` (বাতিল ফি কাটা হয়েছে: ${fee})` : ''}, যে মাধ্যমে পরিশোধ করেছিলেন সেখানেই।`;
  } else {
    money = en ? 'No refund is due under the cancellation policy.' : 'বাতিল নীতিমালা অনুযায়ী কোনো টাকা ফেরত প্রাপ্য নয়।';
  }
  const sms = en ? `Boxoffice: ${lead} ${money}` : `Boxoffice: ${lead} ${money}`;
  return compose(
    language,
    subject,
    [T[language].hello(order.buyerName), lead, money],
    orderFacts(order, language),
    sms,
  );
}

function renderRefundDone(input: Extract<MessageInput, { kind: 'refund_done' }>, language: Language): RenderedMessage {
  const { order } = input;
  const en = language === 'en';
  const amount = formatMoney(input.amount, order.currency, language);
  const subject = en
    ? `Refund of ${amount} for booking ${order.orderCode}`
    : `বুকিং ${order.orderCode}-এর ${amount} ফেরত`;
  const why: Record<RefundCause, string> = en
    ? {
        late_payment: `Why: ${input.reason}. No tickets were issued for this payment, so all of it comes back to you.`,
        duplicate:
          'Why: this booking had already been paid by another payment, so this second payment comes back to you in full.',
        cancellation: 'This is the refund for the seats that were cancelled.',
      }
    : {
        late_payment:
          'কারণ: পেমেন্টটি এই বুকিংয়ে ব্যবহার করা যায়নি (আসনের হোল্ড শেষ হয়ে গিয়েছিল এবং আসনগুলো বিক্রি হয়ে গেছে, অথবা বুকিং বাতিল হয়েছে)। এই পেমেন্টে কোনো টিকিট দেওয়া হয়নি, তাই পুরো টাকা ফেরত দেওয়া হয়েছে।',
        duplicate:
          'কারণ: এই বুকিং আগেই অন্য একটি পেমেন্টে পরিশোধ করা হয়েছিল, তাই দ্বিতীয় পেমেন্টের পুরো টাকা ফেরত দেওয়া হয়েছে।',
        cancellation: 'এটি বাতিল করা আসনগুলোর ফেরত।',
      };
  const lead = en
    ? `We have refunded ${amount} to the way you paid. Depending on your bank it may take a few days to show.`
    : `আমরা ${amount} আপনার পরিশোধের মাধ্যমে ফেরত পাঠিয়েছি। ব্যাংকভেদে তা দেখাতে কয়েক দিন লাগতে পারে।`;
  const sms = en
    ? `Boxoffice: ${amount} refunded for booking ${order.orderCode}.`
    : `Boxoffice: বুকিং ${order.orderCode}-এর ${amount} ফেরত দেওয়া হয়েছে।`;
  return compose(
    language,
    subject,
    [T[language].hello(order.buyerName), lead, why[input.cause]],
    orderFacts(order, language),
    sms,
  );
}

function renderReminder(input: Extract<MessageInput, { kind: 'reminder' }>, language: Language): RenderedMessage {
  const { order } = input;
  const en = language === 'en';
  const when = formatTime(order.startsAt, order.timeZone, language);
  const isEvent = order.inventoryKind === 'event';
  const subject = en ? `Tomorrow: ${order.title}, ${when}` : `আগামীকাল: ${order.title}, ${when}`;
  const lead = en
    ? isEvent
      ? `A reminder: ${order.title} starts at ${when} at ${order.place}.`
      : `A reminder: your trip ${order.title} departs from ${order.fromStop ?? order.place} at ${when}.`
    : isEvent
      ? `মনে করিয়ে দিচ্ছি: ${order.title} শুরু হবে ${when}, ${order.place}-এ।`
      : `মনে করিয়ে দিচ্ছি: আপনার যাত্রা ${order.title} ${order.fromStop ?? order.place} থেকে ছাড়বে ${when}।`;
  const tip = en
    ? 'Have your QR codes ready: they are in your booking confirmation and in your account.'
    : 'QR কোড প্রস্তুত রাখুন: বুকিং নিশ্চিতকরণ বার্তায় এবং আপনার অ্যাকাউন্টে পাবেন।';
  const sms = en
    ? `Boxoffice reminder: ${order.title}, ${when}. Booking ${order.orderCode}, seats ${order.seats.join(', ')}.`
    : `Boxoffice: ${order.title}, ${when}। বুকিং ${order.orderCode}, আসন ${order.seats.join(', ')}।`;
  return compose(language, subject, [T[language].hello(order.buyerName), lead, tip], orderFacts(order, language), sms);
}

function renderTripDelayed(
  input: Extract<MessageInput, { kind: 'trip_delayed' }>,
  language: Language,
): RenderedMessage {
  const { order } = input;
  const en = language === 'en';
  const expected = formatTime(input.expectedAt, order.timeZone, language);
  const subject = en
    ? `Delay: ${order.title} is running about ${input.delayMinutes} min late`
    : `বিলম্ব: ${order.title} প্রায় ${formatCount(input.delayMinutes, language)} মিনিট দেরিতে চলছে`;
  const lead = en
    ? `Your trip ${order.title} (booking ${order.orderCode}) is running about ${input.delayMinutes} minutes late.`
    : `আপনার যাত্রা ${order.title} (বুকিং ${order.orderCode}) প্রায় ${formatCount(input.delayMinutes, language)} মিনিট দেরিতে চলছে।`;
  const at = en
    ? input.affects === 'departure'
      ? `Expected departure from ${input.stopName}: ${expected}.`
      : `Expected arrival at ${input.stopName}: ${expected}.`
    : input.affects === 'departure'
      ? `${input.stopName} থেকে ছাড়ার সম্ভাব্য সময়: ${expected}।`
      : `${input.stopName}-এ পৌঁছানোর সম্ভাব্য সময়: ${expected}।`;
  const paragraphs = [T[language].hello(order.buyerName), lead, at];
  if (input.reason) paragraphs.push(en ? `Reason: ${input.reason}` : `কারণ: ${input.reason}`);
  const sms = `Boxoffice: ${lead} ${at}`;
  return compose(language, subject, paragraphs, orderFacts(order, language), sms);
}

function renderTripDisrupted(
  input: Extract<MessageInput, { kind: 'trip_disrupted' }>,
  language: Language,
): RenderedMessage {
  const { order } = input;
  const en = language === 'en';
  const when = formatTime(order.startsAt, order.timeZone, language);
  const subject = en ? `Service change: ${order.title}, ${when}` : `সেবা পরিবর্তন: ${order.title}, ${when}`;
  const lead = en
    ? `The operator reports that your trip ${order.title} on ${when} (booking ${order.orderCode}) is cancelled${input.wholeTrip ? '' : ' for part of your journey'}.`
    : `পরিচালনাকারী জানিয়েছে যে ${when}-এর ${order.title} যাত্রাটি (বুকিং ${order.orderCode}) ${input.wholeTrip ? '' : 'আপনার যাত্রাপথের একাংশে '}বাতিল হয়েছে।`;
  const next = en
    ? `${order.organizerName} will contact you about a refund or another trip; you can also cancel your booking in your account.`
    : `ফেরত বা বিকল্প যাত্রার বিষয়ে ${order.organizerName} আপনার সাথে যোগাযোগ করবে; আপনি নিজের অ্যাকাউন্ট থেকেও বুকিং বাতিল করতে পারেন।`;
  const paragraphs = [T[language].hello(order.buyerName), lead, next];
  if (input.reason) paragraphs.push(en ? `Reason: ${input.reason}` : `কারণ: ${input.reason}`);
  return compose(language, subject, paragraphs, orderFacts(order, language), `Boxoffice: ${lead}`);
}

function renderDailySummary(summary: SummaryFacts, language: Language): RenderedMessage {
  const en = language === 'en';
  const money = (amount: number) => formatMoney(amount, summary.currency, language);
  const subject = en
    ? `${summary.organizerName}: sales on ${summary.date}`
    : `${summary.organizerName}: ${summary.date}-এর বিক্রি`;
  const facts: [string, string][] = en
    ? [
        ['Orders confirmed', formatCount(summary.ordersConfirmed, language)],
        ['Tickets sold', formatCount(summary.ticketsSold, language)],
        ['Sales', money(summary.gross)],
        ['Refunded', money(summary.refunded)],
        ['Net', money(summary.gross - summary.refunded)],
      ]
    : [
        ['নিশ্চিত অর্ডার', formatCount(summary.ordersConfirmed, language)],
        ['বিক্রিত টিকিট', formatCount(summary.ticketsSold, language)],
        ['বিক্রি', money(summary.gross)],
        ['ফেরত', money(summary.refunded)],
        ['নিট', money(summary.gross - summary.refunded)],
      ];
  const topRows = summary.top.map(
    (item) =>
      `${item.title} (${formatTime(item.startsAt, summary.timeZone, language)}): ${formatCount(item.tickets, language)} · ${money(item.gross)}`,
  );
  const topTitle = en ? 'Best sellers' : 'সর্বাধিক বিক্রি';
  const topHtml =
    topRows.length > 0
      ? `<h2 style="font-size:16px;margin:16px 0 8px">${escapeHtml(topTitle)}</h2><ul>${topRows.map((row) => `<li>${escapeHtml(row)}</li>`).join('')}</ul>`
      : '';
  const topText = topRows.length > 0 ? `${topTitle}:\n${topRows.map((row) => `- ${row}`).join('\n')}` : '';
  const paragraphs = [
    T[language].hello(summary.recipientName),
    en
      ? `Here is what ${summary.organizerName} sold on ${summary.date} (${summary.timeZone}).`
      : `${summary.date} (${summary.timeZone}) তারিখে ${summary.organizerName}-এর বিক্রির হিসাব।`,
  ];
  const sms = en
    ? `Boxoffice ${summary.date}: ${summary.ordersConfirmed} orders, ${summary.ticketsSold} tickets, ${money(summary.gross)}.`
    : `Boxoffice ${summary.date}: ${formatCount(summary.ordersConfirmed, language)} অর্ডার, ${formatCount(summary.ticketsSold, language)} টিকিট, ${money(summary.gross)}।`;
  const footer = en
    ? `Boxoffice sends this summary every day to the staff of ${summary.organizerName}.`
    : `Boxoffice প্রতিদিন ${summary.organizerName}-এর কর্মীদের এই সারসংক্ষেপ পাঠায়।`;
  return compose(language, subject, paragraphs, facts, sms, topHtml, topText, footer);
}
