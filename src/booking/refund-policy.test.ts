import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REFUND_POLICY,
  findApplicableRule,
  percentOf,
  quoteRefund,
  validateRefundRules,
  type RefundPolicyTerms,
} from './refund-policy.js';

/** The example: > 48 h flat fee; 48–12 h 25 %; 12–4 h 50 %; under 4 h nothing; minimum fee 2,000. */
const tiered: RefundPolicyTerms = {
  rules: [
    { minHoursBefore: 48, feePercent: 0, feeFlat: 5_000 },
    { minHoursBefore: 12, feePercent: 25, feeFlat: 0 },
    { minHoursBefore: 4, feePercent: 50, feeFlat: 0 },
  ],
  minFee: 2_000,
};

describe('quoteRefund', () => {
  it('picks the tier by hours before start', () => {
    const lines = [{ total: 100_000 }, { total: 40_000 }];
    expect(quoteRefund(tiered, { lines, hoursBefore: 100 }).lines).toEqual([
      { total: 100_000, fee: 5_000, refund: 95_000 },
      { total: 40_000, fee: 5_000, refund: 35_000 },
    ]);
    expect(quoteRefund(tiered, { lines, hoursBefore: 48 }).fee).toBe(10_000);
    expect(quoteRefund(tiered, { lines, hoursBefore: 47.99 }).lines.map((l) => l.fee)).toEqual([25_000, 10_000]);
    expect(quoteRefund(tiered, { lines, hoursBefore: 12 }).refund).toBe(75_000 + 30_000);
    expect(quoteRefund(tiered, { lines, hoursBefore: 6 }).lines.map((l) => l.refund)).toEqual([50_000, 20_000]);
    const late = quoteRefund(tiered, { lines, hoursBefore: 3.5 });
    expect(late).toMatchObject({ refundable: false, rule: null, refund: 0, fee: 140_000 });
  });

  it('applies the minimum fee per line and never takes more than the line', () => {
    const quote = quoteRefund(tiered, { lines: [{ total: 4_000 }, { total: 1_500 }, { total: 0 }], hoursBefore: 24 });
    // 25 % of 4,000 = 1,000 < minimum 2,000; 1,500 is all of the line; a free line costs nothing.
    expect(quote.lines).toEqual([
      { total: 4_000, fee: 2_000, refund: 2_000 },
      { total: 1_500, fee: 1_500, refund: 0 },
      { total: 0, fee: 0, refund: 0 },
    ]);
  });

  it('adds the flat fee to the percentage by default, or takes the greater with feeMode max', () => {
    const line = { total: 10_000, category: 'SL' };
    const sum: RefundPolicyTerms = { rules: [{ minHoursBefore: 0, feePercent: 10, feeFlat: 300 }], minFee: 0 };
    expect(quoteRefund(sum, { lines: [line], hoursBefore: 1 }).fee).toBe(1_300);
    const max: RefundPolicyTerms = {
      rules: [{ minHoursBefore: 0, feePercent: 10, feeFlat: 300, feeMode: 'max', feeFlatByCategory: { SL: 1_200 } }],
      minFee: 0,
    };
    expect(quoteRefund(max, { lines: [line], hoursBefore: 1 }).fee).toBe(1_200);
    expect(quoteRefund(max, { lines: [{ total: 10_000, category: '2S' }], hoursBefore: 1 }).fee).toBe(1_000);
  });

  it('rounds percentages half up with hundredths of a percent (pretix: 10.00 at 9.9 % is 0.99)', () => {
    expect(percentOf(1_000, 10)).toBe(100);
    expect(percentOf(1_000, 9.9)).toBe(99);
    expect(percentOf(1_005, 10)).toBe(101); // 100.5 → 101
    expect(percentOf(1_004, 10)).toBe(100);
    expect(percentOf(333, 33.33)).toBe(111); // 110.99 → 111
  });

  it('supports thresholds after departure (negative hours)', () => {
    const rule = findApplicableRule(
      [
        { minHoursBefore: 6, feePercent: 25, feeFlat: 0 },
        { minHoursBefore: -2, feePercent: 50, feeFlat: 0 },
      ],
      -1,
    );
    expect(rule?.feePercent).toBe(50);
  });

  it('defaults to a full refund at least 48 hours before and none after', () => {
    expect(quoteRefund(DEFAULT_REFUND_POLICY, { lines: [{ total: 5_000 }], hoursBefore: 49 })).toMatchObject({
      refundable: true,
      refund: 5_000,
      fee: 0,
    });
    expect(quoteRefund(DEFAULT_REFUND_POLICY, { lines: [{ total: 5_000 }], hoursBefore: 47 })).toMatchObject({
      refundable: false,
      refund: 0,
    });
  });

  it('treats an empty rule table as non-refundable (Tatkal)', () => {
    expect(quoteRefund({ rules: [], minFee: 0 }, { lines: [{ total: 5_000 }], hoursBefore: 500 }).refundable).toBe(
      false,
    );
  });
});

describe('validateRefundRules', () => {
  it('accepts a descending table', () => {
    expect(validateRefundRules(tiered.rules)).toEqual([]);
  });
  it('refuses unsorted or duplicate thresholds, bad percentages and fractional flat fees', () => {
    expect(
      validateRefundRules([
        { minHoursBefore: 12, feePercent: 10, feeFlat: 0 },
        { minHoursBefore: 12, feePercent: 20, feeFlat: 0 },
        { minHoursBefore: 24, feePercent: 101, feeFlat: 1.5 },
        { minHoursBefore: 1, feePercent: 12.345, feeFlat: 0, feeFlatByCategory: { A: -1 } },
      ]),
    ).toHaveLength(6);
  });
});
