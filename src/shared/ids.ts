import { randomBytes } from 'node:crypto';

/** Readable prefixes make ids self-describing in logs and URLs (evt_…, trp_…, hold_…). */
export const ID_PREFIX = {
  organizer: 'org',
  venue: 'ven',
  layout: 'lay',
  section: 'sec',
  seat: 'st',
  area: 'ga',
  event: 'evt',
  stop: 'stp',
  route: 'rte',
  trip: 'trp',
  fare: 'far',
  hold: 'hold',
  user: 'usr',
  refreshToken: 'rtk',
  order: 'ord',
  orderLine: 'oln',
  payment: 'pay',
  refund: 'rfd',
  ticket: 'tkt',
  coupon: 'cpn',
  redemption: 'red',
  refundPolicy: 'rpl',
  cancellationCode: 'ccd',
  notification: 'ntf',
  mailboxMessage: 'msg',
  webhookEndpoint: 'whk',
  webhookDelivery: 'whd',
  domainEvent: 'evn',
  gtfsFeed: 'gtf',
  gtfsImport: 'gti',
} as const;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/** A new opaque id, e.g. `evt_3k9x2m7q1c8d`. 12 chars of base32 = 60 bits: plenty for catalog rows. */
export function newId(kind: keyof typeof ID_PREFIX): string {
  return `${ID_PREFIX[kind]}_${randomToken(12)}`;
}

/** A hold token is a bearer secret: 26 chars of base32 = 130 bits, never guessable. */
export function newHoldToken(): string {
  return `${ID_PREFIX.hold}_${randomToken(26)}`;
}
