/**
 * A seat layout as a document: nested sections (a stadium's tribune → sector, a train's coach) holding
 * rows of seats, plus general-admission areas. Imports (JSON, CSV), vehicle templates and the designer all
 * produce this shape; layout.repository.ts stores it.
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

export interface SeatDoc {
  /** The seat number as printed on the ticket, e.g. "7" or "A3". */
  label: string;
  /** Price tier for venues, seat class for vehicles. */
  category: string;
  x: number;
  y: number;
  deck?: number;
  flags?: SeatFlag[];
}

export interface RowDoc {
  name: string;
  seats: SeatDoc[];
}

export interface SectionDoc {
  name: string;
  sections?: SectionDoc[];
  rows?: RowDoc[];
}

export interface GaAreaDoc {
  name: string;
  category: string;
  capacity: number;
  x?: number;
  y?: number;
}

export interface LayoutDocument {
  name: string;
  kind: 'venue' | 'vehicle';
  vehicleType?: 'bus' | 'sleeper_bus' | 'train_coach' | 'train';
  sections: SectionDoc[];
  gaAreas?: GaAreaDoc[];
}

export function countSeats(layout: LayoutDocument): number {
  const walk = (sections: SectionDoc[] | undefined): number =>
    (sections ?? []).reduce(
      (sum, section) => sum + walk(section.sections) + (section.rows ?? []).reduce((n, row) => n + row.seats.length, 0),
      0,
    );
  return walk(layout.sections);
}
