import { createHash } from 'node:crypto';

/** A URL-friendly slug of Latin letters and digits: "Café Müller!" → "cafe-muller"; empty if none remain. */
export function slugify(text: string, maxLength = 60): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // the accents NFKD split off
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
}

/**
 * The slug of a title, or — for a title with no Latin letters or digits (e.g. in Bangla) — a short hash of
 * it, so the same title always gives the same key.
 */
export function titleKey(title: string): string {
  return slugify(title) || `t-${createHash('sha256').update(title.trim().toLowerCase()).digest('hex').slice(0, 12)}`;
}
