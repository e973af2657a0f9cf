import type { Insertable, Transaction } from 'kysely';
import type {
  Database,
  LayoutGaAreaRow,
  LayoutRow,
  LayoutSeatRow,
  LayoutSeatsTable,
  LayoutSectionRow,
} from '../db/schema.js';
import type { Db } from '../db/client.js';
import { newId } from '../shared/ids.js';
import type { LayoutDocument, SectionDoc } from './layout.model.js';

const CHUNK = 2000; // rows per INSERT: 2000 × 12 columns stays far below PostgreSQL's 65,535 parameters

/** Stores a validated layout document as an immutable layout; returns the new layout row. */
export async function insertLayout(
  trx: Transaction<Database>,
  organizerId: string,
  layout: LayoutDocument,
): Promise<LayoutRow> {
  const layoutId = newId('layout');
  const sections: LayoutSectionRow[] = [];
  const seats: Insertable<LayoutSeatsTable>[] = [];
  let decks = 1;

  const visit = (section: SectionDoc, parent: LayoutSectionRow | null) => {
    const row: LayoutSectionRow = {
      id: newId('section'),
      layout_id: layoutId,
      parent_id: parent?.id ?? null,
      name: section.name,
      path: parent ? `${parent.path} / ${section.name}` : section.name,
      ordinal: sections.length,
    };
    sections.push(row);
    for (const seatRow of section.rows ?? []) {
      for (const seat of seatRow.seats) {
        const deck = seat.deck ?? 1;
        decks = Math.max(decks, deck);
        seats.push({
          id: newId('seat'),
          layout_id: layoutId,
          section_id: row.id,
          row_label: seatRow.name,
          seat_label: seat.label,
          label: seatRow.name
            ? `${row.path} · Row ${seatRow.name} · Seat ${seat.label}`
            : `${row.path} · Seat ${seat.label}`,
          category: seat.category,
          x: seat.x,
          y: seat.y,
          deck,
          flags: seat.flags ?? [],
          ordinal: seats.length,
        });
      }
    }
    for (const child of section.sections ?? []) visit(child, row);
  };
  for (const section of layout.sections) visit(section, null);

  const gaAreas = (layout.gaAreas ?? []).map((area) => ({
    id: newId('area'),
    layout_id: layoutId,
    name: area.name,
    category: area.category,
    capacity: area.capacity,
    x: area.x ?? 0,
    y: area.y ?? 0,
  }));

  const inserted = await trx
    .insertInto('seat_layouts')
    .values({
      id: layoutId,
      organizer_id: organizerId,
      name: layout.name,
      kind: layout.kind,
      vehicle_type: layout.vehicleType ?? null,
      decks,
      seat_count: seats.length,
      ga_capacity: gaAreas.reduce((sum, area) => sum + area.capacity, 0),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (let i = 0; i < sections.length; i += CHUNK) {
    await trx
      .insertInto('layout_sections')
      .values(sections.slice(i, i + CHUNK))
      .execute();
  }
  for (let i = 0; i < seats.length; i += CHUNK) {
    await trx
      .insertInto('layout_seats')
      .values(seats.slice(i, i + CHUNK))
      .execute();
  }
  if (gaAreas.length > 0) await trx.insertInto('layout_ga_areas').values(gaAreas).execute();
  return inserted;
}

export function findLayout(db: Db | Transaction<Database>, layoutId: string): Promise<LayoutRow | undefined> {
  return db.selectFrom('seat_layouts').selectAll().where('id', '=', layoutId).executeTakeFirst();
}

export interface LayoutContents {
  layout: LayoutRow;
  sections: LayoutSectionRow[];
  seats: LayoutSeatRow[];
  gaAreas: LayoutGaAreaRow[];
}

/** A whole layout in drawing order (sections by ordinal, seats by ordinal). */
export async function readLayoutContents(db: Db, layoutId: string): Promise<LayoutContents | undefined> {
  const layout = await findLayout(db, layoutId);
  if (!layout) return undefined;
  const [sections, seats, gaAreas] = await Promise.all([
    db.selectFrom('layout_sections').selectAll().where('layout_id', '=', layoutId).orderBy('ordinal').execute(),
    db.selectFrom('layout_seats').selectAll().where('layout_id', '=', layoutId).orderBy('ordinal').execute(),
    db.selectFrom('layout_ga_areas').selectAll().where('layout_id', '=', layoutId).orderBy('name').execute(),
  ]);
  return { layout, sections, seats, gaAreas };
}

/** The price categories a layout uses (seats and general-admission areas), sorted. */
export async function findLayoutCategories(db: Db | Transaction<Database>, layoutId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('layout_seats')
    .select('category')
    .where('layout_id', '=', layoutId)
    .union(db.selectFrom('layout_ga_areas').select('category').where('layout_id', '=', layoutId))
    .execute();
  return rows.map((row) => row.category).sort();
}

export function findLayoutGaAreas(db: Db | Transaction<Database>, layoutId: string): Promise<LayoutGaAreaRow[]> {
  return db.selectFrom('layout_ga_areas').selectAll().where('layout_id', '=', layoutId).orderBy('name').execute();
}

/**
 * Deletes a layout that nothing points at any more (no venue, event, route or trip), e.g. the one a venue
 * used before a new import. Layouts in use stay: events keep the layout they were created with.
 */
export async function deleteLayoutIfUnused(trx: Transaction<Database>, layoutId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('seat_layouts')
    .where('id', '=', layoutId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('venues')
            .select('id')
            .where('layout_id', '=', layoutId)
            .unionAll(selectFrom('events').select('id').where('layout_id', '=', layoutId))
            .unionAll(selectFrom('routes').select('id').where('default_layout_id', '=', layoutId))
            .unionAll(selectFrom('trips').select('id').where('layout_id', '=', layoutId)),
        ),
      ),
    )
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
