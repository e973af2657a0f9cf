import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  quoteRefund,
  validateRefundRules,
  type RefundPolicyTerms,
  type RefundRule,
} from '../../src/booking/refund-policy.js';

/**
 * Real refund-rule tables (../shared/data/policies, transcribed from public sources) turned into refund
 * policies: proves the engine expresses them. The folder is not part of the repository; without it these
 * tests are skipped with a message.
 */
const policiesDir = path.resolve('../shared/data/policies');
const haveData = existsSync(policiesDir);
if (!haveData) console.warn(`refund-policy tables: skipped, ${policiesDir} is absent (shared data folder not present)`);

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const columns = header!.split(',');
  return rows.map((row) => {
    // Fields here never contain quotes; commas only appear in the trailing notes column.
    const cells = row.split(',');
    const record: Record<string, string> = {};
    columns.forEach((column, i) => {
      record[column] = i === columns.length - 1 ? cells.slice(i).join(',') : (cells[i] ?? '');
    });
    return record;
  });
}

/** Hours before departure from which a window applies ("more than 48h", "up to 12h before", "up to 2h after"). */
function windowStartHours(window: string): number | null {
  const more = /more than (\d+)h before/.exec(window);
  if (more) return Number(more[1]);
  const upToMinutes = /up to (\d+) minutes before/.exec(window);
  if (upToMinutes) return Number(upToMinutes[1]) / 60;
  const upToBefore = /up to (\d+)h before/.exec(window);
  if (upToBefore) return Number(upToBefore[1]);
  const atLeast = /at least (\d+)h before/.exec(window);
  if (atLeast) return Number(atLeast[1]);
  const upToAfter = /up to (\d+)h after/.exec(window);
  if (upToAfter) return -Number(upToAfter[1]);
  return null;
}

/** Class codes of a class cell: "3A/CC/3E (AC 3-tier / …)" → ["3A", "CC", "3E"]. */
function classCodes(cell: string): string[] {
  return cell
    .replace(/\(.*\)/, '')
    .trim()
    .split('/')
    .map((code) => code.trim());
}

const INR = 100; // minor units (paise) per rupee

/** The CONFIRMED-ticket rules of an Indian Railways table as one policy with per-class flat charges. */
function indianRailwaysConfirmedPolicy(file: string): RefundPolicyTerms {
  const rows = parseCsv(readFileSync(path.join(policiesDir, file), 'utf8')).filter(
    (r) => r.ticket_status === 'CONFIRMED',
  );
  const flatByClass: Record<string, number> = {};
  for (const row of rows.filter((r) => r.charge_rule === 'flat')) {
    for (const code of classCodes(row.class!)) flatByClass[code] = Number(row.flat_min_charge_inr) * INR;
  }
  const rules: RefundRule[] = [];
  for (const row of rows) {
    if (/no refund/.test(row.charge_rule!)) continue; // no rule for that window: not refundable
    const start = windowStartHours(row.window!);
    if (start === null) throw new Error(`cannot read the window of ${JSON.stringify(row)}`);
    if (rules.some((rule) => rule.minHoursBefore === start)) continue; // one row per class, one rule per window
    const percent = /(\d+)% of fare/.exec(row.charge_rule!);
    rules.push({
      minHoursBefore: start,
      feePercent: percent ? Number(percent[1]) : 0,
      feeFlat: 0,
      feeMode: 'max',
      feeFlatByCategory: flatByClass,
    });
  }
  rules.sort((a, b) => b.minHoursBefore - a.minHoursBefore);
  return { rules, minFee: 0 };
}

/** RAC / waitlisted tickets: full fare minus a clerkage charge, until a cut-off. */
function indianRailwaysClerkagePolicy(file: string, classMatch: RegExp): RefundPolicyTerms {
  const row = parseCsv(readFileSync(path.join(policiesDir, file), 'utf8')).find(
    (r) => /RAC/.test(r.ticket_status!) && classMatch.test(r.class!),
  )!;
  return {
    rules: [
      { minHoursBefore: windowStartHours(row.window!)!, feePercent: 0, feeFlat: Number(row.flat_min_charge_inr) * INR },
    ],
    minFee: 0,
  };
}

describe.skipIf(!haveData)('refund policies from real rule tables', () => {
  describe('Indian Railways, 2015 rules (confirmed tickets)', () => {
    const policy = haveData
      ? indianRailwaysConfirmedPolicy('indian-railways-cancellation-2015.csv')
      : { rules: [], minFee: 0 };
    const sleeper = (fare: number) => ({ total: fare * INR, category: 'SL' });
    const acFirst = (fare: number) => ({ total: fare * INR, category: '1A' });
    const chairCar = (fare: number) => ({ total: fare * INR, category: 'CC' });

    it('reads as a valid descending rule table', () => {
      expect(policy.rules.map((r) => [r.minHoursBefore, r.feePercent])).toEqual([
        [48, 0],
        [12, 25],
        [4, 50],
      ]);
      expect(validateRefundRules(policy.rules)).toEqual([]);
    });

    it('charges the flat clerkage per class more than 48 h before departure', () => {
      const quote = quoteRefund(policy, { lines: [sleeper(800), acFirst(4_000), chairCar(900)], hoursBefore: 72 });
      expect(quote.lines.map((l) => l.fee / INR)).toEqual([120, 240, 180]);
      expect(quote.refund / INR).toBe(800 - 120 + 4_000 - 240 + 900 - 180);
    });

    it('charges 25 % of the fare, at least the class flat charge, between 48 h and 12 h', () => {
      const quote = quoteRefund(policy, { lines: [sleeper(800), sleeper(400), acFirst(4_000)], hoursBefore: 24 });
      // 25 % of 800 = 200 ≥ 120; 25 % of 400 = 100 < 120 → 120; 25 % of 4,000 = 1,000.
      expect(quote.lines.map((l) => l.fee / INR)).toEqual([200, 120, 1_000]);
    });

    it('charges 50 % between 12 h and 4 h, and refunds nothing after', () => {
      expect(quoteRefund(policy, { lines: [sleeper(800)], hoursBefore: 6 }).lines[0]).toEqual({
        total: 80_000,
        fee: 40_000,
        refund: 40_000,
      });
      expect(quoteRefund(policy, { lines: [sleeper(200)], hoursBefore: 5 }).lines[0]!.fee / INR).toBe(120);
      expect(quoteRefund(policy, { lines: [sleeper(800)], hoursBefore: 3.9 })).toMatchObject({
        refundable: false,
        refund: 0,
      });
    });

    it('keeps the 48 h and 12 h boundaries in the earlier tier ("at least" hours before)', () => {
      expect(quoteRefund(policy, { lines: [sleeper(800)], hoursBefore: 48 }).fee / INR).toBe(120);
      expect(quoteRefund(policy, { lines: [sleeper(800)], hoursBefore: 12 }).fee / INR).toBe(200);
    });

    it('refunds RAC/waitlisted tickets in full minus clerkage until 30 minutes before', () => {
      const rac = indianRailwaysClerkagePolicy('indian-railways-cancellation-2015.csv', /except 2S/);
      expect(rac.rules[0]!.minHoursBefore).toBe(0.5);
      expect(quoteRefund(rac, { lines: [sleeper(800), sleeper(800)], hoursBefore: 1 }).refund / INR).toBe(
        2 * (800 - 60),
      );
      expect(quoteRefund(rac, { lines: [sleeper(800)], hoursBefore: 0.25 }).refundable).toBe(false);
      const secondClass = indianRailwaysClerkagePolicy('indian-railways-cancellation-2015.csv', /^2S/);
      expect(quoteRefund(secondClass, { lines: [{ total: 150 * INR }], hoursBefore: 2 }).fee / INR).toBe(30);
    });

    it('expresses confirmed Tatkal (never refundable) as an empty rule table', () => {
      const rows = parseCsv(readFileSync(path.join(policiesDir, 'indian-railways-cancellation-2015.csv'), 'utf8'));
      const tatkal = rows.find((r) => r.ticket_status === 'CONFIRMED TATKAL')!;
      expect(tatkal.charge_rule).toBe('no refund');
      expect(quoteRefund({ rules: [], minFee: 0 }, { lines: [sleeper(800)], hoursBefore: 200 }).refundable).toBe(false);
    });
  });

  describe('Indian Railways, pre-2015 rules (windows reaching past departure)', () => {
    const policy = haveData
      ? indianRailwaysConfirmedPolicy('indian-railways-cancellation-pre-2015.csv')
      : { rules: [], minFee: 0 };

    it('reads the windows, including up to 2 h after departure', () => {
      expect(policy.rules.map((r) => [r.minHoursBefore, r.feePercent])).toEqual([
        [48, 0],
        [6, 25],
        [-2, 50],
      ]);
    });

    it('charges the old flat amounts, 25 %, then 50 % until 2 h after departure', () => {
      const sleeper = { total: 500 * INR, category: 'SL' };
      expect(quoteRefund(policy, { lines: [sleeper], hoursBefore: 50 }).fee / INR).toBe(60);
      expect(quoteRefund(policy, { lines: [sleeper], hoursBefore: 10 }).fee / INR).toBe(125);
      expect(quoteRefund(policy, { lines: [sleeper], hoursBefore: -1 }).fee / INR).toBe(250);
      expect(quoteRefund(policy, { lines: [sleeper], hoursBefore: -3 }).refundable).toBe(false);
      expect(quoteRefund(policy, { lines: [{ total: 100 * INR, category: '2S' }], hoursBefore: 10 }).fee / INR).toBe(
        30,
      );
    });
  });
});
