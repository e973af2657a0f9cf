/**
 * Order arithmetic, all in integer minor units. Each line carries its price, the organizer's booking fee
 * per seat, its share of a coupon discount, and tax on what remains; the order's totals are the sums of
 * its lines, so a partial cancellation can refund a line exactly.
 */
export interface LineCharges {
  price: number;
  fee: number;
  discount: number;
  tax: number;
  total: number;
}

export interface OrderTotals {
  subtotal: number;
  bookingFee: number;
  discount: number;
  tax: number;
  total: number;
}

/** Tax in basis points of an amount, rounded half up (0.5 minor units → 1). */
export function taxOf(taxable: number, taxRateBp: number): number {
  return Math.floor((taxable * taxRateBp + 5000) / 10000);
}

/**
 * Prices lines: a line's discount never exceeds its price plus fee (so nothing goes negative), and tax is
 * `taxRateBp` of price + fee − discount, rounded half up per line.
 */
export function priceLines(
  lines: readonly { price: number }[],
  terms: { feePerSeat: number; taxRateBp: number; lineDiscounts?: readonly number[] },
): LineCharges[] {
  return lines.map((line, index) => {
    const fee = terms.feePerSeat;
    const discount = Math.min(Math.max(terms.lineDiscounts?.[index] ?? 0, 0), line.price + fee);
    const tax = taxOf(line.price + fee - discount, terms.taxRateBp);
    return { price: line.price, fee, discount, tax, total: line.price + fee - discount + tax };
  });
}

export function sumLines(lines: readonly LineCharges[]): OrderTotals {
  const totals: OrderTotals = { subtotal: 0, bookingFee: 0, discount: 0, tax: 0, total: 0 };
  for (const line of lines) {
    totals.subtotal += line.price;
    totals.bookingFee += line.fee;
    totals.discount += line.discount;
    totals.tax += line.tax;
    totals.total += line.total;
  }
  return totals;
}
