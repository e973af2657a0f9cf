import { describe, expect, it } from 'vitest';
import { computeLineDiscounts } from './coupon-redemption.js';

const line = (price: number, inScope = true) => ({ price, inScope });

describe('computeLineDiscounts', () => {
  it('rounds a percentage half up per line', () => {
    // 15 % of 1010 = 151.5 → 152; of 1003 = 150.45 → 150; of 10 = 1.5 → 2
    expect(computeLineDiscounts({ kind: 'percent', value: 15 }, [line(1010), line(1003), line(10)])).toEqual([
      152, 150, 2,
    ]);
  });

  it('gives out-of-scope lines no discount', () => {
    expect(computeLineDiscounts({ kind: 'percent', value: 50 }, [line(1000, false), line(800)])).toEqual([0, 400]);
  });

  it('spreads a fixed amount over in-scope lines in proportion to price and adds up exactly', () => {
    const discounts = computeLineDiscounts({ kind: 'fixed', value: 1000 }, [line(3000), line(3000), line(3000)]);
    expect(discounts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(discounts).toEqual([334, 333, 333]);
    expect(computeLineDiscounts({ kind: 'fixed', value: 600 }, [line(1000), line(500, false), line(2000)])).toEqual([
      200, 0, 400,
    ]);
  });

  it('never gives more than the in-scope lines cost', () => {
    expect(computeLineDiscounts({ kind: 'fixed', value: 10_000 }, [line(700), line(900, false), line(300)])).toEqual([
      700, 0, 300,
    ]);
    expect(computeLineDiscounts({ kind: 'percent', value: 100 }, [line(1), line(999)])).toEqual([1, 999]);
  });

  it('handles free lines', () => {
    expect(computeLineDiscounts({ kind: 'fixed', value: 500 }, [line(0), line(0)])).toEqual([0, 0]);
    expect(computeLineDiscounts({ kind: 'fixed', value: 5 }, [line(0), line(1), line(9)])).toEqual([0, 1, 4]);
  });
});
