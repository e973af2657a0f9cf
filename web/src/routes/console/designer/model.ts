/**
 * The seat-map designer's draft: a flat list of seats (each knowing its section path and row) and GA areas,
 * easy to select, move, re-categorise and undo. Layouts on the server are immutable (ADR 0008): the draft
 * is turned into the import format and saved as a new layout. Pure functions, no React.
 */
export const SEAT_FLAGS = [
  'wheelchair',
  'companion',
  'aisle',
  'restricted_view',
  'blocked',
  'window',
  'berth_upper',
  'berth_lower',
] as const;
export type SeatFlag = (typeof SEAT_FLAGS)[number];

export interface DraftSeat {
  key: string;
  /** Section path, levels joined by "/" (a name may not contain "/"). */
  section: string;
  row: string;
  label: string;
  category: string;
  x: number;
  y: number;
  flags: SeatFlag[];
  deck?: number;
}

export interface DraftArea {
  key: string;
  name: string;
  category: string;
  capacity: number;
  x: number;
  y: number;
}

export interface Draft {
  name: string;
  seats: DraftSeat[];
  areas: DraftArea[];
}

export const CATEGORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `k${Date.now().toString(36)}${counter.toString(36)}`;
}

export function emptyDraft(name: string): Draft {
  return { name, seats: [], areas: [] };
}

/** The label after this one: A → B, Z → AA, 9 → 10, "Row 3" → "Row 4". */
export function nextLabel(label: string): string {
  const numeric = /^(.*?)(\d+)$/.exec(label);
  if (numeric) return `${numeric[1]}${Number(numeric[2]) + 1}`;
  if (/^[A-Z]+$/.test(label)) {
    const chars = label.split('');
    let i = chars.length - 1;
    while (i >= 0) {
      if (chars[i] !== 'Z') {
        chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
        return chars.join('');
      }
      chars[i] = 'A';
      i--;
    }
    return `A${chars.join('')}`;
  }
  return label ? `${label}′` : 'A';
}

export interface RowSpec {
  section: string;
  firstRow: string;
  rowCount: number;
  seatsPerRow: number;
  firstNumber: number;
  /** Numbers rise left to right, or right to left. */
  direction: 'ltr' | 'rtl';
  /** Leave an empty place after these seat positions (1-based, counted from the left), e.g. an aisle. */
  gapsAfter: number[];
  shape: 'straight' | 'curve';
  /** For curved rows: how far the row's middle sits below its ends (in seat pitches). */
  curve: number;
  category: string;
  x: number;
  y: number;
  seatPitch: number;
  rowPitch: number;
  deck?: number;
}

/** Rows of seats as the form describes them: numbering, aisles, straight or curved (an arc). */
export function generateRows(spec: RowSpec): DraftSeat[] {
  const seats: DraftSeat[] = [];
  let row = spec.firstRow;
  const gaps = new Set(spec.gapsAfter);
  for (let r = 0; r < spec.rowCount; r++) {
    const positions: number[] = [];
    let slot = 0;
    for (let s = 1; s <= spec.seatsPerRow; s++) {
      positions.push(slot);
      slot += gaps.has(s) ? 2 : 1;
    }
    const width = Math.max(1, slot - 1);
    for (let s = 0; s < spec.seatsPerRow; s++) {
      const number = spec.direction === 'ltr' ? spec.firstNumber + s : spec.firstNumber + spec.seatsPerRow - 1 - s;
      const t = positions[s]! / width; // 0 at the left end, 1 at the right
      const sag = spec.shape === 'curve' ? spec.curve * spec.seatPitch * (1 - (2 * t - 1) ** 2) : 0;
      seats.push({
        key: newKey(),
        section: spec.section,
        row,
        label: String(number),
        category: spec.category,
        x: round(spec.x + positions[s]! * spec.seatPitch),
        y: round(spec.y + r * spec.rowPitch + sag),
        flags: [],
        ...(spec.deck ? { deck: spec.deck } : {}),
      });
    }
    row = nextLabel(row);
  }
  return seats;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export interface DraftProblem {
  message: 'noSeats' | 'duplicateSeat' | 'badCategory' | 'emptySection' | 'badArea';
  detail?: string;
}

/** What the server would refuse, found before saving so the designer can point at it. */
export function checkDraft(draft: Draft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (draft.seats.length === 0 && draft.areas.length === 0) problems.push({ message: 'noSeats' });
  const seen = new Set<string>();
  for (const seat of draft.seats) {
    const id = `${seat.section}|${seat.row}|${seat.label}`;
    if (seen.has(id)) problems.push({ message: 'duplicateSeat', detail: `${seat.section} ${seat.row} ${seat.label}` });
    seen.add(id);
    if (!CATEGORY_PATTERN.test(seat.category)) problems.push({ message: 'badCategory', detail: seat.category });
    if (!seat.section.trim()) problems.push({ message: 'emptySection' });
  }
  for (const area of draft.areas) {
    if (!CATEGORY_PATTERN.test(area.category) || !(area.capacity > 0) || !area.name.trim()) {
      problems.push({ message: 'badArea', detail: area.name });
    }
  }
  return problems.slice(0, 20);
}

interface SeatJson {
  label: string;
  category: string;
  x: number;
  y: number;
  flags?: string[];
  deck?: number;
}
interface RowJson {
  name: string;
  seats: SeatJson[];
}
interface SectionJson {
  name: string;
  rows?: RowJson[];
  sections?: SectionJson[];
}
export interface LayoutJson {
  name: string;
  sections: SectionJson[];
  gaAreas?: { name: string; category: string; capacity: number; x: number; y: number }[];
}

/** The draft in the import format (nested sections by path; rows and seats in drawing order). */
export function toLayoutJson(draft: Draft): LayoutJson {
  const roots: SectionJson[] = [];
  const byPath = new Map<string, SectionJson>();
  const sectionOf = (path: string): SectionJson => {
    let section = byPath.get(path);
    if (section) return section;
    const parts = path.split('/');
    section = { name: parts.at(-1)! };
    byPath.set(path, section);
    if (parts.length === 1) roots.push(section);
    else (sectionOf(parts.slice(0, -1).join('/')).sections ??= []).push(section);
    return section;
  };
  const rows = new Map<string, RowJson>();
  const ordered = [...draft.seats].sort((a, b) => a.y - b.y || a.x - b.x);
  for (const seat of ordered) {
    const section = sectionOf(seat.section);
    const rowKey = `${seat.section}|${seat.row}`;
    let row = rows.get(rowKey);
    if (!row) {
      row = { name: seat.row, seats: [] };
      rows.set(rowKey, row);
      (section.rows ??= []).push(row);
    }
    row.seats.push({
      label: seat.label,
      category: seat.category,
      x: seat.x,
      y: seat.y,
      ...(seat.flags.length > 0 ? { flags: [...seat.flags] } : {}),
      ...(seat.deck ? { deck: seat.deck } : {}),
    });
  }
  for (const row of rows.values()) row.seats.sort((a, b) => a.x - b.x);
  return {
    name: draft.name,
    sections: roots,
    ...(draft.areas.length > 0
      ? {
          gaAreas: draft.areas.map((area) => ({
            name: area.name,
            category: area.category,
            capacity: area.capacity,
            x: area.x,
            y: area.y,
          })),
        }
      : {}),
  };
}

/** A vehicle's explicit layout (sections of rows; no GA areas, decks kept). */
export function toVehicleLayout(draft: Draft, vehicleType: 'bus' | 'sleeper_bus' | 'train_coach' | 'train') {
  const json = toLayoutJson({ ...draft, areas: [] });
  const flatten = (sections: SectionJson[], prefix = ''): { name: string; rows: RowJson[] }[] =>
    sections.flatMap((section) => [
      ...(section.rows ? [{ name: `${prefix}${section.name}`, rows: section.rows }] : []),
      ...flatten(section.sections ?? [], `${prefix}${section.name} `),
    ]);
  return { vehicleType, sections: flatten(json.sections) };
}

/** A layout in the import format (an export, or a file) as a draft. Throws on a shape it cannot read. */
export function fromLayoutJson(input: unknown): Draft {
  const json = input as LayoutJson;
  if (!json || typeof json !== 'object' || !Array.isArray(json.sections)) throw new Error('not a layout');
  const seats: DraftSeat[] = [];
  const walk = (sections: SectionJson[], prefix: string) => {
    for (const section of sections) {
      const path = prefix ? `${prefix}/${section.name}` : section.name;
      for (const row of section.rows ?? []) {
        if (!Array.isArray(row.seats)) throw new Error('seats must be listed one by one');
        for (const seat of row.seats) {
          seats.push({
            key: newKey(),
            section: path,
            row: row.name,
            label: String(seat.label),
            category: String(seat.category),
            x: Number(seat.x),
            y: Number(seat.y),
            flags: (seat.flags ?? []).filter((flag): flag is SeatFlag =>
              (SEAT_FLAGS as readonly string[]).includes(flag),
            ),
            ...(seat.deck ? { deck: seat.deck } : {}),
          });
        }
      }
      walk(section.sections ?? [], path);
    }
  };
  walk(json.sections, '');
  return {
    name: String(json.name ?? ''),
    seats,
    areas: (json.gaAreas ?? []).map((area) => ({
      key: newKey(),
      name: String(area.name),
      category: String(area.category),
      capacity: Number(area.capacity),
      x: Number(area.x ?? 0),
      y: Number(area.y ?? 0),
    })),
  };
}

/** RFC 4180 fields of a CSV text (quotes, doubled quotes, line breaks inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/** A CSV in the import format (section,row,seat,category,x,y,flags[,capacity]) as a draft. */
export function fromLayoutCsv(text: string, name: string): Draft {
  const [header, ...lines] = parseCsv(text);
  if (!header) throw new Error('empty file');
  const column = (wanted: string) => header.findIndex((cell) => cell.trim().toLowerCase() === wanted);
  const at = Object.fromEntries(
    ['section', 'row', 'seat', 'category', 'x', 'y', 'flags', 'capacity'].map((key) => [key, column(key)]),
  );
  for (const required of ['section', 'row', 'seat', 'category', 'x', 'y']) {
    if (at[required]! < 0) throw new Error(`missing column ${required}`);
  }
  const draft = emptyDraft(name);
  for (const line of lines) {
    const cell = (key: string) => (at[key]! >= 0 ? (line[at[key]!] ?? '').trim() : '');
    const section = cell('section')
      .split(/\s*(?:\/|>)\s*/)
      .join('/');
    if (cell('capacity')) {
      draft.areas.push({
        key: newKey(),
        name: section,
        category: cell('category'),
        capacity: Number(cell('capacity')),
        x: Number(cell('x') || 0),
        y: Number(cell('y') || 0),
      });
      continue;
    }
    draft.seats.push({
      key: newKey(),
      section,
      row: cell('row'),
      label: cell('seat'),
      category: cell('category'),
      x: Number(cell('x')),
      y: Number(cell('y')),
      flags: cell('flags')
        .split(/[|;]/)
        .map((flag) => flag.trim())
        .filter((flag): flag is SeatFlag => (SEAT_FLAGS as readonly string[]).includes(flag)),
    });
  }
  return draft;
}

function csvField(value: string | number): string {
  const text = String(value);
  const safe = text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The draft as CSV in the import format (GA areas as lines with a capacity). */
export function toLayoutCsv(draft: Draft): string {
  const lines = [['section', 'row', 'seat', 'category', 'x', 'y', 'flags', 'capacity'].join(',')];
  for (const seat of draft.seats) {
    lines.push(
      [seat.section, seat.row, seat.label, seat.category, seat.x, seat.y, seat.flags.join('|'), '']
        .map(csvField)
        .join(','),
    );
  }
  for (const area of draft.areas) {
    lines.push([area.name, '', '', area.category, area.x, area.y, '', area.capacity].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Categories in use, in first-use order. */
export function categoriesOf(draft: Draft): string[] {
  return [...new Set([...draft.seats.map((seat) => seat.category), ...draft.areas.map((area) => area.category)])];
}
