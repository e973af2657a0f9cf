import { describe, expect, it } from 'vitest';
import { quoteFares, type Fare } from './fare-quote.js';

const fares: Fare[] = [
  { fromIndex: 0, toIndex: 2, seatClass: 'AC', amount: 1500 },
  { fromIndex: 0, toIndex: 1, seatClass: 'AC', amount: 1000 },
  { fromIndex: 1, toIndex: 2, seatClass: 'AC', amount: 900 },
  { fromIndex: 2, toIndex: 3, seatClass: 'AC', amount: 700 },
  { fromIndex: 0, toIndex: 1, seatClass: 'NON_AC', amount: 600 },
  { fromIndex: 2, toIndex: 3, seatClass: 'NON_AC', amount: 400 },
];

describe('quoteFares', () => {
  it('prefers the origin–destination fare over the sum of the legs', () => {
    expect(quoteFares(fares, { from: 0, to: 2 }, ['AC'])).toEqual(new Map([['AC', 1500]]));
  });

  it('sums the per-leg fares when no origin–destination fare exists', () => {
    expect(quoteFares(fares, { from: 0, to: 3 }, ['AC'])).toEqual(new Map([['AC', 1000 + 900 + 700]]));
    expect(quoteFares(fares, { from: 1, to: 3 }, ['AC'])).toEqual(new Map([['AC', 900 + 700]]));
  });

  it('leaves out a class when a leg of the segment has no fare', () => {
    expect(quoteFares(fares, { from: 0, to: 3 }, ['AC', 'NON_AC'])).toEqual(new Map([['AC', 2600]]));
    expect(quoteFares(fares, { from: 2, to: 3 }, ['AC', 'NON_AC'])).toEqual(
      new Map([
        ['AC', 700],
        ['NON_AC', 400],
      ]),
    );
  });

  it('ignores fares of classes the vehicle does not have and multi-leg fares inside the segment', () => {
    const withInner = [...fares, { fromIndex: 1, toIndex: 3, seatClass: 'AC', amount: 1 }];
    expect(quoteFares(withInner, { from: 0, to: 3 }, ['AC'])).toEqual(new Map([['AC', 2600]]));
    expect(quoteFares(fares, { from: 0, to: 1 }, ['SLEEPER'])).toEqual(new Map());
  });
});
