import { describe, expect, it } from 'vitest';
import { priceLines, sumLines, taxOf } from './order-pricing.js';

describe('order pricing', () => {
  it('rounds tax half up per line', () => {
    expect(taxOf(1000, 1250)).toBe(125);
    expect(taxOf(1004, 1250)).toBe(126); // 125.5 → 126
    expect(taxOf(1003, 1250)).toBe(125); // 125.375 → 125
    expect(taxOf(10, 500)).toBe(1); // 0.5 → 1
    expect(taxOf(9, 500)).toBe(0); // 0.45 → 0
    expect(taxOf(0, 1500)).toBe(0);
  });

  it('taxes price plus fee minus discount, and totals are the sums of the lines', () => {
    const lines = priceLines([{ price: 50000 }, { price: 30001 }], {
      feePerSeat: 2000,
      taxRateBp: 750,
      lineDiscounts: [5000, 0],
    });
    expect(lines).toEqual([
      { price: 50000, fee: 2000, discount: 5000, tax: 3525, total: 50525 },
      { price: 30001, fee: 2000, discount: 0, tax: 2400, total: 34401 }, // 2400.075 → 2400
    ]);
    expect(sumLines(lines)).toEqual({ subtotal: 80001, bookingFee: 4000, discount: 5000, tax: 5925, total: 84926 });
  });

  it('never lets a discount push a line below zero', () => {
    const [line] = priceLines([{ price: 100 }], { feePerSeat: 10, taxRateBp: 1000, lineDiscounts: [500] });
    expect(line).toEqual({ price: 100, fee: 10, discount: 110, tax: 0, total: 0 });
  });
});
