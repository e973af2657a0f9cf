import { describe, expect, it } from 'vitest';
import { slugify, titleKey } from './slug.js';

describe('slugify', () => {
  it('lower-cases, drops accents and joins words with single dashes', () => {
    expect(slugify('Café Müller — Live!')).toBe('cafe-muller-live');
    expect(slugify('  Padma   Paribahan  ')).toBe('padma-paribahan');
  });

  it('is empty when no Latin letter or digit remains', () => {
    expect(slugify('পদ্মা')).toBe('');
  });

  it('never ends with a dash after cutting to the maximum length', () => {
    expect(slugify('abc def', 4)).toBe('abc');
  });
});

describe('titleKey', () => {
  it('is the slug of a Latin title', () => {
    expect(titleKey('Monsoon Heist')).toBe('monsoon-heist');
  });

  it('gives a stable hash key for a title without Latin letters', () => {
    expect(titleKey('পদ্মা নদীর মাঝি')).toMatch(/^t-[0-9a-f]{12}$/);
    expect(titleKey('পদ্মা নদীর মাঝি')).toBe(titleKey(' পদ্মা নদীর মাঝি '));
    expect(titleKey('পদ্মা নদীর মাঝি')).not.toBe(titleKey('মাঝি'));
  });
});
