import type { RefundPolicyRule } from '../db/schema.js';

/**
 * The refund-policy engine: pure arithmetic over a table of rules by time before start or departure.
 *
 * - The rule that applies is the first, in descending `minHoursBefore`, whose threshold the time left
 *   reaches (`hoursBefore >= minHoursBefore`). Thresholds may be negative ("up to 2 h after departure").
 * - When no rule applies (too late), nothing is refunded and self-service cancellation is refused — as in
 *   pretix, where a cancellation with no possible rule is not offered.
 * - A line's fee is `feePercent` of its total (rounded half up to a minor unit; hundredths of a percent
 *   allowed, so 9.9 % of 10.00 is 0.99) combined with a flat fee: added (`feeMode: 'sum'`, the default,
 *   pretix's "additional" fee) or as a minimum (`'max'`, Indian Railways' "25 % of fare, at least the
 *   class's flat charge"). `feeFlatByCategory` gives the flat fee per seat category / fare class.
 *   The policy's `minFee` then applies per line, and the fee never exceeds the line.
 * - With no policy at all, DEFAULT_REFUND_POLICY: full refund at least 48 h before, nothing after.
 */
export interface RefundRule extends RefundPolicyRule {
  feeMode?: 'sum' | 'max';
  feeFlatByCategory?: Record<string, number>;
}

export interface RefundPolicyTerms {
  rules: readonly RefundRule[];
  /** Smallest fee per cancelled line, in minor units. */
  minFee: number;
}

export const DEFAULT_REFUND_POLICY: RefundPolicyTerms = Object.freeze({
  rules: Object.freeze([Object.freeze({ minHoursBefore: 48, feePercent: 0, feeFlat: 0 })]),
  minFee: 0,
});

export interface RefundLineInput {
  /** What the buyer paid for the line (minor units) and has not had back yet. */
  total: number;
  /** Seat category or fare class, for per-category flat fees. */
  category?: string;
}

export interface RefundLineQuote {
  total: number;
  fee: number;
  refund: number;
}

export interface RefundQuote {
  /** False when no rule applies: too late to cancel for a refund. */
  refundable: boolean;
  rule: RefundRule | null;
  lines: RefundLineQuote[];
  fee: number;
  refund: number;
}

/** The rule that applies with this much time left, or null when it is too late. */
export function findApplicableRule(rules: readonly RefundRule[], hoursBefore: number): RefundRule | null {
  let best: RefundRule | null = null;
  for (const rule of rules) {
    if (hoursBefore >= rule.minHoursBefore && (best === null || rule.minHoursBefore > best.minHoursBefore)) best = rule;
  }
  return best;
}

/** feePercent of an amount, rounded half up; feePercent in hundredths of a percent at most. */
export function percentOf(amount: number, percent: number): number {
  const basisPoints = Math.round(percent * 100);
  return Math.floor((amount * basisPoints + 5000) / 10_000);
}

/** The fee one rule takes from one line, before the policy minimum. */
export function ruleFee(rule: RefundRule, line: RefundLineInput): number {
  const flat = (line.category !== undefined ? rule.feeFlatByCategory?.[line.category] : undefined) ?? rule.feeFlat;
  const percent = percentOf(line.total, rule.feePercent);
  return rule.feeMode === 'max' ? Math.max(percent, flat) : percent + flat;
}

/** What cancelling these lines with `hoursBefore` hours left would refund, per line and in total. */
export function quoteRefund(
  policy: RefundPolicyTerms,
  request: { lines: readonly RefundLineInput[]; hoursBefore: number },
): RefundQuote {
  const rule = findApplicableRule(policy.rules, request.hoursBefore);
  const lines = request.lines.map((line): RefundLineQuote => {
    if (rule === null) return { total: line.total, fee: line.total, refund: 0 };
    const fee = Math.min(line.total, Math.max(ruleFee(rule, line), policy.minFee));
    return { total: line.total, fee, refund: line.total - fee };
  });
  return {
    refundable: rule !== null,
    rule,
    lines,
    fee: lines.reduce((sum, line) => sum + line.fee, 0),
    refund: lines.reduce((sum, line) => sum + line.refund, 0),
  };
}

/** Problems with a rule table, for the admin API (empty when valid). */
export function validateRefundRules(rules: readonly RefundRule[]): string[] {
  const problems: string[] = [];
  rules.forEach((rule, index) => {
    if (index > 0 && rule.minHoursBefore >= rules[index - 1]!.minHoursBefore) {
      problems.push(`rules[${index}].minHoursBefore must be less than the rule before it (descending, unique)`);
    }
    if (!(rule.feePercent >= 0 && rule.feePercent <= 100)) problems.push(`rules[${index}].feePercent must be 0..100`);
    if (Math.abs(rule.feePercent * 100 - Math.round(rule.feePercent * 100)) > 1e-6) {
      problems.push(`rules[${index}].feePercent takes at most two decimals`);
    }
    if (!Number.isInteger(rule.feeFlat) || rule.feeFlat < 0) {
      problems.push(`rules[${index}].feeFlat must be a whole amount ≥ 0 in minor units`);
    }
    for (const [category, flat] of Object.entries(rule.feeFlatByCategory ?? {})) {
      if (!Number.isInteger(flat) || flat < 0) {
        problems.push(`rules[${index}].feeFlatByCategory.${category} must be a whole amount ≥ 0 in minor units`);
      }
    }
  });
  return problems;
}
