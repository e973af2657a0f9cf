/**
 * What is wrong with a feed, each problem with its place (file, line, field) and a stable code. Errors
 * reject the whole feed (nothing is imported); warnings are reported and the import goes on. The policy,
 * code by code, is in docs/gtfs-import.md.
 */

export type ProblemSeverity = 'error' | 'warning';

export const PROBLEM_CODES = {
  // Errors: the feed is refused.
  archive_unreadable: 'error',
  archive_too_large: 'error',
  file_missing: 'error',
  file_empty: 'error',
  file_encoding: 'error',
  column_missing: 'error',
  csv_malformed: 'error',
  value_missing: 'error',
  value_invalid: 'error',
  id_duplicate: 'error',
  reference_unknown: 'error',
  stop_sequence_duplicate: 'error',
  endpoint_time_missing: 'error',
  timezone_mismatch: 'error',
  // Warnings: reported; the import goes on without (or around) what they name.
  byte_order_mark: 'warning',
  files_in_subfolder: 'warning',
  file_unknown: 'warning',
  optional_file_empty: 'warning',
  column_unknown: 'warning',
  row_short: 'warning',
  row_long: 'warning',
  line_endings_mixed: 'warning',
  agency_unknown: 'warning',
  times_backwards: 'warning',
  time_missing: 'warning',
  trip_too_short: 'warning',
  trip_duplicate_departure: 'warning',
  stop_unused: 'warning',
  stop_location_missing: 'warning',
  route_name_repeated: 'warning',
  route_names_same: 'warning',
  route_type_approximated: 'warning',
  fare_not_imported: 'warning',
  frequency_invalid: 'warning',
  no_trips_in_range: 'warning',
} as const satisfies Record<string, ProblemSeverity>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface GtfsProblem {
  severity: ProblemSeverity;
  code: ProblemCode;
  /** The feed file, e.g. stop_times.txt; absent for problems of the archive as a whole. */
  file?: string;
  /** 1-based line in that file (the header is line 1). */
  line?: number;
  field?: string;
  message: string;
}

interface ProblemPlace {
  file?: string;
  line?: number;
  field?: string;
  message: string;
}

/** Problems kept per code in a report; the counts stay exact beyond it. */
export const PROBLEMS_KEPT_PER_CODE = 200;

/** Collects problems; keeps the first PROBLEMS_KEPT_PER_CODE of each code and counts all of them. */
export class ProblemLog {
  readonly problems: GtfsProblem[] = [];
  readonly counts = new Map<ProblemCode, number>();
  private errorCount = 0;

  add(code: ProblemCode, place: ProblemPlace): void {
    const severity = PROBLEM_CODES[code];
    if (severity === 'error') this.errorCount++;
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (count <= PROBLEMS_KEPT_PER_CODE) this.problems.push({ severity, code, ...place });
  }

  error(code: ProblemCode, place: ProblemPlace): void {
    this.add(code, place);
  }

  warning(code: ProblemCode, place: ProblemPlace): void {
    this.add(code, place);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  get errors(): number {
    return this.errorCount;
  }

  get warnings(): number {
    let total = 0;
    for (const [code, count] of this.counts) if (PROBLEM_CODES[code] === 'warning') total += count;
    return total;
  }

  /** Problem counts by code, errors first. */
  summary(): { code: ProblemCode; severity: ProblemSeverity; count: number }[] {
    return [...this.counts]
      .map(([code, count]) => ({ code, severity: PROBLEM_CODES[code], count }))
      .sort((a, b) => (a.severity === b.severity ? a.code.localeCompare(b.code) : a.severity === 'error' ? -1 : 1));
  }
}

/** One line for a terminal: `error stop_times.txt:12 stop_id: … [reference_unknown]`. */
export function formatProblem(problem: GtfsProblem): string {
  const place = [problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}` : '', problem.field ?? '']
    .filter(Boolean)
    .join(' ');
  return `${problem.severity === 'error' ? 'error  ' : 'warning'} ${place ? `${place}: ` : ''}${problem.message} [${problem.code}]`;
}
