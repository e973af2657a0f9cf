import { randomBytes } from 'node:crypto';

/**
 * Codes people read or scan. Upper-case Crockford base32 (no I, L, O, U) reads aloud without mix-ups and
 * fits the QR alphanumeric mode, which makes denser codes than bytes.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 5 of every byte's 8 bits: each character is uniform over the 32 symbols.
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/** A booking reference a buyer reads out at a counter: BX + 8 characters (40 bits; unique in the table). */
export function newOrderCode(): string {
  return `BX${randomBase32(8)}`;
}

/** A ticket code for the QR image: 26 characters = 130 random bits, so it cannot be guessed. */
export function newTicketCode(): string {
  return randomBase32(26);
}

export const TICKET_CODE_PATTERN = '^[0-9A-HJKMNP-TV-Z]{26}$';
