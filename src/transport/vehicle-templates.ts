import type { LayoutDocument, RowDoc, SeatDoc, SeatFlag, SectionDoc } from '../catalog/layout.model.js';
import { AppError } from '../shared/errors.js';
import type { ExplicitVehicleLayout, VehicleTemplate } from './transport-admin.schemas.js';

/**
 * Seat maps of common vehicles, generated from a few numbers: a 2+2 or 2+1 bus, a sleeper coach with
 * berths on two decks, and a train of coaches with classes. x/y are drawing units (one seat ≈ 10), with
 * the front of the vehicle at y = 0.
 */

export interface LayoutProblem {
  path: string;
  message: string;
}

const PITCH = 10; // distance between seat centres across a row
const AISLE = 10; // extra width of the aisle
const ROW_GAP = 12; // distance between seat rows
const BERTH_GAP = 20; // berths are long
const DECK_GAP = 30; // space between the two decks drawn side by side, and between coaches

const DEFAULT_SEAT_CLASS: Record<Exclude<VehicleTemplate['type'], 'train_coach'>, string> = {
  bus_2_2: 'ECONOMY',
  bus_2_1: 'BUSINESS',
  sleeper_2_decks: 'SLEEPER',
};

/** Builds the layout document of a template, or throws layout.invalid listing every problem. */
export function buildVehicleLayout(name: string, template: VehicleTemplate): LayoutDocument {
  const problems = templateProblems(template);
  if (problems.length > 0) throw invalidLayout(problems);
  switch (template.type) {
    case 'bus_2_2':
    case 'bus_2_1':
      return {
        name,
        kind: 'vehicle',
        vehicleType: 'bus',
        sections: [busDeck(template.type, template.rows!, seatClassOf(template), template.backRowOfFive ?? false)],
      };
    case 'sleeper_2_decks':
      return {
        name,
        kind: 'vehicle',
        vehicleType: 'sleeper_bus',
        sections: [
          sleeperDeck(1, template.rows!, seatClassOf(template)),
          sleeperDeck(2, template.rows!, seatClassOf(template)),
        ],
      };
    case 'train_coach':
      return { name, kind: 'vehicle', vehicleType: 'train', sections: trainCoaches(template.coaches!) };
  }
}

/** Turns an explicit vehicle layout into a layout document, or throws layout.invalid listing every problem. */
export function explicitVehicleLayout(name: string, layout: ExplicitVehicleLayout): LayoutDocument {
  const document: LayoutDocument = {
    name,
    kind: 'vehicle',
    vehicleType: layout.vehicleType ?? 'bus',
    sections: layout.sections.map((section) => ({
      name: section.name,
      rows: section.rows.map((row) => ({
        name: row.name,
        seats: row.seats.map((seat) => ({ ...seat, flags: seat.flags ? [...seat.flags] : [] })),
      })),
    })),
  };
  const problems = layoutProblems(document);
  if (problems.length > 0) throw invalidLayout(problems);
  return document;
}

/** What would make a vehicle layout ambiguous to sell: repeated section, row or seat names. */
export function layoutProblems(layout: LayoutDocument): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const sectionNames = new Set<string>();
  layout.sections.forEach((section, s) => {
    const sectionPath = `sections/${s}`;
    if (sectionNames.has(section.name)) {
      problems.push({ path: `${sectionPath}/name`, message: `section "${section.name}" appears twice` });
    }
    sectionNames.add(section.name);
    const rowNames = new Set<string>();
    (section.rows ?? []).forEach((row, r) => {
      const rowPath = `${sectionPath}/rows/${r}`;
      if (rowNames.has(row.name)) {
        problems.push({ path: `${rowPath}/name`, message: `row "${row.name}" appears twice in "${section.name}"` });
      }
      rowNames.add(row.name);
      const labels = new Set<string>();
      row.seats.forEach((seat, i) => {
        if (labels.has(seat.label)) {
          problems.push({
            path: `${rowPath}/seats/${i}/label`,
            message: `seat "${seat.label}" appears twice in row "${row.name}"`,
          });
        }
        labels.add(seat.label);
      });
    });
  });
  return problems;
}

function templateProblems(template: VehicleTemplate): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const refuse = (field: keyof VehicleTemplate, why: string) =>
    problems.push({ path: `template/${field}`, message: why });
  if (template.type === 'train_coach') {
    if (!template.coaches) refuse('coaches', 'a train needs its coaches');
    if (template.rows !== undefined) refuse('rows', 'a train takes rows per coach, not rows');
    if (template.seatClass !== undefined) refuse('seatClass', 'a train takes a seat class per coach');
    if (template.backRowOfFive !== undefined) refuse('backRowOfFive', 'applies to bus_2_2 only');
    const names = new Set<string>();
    template.coaches?.forEach((coach, i) => {
      if (names.has(coach.name.toUpperCase())) {
        problems.push({ path: `template/coaches/${i}/name`, message: `coach "${coach.name}" appears twice` });
      }
      names.add(coach.name.toUpperCase());
    });
  } else {
    if (template.rows === undefined) refuse('rows', `${template.type} needs the number of rows`);
    if (template.coaches !== undefined) refuse('coaches', 'applies to train_coach only');
    if (template.backRowOfFive !== undefined && template.type !== 'bus_2_2') {
      refuse('backRowOfFive', 'applies to bus_2_2 only');
    }
  }
  return problems;
}

function seatClassOf(template: VehicleTemplate): string {
  return template.seatClass ?? DEFAULT_SEAT_CLASS[template.type as keyof typeof DEFAULT_SEAT_CLASS];
}

function invalidLayout(problems: LayoutProblem[]): AppError {
  return new AppError('layout.invalid', 'The vehicle layout is not valid', { problems });
}

interface SeatColumn {
  letter: string;
  x: number;
  flags: SeatFlag[];
}

/** Seat columns across a bus, left to right; the aisle runs between the left and right groups. */
const BUS_COLUMNS: Record<'bus_2_2' | 'bus_2_1', SeatColumn[]> = {
  bus_2_2: [
    { letter: 'A', x: 0, flags: ['window'] },
    { letter: 'B', x: PITCH, flags: ['aisle'] },
    { letter: 'C', x: 2 * PITCH + AISLE, flags: ['aisle'] },
    { letter: 'D', x: 3 * PITCH + AISLE, flags: ['window'] },
  ],
  bus_2_1: [
    { letter: 'A', x: 0, flags: ['window'] },
    { letter: 'B', x: PITCH, flags: ['aisle'] },
    { letter: 'C', x: 2 * PITCH + AISLE, flags: ['aisle', 'window'] },
  ],
};

function busDeck(type: 'bus_2_2' | 'bus_2_1', rowCount: number, seatClass: string, backRowOfFive: boolean): SectionDoc {
  const rows: RowDoc[] = [];
  for (let r = 0; r < rowCount; r++) {
    const row = String(r + 1);
    const y = r * ROW_GAP;
    const isBackRow = backRowOfFive && r === rowCount - 1;
    const columns = isBackRow ? backRowColumns() : BUS_COLUMNS[type];
    rows.push({
      name: row,
      seats: columns.map((column) => ({
        label: `${column.letter}${row}`,
        category: seatClass,
        x: column.x,
        y,
        flags: [...column.flags],
      })),
    });
  }
  return { name: 'Main deck', rows };
}

/** The back row of a 2+2 bus spans the aisle: five seats evenly across the full width. */
function backRowColumns(): SeatColumn[] {
  const width = 3 * PITCH + AISLE;
  return ['A', 'B', 'C', 'D', 'E'].map((letter, i) => ({
    letter,
    x: (width * i) / 4,
    flags: i === 0 || i === 4 ? ['window'] : [],
  }));
}

/** One deck of a sleeper coach: per row one berth left of the aisle and two to the right. */
function sleeperDeck(deck: 1 | 2, rowCount: number, seatClass: string): SectionDoc {
  const prefix = deck === 1 ? 'L' : 'U';
  const berthFlag: SeatFlag = deck === 1 ? 'berth_lower' : 'berth_upper';
  const deckX = deck === 1 ? 0 : 3 * PITCH + AISLE + DECK_GAP;
  const columns: SeatColumn[] = [
    { letter: 'A', x: 0, flags: ['window'] },
    { letter: 'B', x: PITCH + AISLE, flags: ['aisle'] },
    { letter: 'C', x: 2 * PITCH + AISLE, flags: ['window'] },
  ];
  const rows: RowDoc[] = [];
  for (let r = 0; r < rowCount; r++) {
    const row = String(r + 1);
    rows.push({
      name: row,
      seats: columns.map((column) => ({
        label: `${prefix}${column.letter}${row}`,
        category: seatClass,
        x: deckX + column.x,
        y: r * BERTH_GAP,
        deck,
        flags: [berthFlag, ...column.flags],
      })),
    });
  }
  return { name: deck === 1 ? 'Lower deck' : 'Upper deck', rows };
}

/**
 * Coaches drawn one below the other. Seats are numbered through each coach (KA-1 … KA-60) as railways
 * print them; the aisle splits a row into a smaller left and larger right group (2+2, 2+3, 1+2).
 */
function trainCoaches(coaches: NonNullable<VehicleTemplate['coaches']>): SectionDoc[] {
  let top = 0;
  return coaches.map((coach) => {
    const left = Math.floor(coach.seatsPerRow / 2);
    const gap = coach.berths ? BERTH_GAP : ROW_GAP;
    const rows: RowDoc[] = [];
    for (let r = 0; r < coach.rows; r++) {
      const seats: SeatDoc[] = [];
      for (let s = 0; s < coach.seatsPerRow; s++) {
        seats.push({
          label: String(r * coach.seatsPerRow + s + 1),
          category: coach.seatClass,
          x: s * PITCH + (s >= left ? AISLE : 0),
          y: top + r * gap,
          flags: coach.berths
            ? [s % 2 === 0 ? 'berth_lower' : 'berth_upper']
            : coachSeatFlags(s, left, coach.seatsPerRow),
        });
      }
      rows.push({ name: String(r + 1), seats });
    }
    top += coach.rows * gap + DECK_GAP;
    return { name: coach.name, rows };
  });
}

function coachSeatFlags(seat: number, left: number, seatsPerRow: number): SeatFlag[] {
  const flags: SeatFlag[] = [];
  if (seat === 0 || seat === seatsPerRow - 1) flags.push('window');
  if (left > 0 && (seat === left - 1 || seat === left)) flags.push('aisle');
  return flags;
}
