/**
 * Seat-layout import: turns an organizer's JSON document or CSV file into a LayoutDocument, or lists every
 * problem found (line or path, field, why) so the file can be fixed in one go. Pure: no I/O.
 *
 * JSON: `{ name, sections: [{ name, category?, sections?, rows?: [{ name, category?, seats }] }], gaAreas? }`
 * where `seats` is a list of `{ label, category?, x, y, flags? }` or a compact range spec ("18" = seats
 * 1..18, "1-10,12-16" = seat 11 does not exist) whose x/y are computed. A category may sit on the seat, the
 * row or any enclosing section; the nearest wins.
 *
 * CSV: header `section,row,seat,category,x,y,flags` (any order; `flags` optional) plus an optional
 * `capacity` column: a line with a capacity is a general-admission area named by `section`. `section` may
 * be a path (`West/1` or `West > 1`) for nested sections; flags are separated by `|` or `;`.
 */
import {
  SEAT_FLAGS,
  type GaAreaDoc,
  type LayoutDocument,
  type RowDoc,
  type SeatDoc,
  type SeatFlag,
  type SectionDoc,
} from './layout.model.js';

export interface LayoutProblem {
  /** CSV: the 1-based line the problem is on. */
  line?: number;
  /** JSON: a JSON Pointer to the object holding the field, e.g. `/sections/0/rows/3`. */
  path?: string;
  field: string;
  message: string;
}

export type LayoutImport =
  { ok: true; layout: LayoutDocument } | { ok: false; problems: LayoutProblem[]; problemCount: number };

export const LAYOUT_LIMITS = {
  /** Problems listed in one answer; the count says how many there were in all. */
  maxProblems: 1000,
  maxSeats: 200_000,
  maxSeatsPerRow: 2_000,
  maxSections: 10_000,
  maxSectionDepth: 6,
  maxGaAreas: 500,
  maxGaCapacity: 1_000_000,
  maxCoordinate: 1_000_000,
} as const;

/** Drawing units between neighbouring seats and rows of a compact row, and between sections and stands. */
export const COMPACT_GEOMETRY = { seatPitch: 10, rowPitch: 10, sectionGap: 30, standGap: 60 } as const;

/** Categories are price-tier codes (GOLD, REGULAR, AC_BUSINESS): they are the keys of an event's prices. */
export const CATEGORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const CSV_COLUMNS = ['section', 'row', 'seat', 'category', 'x', 'y', 'flags', 'capacity'] as const;
const REQUIRED_CSV_COLUMNS = ['section', 'row', 'seat', 'category', 'x', 'y'] as const;
const SECTION_PATH_SEPARATOR = /\s*(?:\/|>)\s*/;
const FLAG_SEPARATOR = /[|;]/;
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const KNOWN_FLAGS = new Set<string>(SEAT_FLAGS);

interface TextRule {
  minLength: number;
  maxLength: number;
  /** Characters that may not appear, with the reason. */
  forbidden?: { pattern: RegExp; message: string };
}

const TEXT_RULES = {
  layoutName: { minLength: 1, maxLength: 200 },
  // `/` and `>` separate the levels of a section path in CSV, so a name may not contain them.
  section: { minLength: 1, maxLength: 100, forbidden: { pattern: /[/>]/, message: 'may not contain / or >' } },
  row: { minLength: 0, maxLength: 50 },
  seat: { minLength: 1, maxLength: 20 },
  area: { minLength: 1, maxLength: 100 },
} satisfies Record<string, TextRule>;

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function textProblem(value: string, rule: TextRule): string | undefined {
  if (value.length < rule.minLength) return 'must not be empty';
  if (value.length > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
  if (value.trim() !== value) return 'must not start or end with spaces';
  if (hasControlCharacter(value)) return 'must not contain control characters';
  if (rule.forbidden?.pattern.test(value)) return rule.forbidden.message;
  return undefined;
}

function categoryProblem(value: string): string | undefined {
  return CATEGORY_PATTERN.test(value)
    ? undefined
    : 'must be a code of 1-40 letters, digits, "_", "." or "-" starting with a letter or digit';
}

function coordinateProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  const max = LAYOUT_LIMITS.maxCoordinate;
  return Math.abs(value) > max ? `must be between -${max} and ${max}` : undefined;
}

/** Collects problems; keeps the first `maxProblems` and counts the rest. */
class ProblemList {
  readonly items: LayoutProblem[] = [];
  count = 0;

  add(problem: LayoutProblem): void {
    this.count++;
    if (this.items.length < LAYOUT_LIMITS.maxProblems) this.items.push(problem);
  }

  /** CSV problems in file order (quoting problems are found before the lines are checked). */
  sortByLine(): this {
    this.items.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return this;
  }

  resultFor(layout: LayoutDocument): LayoutImport {
    return this.count === 0 ? { ok: true, layout } : { ok: false, problems: this.items, problemCount: this.count };
  }
}

/**
 * The seat numbers of a compact row. A single number N means seats 1..N; otherwise a comma-separated
 * list of ranges `a-b` and single seats `a`, so "1-10,12-16" has no seat 11.
 */
export function expandSeatSpec(spec: string): { numbers: number[] } | { error: string } {
  const trimmed = spec.trim();
  if (/^\d+$/.test(trimmed)) {
    const count = Number(trimmed);
    if (count < 1 || count > LAYOUT_LIMITS.maxSeatsPerRow) {
      return { error: `a seat count must be between 1 and ${LAYOUT_LIMITS.maxSeatsPerRow}` };
    }
    return { numbers: Array.from({ length: count }, (_, i) => i + 1) };
  }
  const numbers: number[] = [];
  const seen = new Set<number>();
  for (const item of trimmed.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
    if (!match) return { error: `"${item.trim()}" is not a seat number or a range like 1-10` };
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first < 1) return { error: 'seat numbers start at 1' };
    if (last < first) return { error: `the range ${first}-${last} runs backwards` };
    if (numbers.length + (last - first + 1) > LAYOUT_LIMITS.maxSeatsPerRow) {
      return { error: `a row may have at most ${LAYOUT_LIMITS.maxSeatsPerRow} seats` };
    }
    for (let n = first; n <= last; n++) {
      if (seen.has(n)) return { error: `seat ${n} is listed twice` };
      seen.add(n);
      numbers.push(n);
    }
  }
  return { numbers };
}

// ── JSON ───────────────────────────────────────────────────────────────────────────────────────────────

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Where compact rows of the current stand (top-level section) are drawn: left to right, one band each. */
interface StandBand {
  top: number;
  nextX: number;
  height: number;
}

class JsonLayoutReader {
  private seatCount = 0;
  private sectionCount = 0;
  private tooManySeats = false;

  constructor(private readonly problems: ProblemList) {}

  read(input: unknown): LayoutDocument {
    const layout: LayoutDocument = { name: '', kind: 'venue', sections: [] };
    if (!isObject(input)) {
      this.problems.add({ path: '', field: 'layout', message: `must be a JSON object, got ${typeName(input)}` });
      return layout;
    }
    this.checkFields(input, '', ['name', 'sections', 'gaAreas']);
    layout.name = this.text(input, 'name', '', TEXT_RULES.layoutName) ?? '';

    const sections = this.list(input, 'sections', '', true);
    let bandTop = 0;
    layout.sections = this.uniqueNamed(sections, '/sections', (section, path) => {
      const band: StandBand = { top: bandTop, nextX: 0, height: 0 };
      const doc = this.section(section, path, 1, undefined, band);
      if (band.height > 0) bandTop += band.height + COMPACT_GEOMETRY.standGap;
      return doc;
    });

    const gaAreas = this.list(input, 'gaAreas', '', false);
    if (gaAreas.length > LAYOUT_LIMITS.maxGaAreas) {
      this.problems.add({ path: '', field: 'gaAreas', message: `at most ${LAYOUT_LIMITS.maxGaAreas} areas` });
    } else if (gaAreas.length > 0) {
      layout.gaAreas = this.uniqueNamed(gaAreas, '/gaAreas', (area, path) => this.gaArea(area, path));
    }

    if (sections.length === 0 && gaAreas.length === 0) {
      this.problems.add({
        path: '',
        field: 'sections',
        message: 'the layout has no seats and no general-admission areas',
      });
    }
    return layout;
  }

  private section(
    input: unknown,
    path: string,
    depth: number,
    inheritedCategory: string | undefined,
    band: StandBand,
  ): SectionDoc | undefined {
    if (!isObject(input)) {
      this.problems.add({ path, field: 'section', message: `must be an object, got ${typeName(input)}` });
      return undefined;
    }
    if (++this.sectionCount > LAYOUT_LIMITS.maxSections) {
      if (this.sectionCount === LAYOUT_LIMITS.maxSections + 1) {
        this.problems.add({
          path,
          field: 'sections',
          message: `a layout may have at most ${LAYOUT_LIMITS.maxSections} sections`,
        });
      }
      return undefined;
    }
    this.checkFields(input, path, ['name', 'category', 'sections', 'rows']);
    const name = this.text(input, 'name', path, TEXT_RULES.section);
    const category = this.category(input, path, false) ?? inheritedCategory;
    const rows = this.list(input, 'rows', path, false);
    const children = this.list(input, 'sections', path, false);
    if (rows.length === 0 && children.length === 0) {
      this.problems.add({ path, field: 'rows', message: 'a section needs rows or sections' });
    }

    const section: SectionDoc = { name: name ?? '' };
    if (rows.length > 0) {
      const placement = { left: band.nextX, widest: 0 };
      section.rows = this.uniqueNamed(rows, `${path}/rows`, (row, rowPath, rowIndex) =>
        this.row(
          row,
          rowPath,
          category,
          { x: placement.left, y: band.top + rowIndex * COMPACT_GEOMETRY.rowPitch },
          placement,
        ),
      );
      if (placement.widest > 0) {
        band.nextX += placement.widest * COMPACT_GEOMETRY.seatPitch + COMPACT_GEOMETRY.sectionGap;
        band.height = Math.max(band.height, rows.length * COMPACT_GEOMETRY.rowPitch);
      }
    }
    if (children.length > 0) {
      if (depth >= LAYOUT_LIMITS.maxSectionDepth) {
        this.problems.add({
          path,
          field: 'sections',
          message: `sections may nest at most ${LAYOUT_LIMITS.maxSectionDepth} deep`,
        });
      } else {
        section.sections = this.uniqueNamed(children, `${path}/sections`, (child, childPath) =>
          this.section(child, childPath, depth + 1, category, band),
        );
      }
    }
    // Its rows and sections were still checked above, so their problems are listed too.
    return name === undefined ? undefined : section;
  }

  /** A row; `origin` is where seat 1 of a compact row is drawn, `placement` tracks the widest compact row. */
  private row(
    input: unknown,
    path: string,
    inheritedCategory: string | undefined,
    origin: { x: number; y: number },
    placement: { widest: number },
  ): RowDoc | undefined {
    if (!isObject(input)) {
      this.problems.add({ path, field: 'row', message: `must be an object, got ${typeName(input)}` });
      return undefined;
    }
    this.checkFields(input, path, ['name', 'category', 'seats']);
    const name = this.text(input, 'name', path, TEXT_RULES.row);
    const category = this.category(input, path, false) ?? inheritedCategory;
    const seatsInput = input.seats;
    let seats: SeatDoc[] = [];

    if (typeof seatsInput === 'string') {
      const expanded = expandSeatSpec(seatsInput);
      if ('error' in expanded) {
        this.problems.add({ path, field: 'seats', message: expanded.error });
      } else if (category === undefined) {
        this.problems.add({
          path,
          field: 'category',
          message: 'a row given as a seat range needs a category on the row or a section',
        });
      } else if (this.countSeats(expanded.numbers.length, path)) {
        placement.widest = Math.max(placement.widest, ...expanded.numbers);
        seats = expanded.numbers.map((n) => ({
          label: String(n),
          category,
          x: origin.x + (n - 1) * COMPACT_GEOMETRY.seatPitch,
          y: origin.y,
        }));
      }
    } else if (Array.isArray(seatsInput)) {
      if (seatsInput.length === 0) {
        this.problems.add({ path, field: 'seats', message: 'a row needs at least one seat' });
      } else if (seatsInput.length > LAYOUT_LIMITS.maxSeatsPerRow) {
        this.problems.add({
          path,
          field: 'seats',
          message: `a row may have at most ${LAYOUT_LIMITS.maxSeatsPerRow} seats`,
        });
      } else if (this.countSeats(seatsInput.length, path)) {
        const labels = new Map<string, number>();
        seatsInput.forEach((seatInput, index) => {
          const seat = this.seat(seatInput, `${path}/seats/${index}`, category);
          // A repeated label is reported even when the seat has other problems too.
          const label = isObject(seatInput) && typeof seatInput.label === 'string' ? seatInput.label : undefined;
          if (label === undefined) return;
          const earlier = labels.get(label);
          if (earlier !== undefined) {
            this.problems.add({
              path: `${path}/seats/${index}`,
              field: 'label',
              message: `seat ${label} is already at /seats/${earlier} of this row`,
            });
          } else {
            labels.set(label, index);
          }
          if (seat) seats.push(seat);
        });
      }
    } else if (seatsInput === undefined) {
      this.problems.add({ path, field: 'seats', message: 'is required' });
    } else {
      this.problems.add({
        path,
        field: 'seats',
        message: `must be a list of seats or a range like "1-10,12-16", got ${typeName(seatsInput)}`,
      });
    }
    return name === undefined ? undefined : { name, seats };
  }

  private seat(input: unknown, path: string, inheritedCategory: string | undefined): SeatDoc | undefined {
    if (!isObject(input)) {
      this.problems.add({ path, field: 'seat', message: `must be an object, got ${typeName(input)}` });
      return undefined;
    }
    this.checkFields(input, path, ['label', 'category', 'x', 'y', 'flags']);
    const label = this.text(input, 'label', path, TEXT_RULES.seat);
    const category = this.category(input, path, false) ?? inheritedCategory;
    if (category === undefined && !('category' in input)) {
      this.problems.add({ path, field: 'category', message: 'is required (on the seat, its row or a section)' });
    }
    const x = this.coordinate(input, 'x', path, true);
    const y = this.coordinate(input, 'y', path, true);
    const flags = this.flags(input, path);
    if (label === undefined || category === undefined || x === undefined || y === undefined) return undefined;
    return { label, category, x, y, ...(flags.length > 0 ? { flags } : {}) };
  }

  private gaArea(input: unknown, path: string): GaAreaDoc | undefined {
    if (!isObject(input)) {
      this.problems.add({ path, field: 'gaArea', message: `must be an object, got ${typeName(input)}` });
      return undefined;
    }
    this.checkFields(input, path, ['name', 'category', 'capacity', 'x', 'y']);
    const name = this.text(input, 'name', path, TEXT_RULES.area);
    const category = this.category(input, path, true);
    const capacity = input.capacity;
    const capacityOk =
      typeof capacity === 'number' &&
      Number.isInteger(capacity) &&
      capacity >= 1 &&
      capacity <= LAYOUT_LIMITS.maxGaCapacity;
    if (!capacityOk) {
      this.problems.add({
        path,
        field: 'capacity',
        message:
          capacity === undefined ? 'is required' : `must be a whole number from 1 to ${LAYOUT_LIMITS.maxGaCapacity}`,
      });
    }
    const x = this.coordinate(input, 'x', path, false);
    const y = this.coordinate(input, 'y', path, false);
    if (name === undefined || category === undefined || !capacityOk) return undefined;
    return { name, category, capacity, ...(x === undefined ? {} : { x }), ...(y === undefined ? {} : { y }) };
  }

  /** Reads a list of named objects, reporting a name that repeats among them. */
  private uniqueNamed<T extends { name: string }>(
    items: unknown[],
    path: string,
    read: (item: unknown, itemPath: string, index: number) => T | undefined,
  ): T[] {
    const result: T[] = [];
    const names = new Map<string, number>();
    items.forEach((item, index) => {
      if (this.tooManySeats) return;
      const doc = read(item, `${path}/${index}`, index);
      if (!doc) return;
      const earlier = names.get(doc.name);
      if (earlier !== undefined) {
        this.problems.add({
          path: `${path}/${index}`,
          field: 'name',
          message: `"${doc.name}" is already used at ${path}/${earlier}`,
        });
      } else {
        names.set(doc.name, index);
      }
      result.push(doc);
    });
    return result;
  }

  /** Adds seats to the running total; false (and one problem) once the layout is too big to go on. */
  private countSeats(count: number, path: string): boolean {
    this.seatCount += count;
    if (this.seatCount <= LAYOUT_LIMITS.maxSeats) return true;
    this.tooManySeats = true;
    this.problems.add({ path, field: 'seats', message: `a layout may have at most ${LAYOUT_LIMITS.maxSeats} seats` });
    return false;
  }

  private checkFields(input: JsonObject, path: string, known: readonly string[]): void {
    for (const key of Object.keys(input)) {
      if (!known.includes(key)) {
        this.problems.add({ path, field: key, message: `is not a known field (expected ${known.join(', ')})` });
      }
    }
  }

  private text(input: JsonObject, field: string, path: string, rule: TextRule): string | undefined {
    const value = input[field];
    if (value === undefined) {
      this.problems.add({ path, field, message: 'is required' });
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.add({ path, field, message: `must be a string, got ${typeName(value)}` });
      return undefined;
    }
    const problem = textProblem(value, rule);
    if (problem) {
      this.problems.add({ path, field, message: problem });
      return undefined;
    }
    return value;
  }

  private category(input: JsonObject, path: string, required: boolean): string | undefined {
    const value = input.category;
    if (value === undefined) {
      if (required) this.problems.add({ path, field: 'category', message: 'is required' });
      return undefined;
    }
    const problem = typeof value === 'string' ? categoryProblem(value) : `must be a string, got ${typeName(value)}`;
    if (problem) {
      this.problems.add({ path, field: 'category', message: problem });
      return undefined;
    }
    return value as string;
  }

  private coordinate(input: JsonObject, field: 'x' | 'y', path: string, required: boolean): number | undefined {
    const value = input[field];
    if (value === undefined) {
      if (required) this.problems.add({ path, field, message: 'is required' });
      return undefined;
    }
    const problem = typeof value === 'number' ? coordinateProblem(value) : `must be a number, got ${typeName(value)}`;
    if (problem) {
      this.problems.add({ path, field, message: problem });
      return undefined;
    }
    return value as number;
  }

  private flags(input: JsonObject, path: string): SeatFlag[] {
    const value = input.flags;
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problems.add({ path, field: 'flags', message: `must be a list of flags, got ${typeName(value)}` });
      return [];
    }
    const flags = new Set<SeatFlag>();
    for (const flag of value) {
      if (typeof flag === 'string' && KNOWN_FLAGS.has(flag)) flags.add(flag as SeatFlag);
      else this.problems.add({ path, field: 'flags', message: unknownFlagMessage(flag) });
    }
    return [...flags];
  }

  private list(input: JsonObject, field: string, path: string, required: boolean): unknown[] {
    const value = input[field];
    if (value === undefined) {
      if (required) this.problems.add({ path, field, message: 'is required' });
      return [];
    }
    if (!Array.isArray(value)) {
      this.problems.add({ path, field, message: `must be a list, got ${typeName(value)}` });
      return [];
    }
    return value;
  }
}

function unknownFlagMessage(flag: unknown): string {
  const shown = typeof flag === 'string' ? `"${flag}"` : typeName(flag);
  return `${shown} is not a known flag (known: ${SEAT_FLAGS.join(', ')})`;
}

/** Validates a layout in our JSON format (already parsed from JSON) and returns it as a LayoutDocument. */
export function parseLayoutJson(input: unknown): LayoutImport {
  const problems = new ProblemList();
  const layout = new JsonLayoutReader(problems).read(input);
  return problems.resultFor(layout);
}

// ── CSV ────────────────────────────────────────────────────────────────────────────────────────────────

interface CsvRecord {
  /** The line the record starts on (a quoted field may span lines). */
  line: number;
  fields: string[];
}

/**
 * Splits RFC 4180 CSV into records: fields separated by commas, optionally quoted with `"` (a doubled
 * `""` is a quote), records ending at LF or CRLF. Blank lines are skipped. Quoting problems are reported.
 */
function readCsvRecords(text: string, problems: ProblemList): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark, as spreadsheet programs write

  const endRecord = () => {
    fields.push(field);
    if (fields.some((value) => value.trim() !== '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };

  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && field.trim() === '') {
      const quoteLine = line;
      let closed = false;
      field = '';
      i++;
      while (i < text.length) {
        const inner = text[i]!;
        if (inner === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (inner === '\n') line++;
        field += inner;
        i++;
      }
      if (!closed) {
        problems.add({ line: quoteLine, field: 'csv', message: 'a quoted field is never closed' });
        return records;
      }
      // After a closing quote only a separator or the end of the line may follow.
      let trailing = '';
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') trailing += text[i++];
      if (trailing.trim() !== '') {
        problems.add({ line, field: 'csv', message: `unexpected text after a closing quote: "${trailing.trim()}"` });
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (char === '\n' || char === '\r') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += char;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Maps each known column to its index, or reports what is wrong with the header. */
function readCsvHeader(record: CsvRecord | undefined, problems: ProblemList): Map<CsvColumn, number> | undefined {
  if (!record) {
    problems.add({
      line: 1,
      field: 'header',
      message: `the file is empty; expected the header ${REQUIRED_CSV_COLUMNS.join(',')},flags`,
    });
    return undefined;
  }
  const columns = new Map<CsvColumn, number>();
  let valid = true;
  record.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      problems.add({
        line: record.line,
        field: 'header',
        message: `unknown column "${raw.trim()}" (known: ${CSV_COLUMNS.join(', ')}); columns are separated by commas`,
      });
      valid = false;
    } else if (columns.has(name as CsvColumn)) {
      problems.add({ line: record.line, field: 'header', message: `column "${name}" appears twice` });
      valid = false;
    } else {
      columns.set(name as CsvColumn, index);
    }
  });
  for (const required of REQUIRED_CSV_COLUMNS) {
    if (!columns.has(required)) {
      problems.add({ line: record.line, field: 'header', message: `the column "${required}" is missing` });
      valid = false;
    }
  }
  return valid ? columns : undefined;
}

/** Builds the section tree of a CSV import, keeping the order in which sections and rows first appear. */
class SectionTree {
  readonly roots: SectionDoc[] = [];
  private readonly sections = new Map<string, SectionDoc>();
  private readonly rows = new Map<string, RowDoc>();

  addSeat(path: string[], rowName: string, seat: SeatDoc): void {
    let siblings = this.roots;
    let section: SectionDoc | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const key = path.slice(0, depth + 1).join('\u0000');
      section = this.sections.get(key);
      if (!section) {
        section = { name: path[depth]! };
        this.sections.set(key, section);
        siblings.push(section);
      }
      siblings = section.sections ??= [];
    }
    const rowKey = `${path.join('\u0000')}\u0001${rowName}`;
    let row = this.rows.get(rowKey);
    if (!row) {
      row = { name: rowName, seats: [] };
      this.rows.set(rowKey, row);
      (section!.rows ??= []).push(row);
    }
    row.seats.push(seat);
  }

  /** The tree without the empty `sections` lists that addSeat creates on the way down. */
  toDocuments(): SectionDoc[] {
    const prune = (section: SectionDoc): SectionDoc => {
      const children = section.sections?.map(prune) ?? [];
      return {
        name: section.name,
        ...(section.rows ? { rows: section.rows } : {}),
        ...(children.length > 0 ? { sections: children } : {}),
      };
    };
    return this.roots.map(prune);
  }
}

class CsvLineReader {
  constructor(
    private readonly record: CsvRecord,
    private readonly columns: Map<CsvColumn, number>,
    private readonly problems: ProblemList,
  ) {}

  value(column: CsvColumn): string {
    const index = this.columns.get(column);
    return index === undefined ? '' : (this.record.fields[index] ?? '').trim();
  }

  problem(field: string, message: string): void {
    this.problems.add({ line: this.record.line, field, message });
  }

  text(column: CsvColumn, rule: TextRule): string | undefined {
    const value = this.value(column);
    const problem = textProblem(value, rule);
    if (problem) {
      this.problem(column, problem);
      return undefined;
    }
    return value;
  }

  category(): string | undefined {
    const value = this.value('category');
    const problem = value === '' ? 'is required' : categoryProblem(value);
    if (problem) {
      this.problem('category', problem);
      return undefined;
    }
    return value;
  }

  coordinate(column: 'x' | 'y', required: boolean): number | undefined {
    const raw = this.value(column);
    if (raw === '') {
      if (required) this.problem(column, 'is required');
      return undefined;
    }
    const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    const problem = DECIMAL.test(raw) ? coordinateProblem(value) : `"${raw}" is not a number`;
    if (problem) {
      this.problem(column, problem);
      return undefined;
    }
    return value;
  }

  sectionPath(): string[] | undefined {
    const raw = this.value('section');
    if (raw === '') {
      this.problem('section', 'is required');
      return undefined;
    }
    const parts = raw.split(SECTION_PATH_SEPARATOR).map((part) => part.trim());
    if (parts.length > LAYOUT_LIMITS.maxSectionDepth) {
      this.problem('section', `sections may nest at most ${LAYOUT_LIMITS.maxSectionDepth} deep`);
      return undefined;
    }
    for (const part of parts) {
      const problem = textProblem(part, TEXT_RULES.section);
      if (problem) {
        this.problem('section', `"${raw}": a section name ${problem}`);
        return undefined;
      }
    }
    return parts;
  }

  flags(): SeatFlag[] | undefined {
    const raw = this.value('flags');
    if (raw === '') return [];
    const flags = new Set<SeatFlag>();
    let valid = true;
    for (const part of raw.split(FLAG_SEPARATOR)) {
      const flag = part.trim().toLowerCase();
      if (flag === '') continue;
      if (KNOWN_FLAGS.has(flag)) {
        flags.add(flag as SeatFlag);
      } else {
        this.problem('flags', unknownFlagMessage(part.trim()));
        valid = false;
      }
    }
    return valid ? [...flags] : undefined;
  }
}

/**
 * Validates a CSV seat list (see the file comment for the format) and returns it as a LayoutDocument named
 * `name`. Every problem is listed with its line.
 */
export function parseLayoutCsv(text: string, name: string): LayoutImport {
  const problems = new ProblemList();
  const records = readCsvRecords(text, problems);
  const columns = readCsvHeader(records[0], problems);
  const tree = new SectionTree();
  const gaAreas: GaAreaDoc[] = [];
  if (!columns) return problems.resultFor({ name, kind: 'venue', sections: [] });

  const seatLines = new Map<string, number>();
  const areaLines = new Map<string, number>();
  const dataRecords = records.slice(1);
  if (dataRecords.length > LAYOUT_LIMITS.maxSeats + LAYOUT_LIMITS.maxGaAreas) {
    problems.add({
      line: dataRecords[LAYOUT_LIMITS.maxSeats]!.line,
      field: 'csv',
      message: `a layout may have at most ${LAYOUT_LIMITS.maxSeats} seats`,
    });
    return problems.resultFor({ name, kind: 'venue', sections: [] });
  }

  for (const record of dataRecords) {
    const line = new CsvLineReader(record, columns, problems);
    if (record.fields.length !== columns.size) {
      line.problem('columns', `expected ${columns.size} columns, found ${record.fields.length}`);
      continue;
    }

    if (line.value('capacity') !== '') {
      // A general-admission area: a capacity instead of a row and a seat.
      const areaName = line.text('section', TEXT_RULES.area);
      const category = line.category();
      const rawCapacity = line.value('capacity');
      const capacity = /^\d+$/.test(rawCapacity) ? Number(rawCapacity) : Number.NaN;
      const capacityOk = capacity >= 1 && capacity <= LAYOUT_LIMITS.maxGaCapacity;
      if (!capacityOk)
        line.problem('capacity', `"${rawCapacity}" is not a whole number from 1 to ${LAYOUT_LIMITS.maxGaCapacity}`);
      if (line.value('row') !== '' || line.value('seat') !== '') {
        line.problem('capacity', 'a general-admission area (a line with a capacity) has no row or seat');
      }
      if (line.value('flags') !== '') line.problem('flags', 'a general-admission area has no flags');
      const x = line.coordinate('x', false);
      const y = line.coordinate('y', false);
      if (areaName === undefined) continue;
      const earlier = areaLines.get(areaName);
      if (earlier !== undefined) {
        line.problem('section', `the general-admission area "${areaName}" is already on line ${earlier}`);
        continue;
      }
      areaLines.set(areaName, record.line);
      if (category !== undefined && capacityOk) {
        gaAreas.push({
          name: areaName,
          category,
          capacity,
          ...(x === undefined ? {} : { x }),
          ...(y === undefined ? {} : { y }),
        });
      }
      continue;
    }

    const path = line.sectionPath();
    const rowName = line.text('row', TEXT_RULES.row);
    const label = line.text('seat', TEXT_RULES.seat);
    const category = line.category();
    const x = line.coordinate('x', true);
    const y = line.coordinate('y', true);
    const flags = line.flags();
    if (path === undefined || rowName === undefined || label === undefined) continue;

    const seatKey = [...path, '\u0001', rowName, '\u0001', label].join('\u0000');
    const earlier = seatLines.get(seatKey);
    if (earlier !== undefined) {
      line.problem('seat', `seat ${label} in row "${rowName}" of ${path.join(' / ')} is already on line ${earlier}`);
      continue;
    }
    seatLines.set(seatKey, record.line);
    if (category === undefined || x === undefined || y === undefined || flags === undefined) continue;
    tree.addSeat(path, rowName, { label, category, x, y, ...(flags.length > 0 ? { flags } : {}) });
  }

  if (gaAreas.length > LAYOUT_LIMITS.maxGaAreas) {
    problems.add({
      line: 1,
      field: 'capacity',
      message: `at most ${LAYOUT_LIMITS.maxGaAreas} general-admission areas`,
    });
  }
  if (dataRecords.length === 0) {
    problems.add({ line: records[0]!.line, field: 'csv', message: 'the file has a header but no seats' });
  }
  return problems.sortByLine().resultFor({
    name,
    kind: 'venue',
    sections: tree.toDocuments(),
    ...(gaAreas.length > 0 ? { gaAreas } : {}),
  });
}
