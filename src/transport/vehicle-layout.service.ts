import { canManageOrganizer, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { LayoutRow } from '../db/schema.js';
import { findLayout, insertLayout, readLayoutContents } from '../catalog/layout.repository.js';
import { AppError, notFound } from '../shared/errors.js';
import { findOrganizer } from './network.repository.js';
import type { CreateVehicleLayoutBody } from './transport-admin.schemas.js';
import { countSeatsByClass, listVehicleLayoutsOfOrganizer } from './vehicle-layout.repository.js';
import { buildVehicleLayout, explicitVehicleLayout } from './vehicle-templates.js';

export interface VehicleLayout {
  id: string;
  organizerId: string;
  name: string;
  vehicleType: LayoutRow['vehicle_type'];
  decks: number;
  seatCount: number;
  classes: { seatClass: string; seatCount: number }[];
}

export interface VehicleLayoutDetail extends VehicleLayout {
  sections: { id: string; name: string }[];
  seats: {
    id: string;
    sectionId: string;
    row: string;
    label: string;
    fullLabel: string;
    seatClass: string;
    x: number;
    y: number;
    deck: number;
    flags: string[];
  }[];
}

/** Creates an immutable vehicle layout from a template or from explicit sections, rows and seats. */
export async function createVehicleLayout(
  db: Db,
  principal: Principal,
  input: CreateVehicleLayoutBody,
): Promise<VehicleLayout> {
  if ((input.template === undefined) === (input.layout === undefined)) {
    throw new AppError('request.invalid', 'Send exactly one of template or layout');
  }
  const document = input.template
    ? buildVehicleLayout(input.name, input.template)
    : explicitVehicleLayout(input.name, input.layout!);
  return db.transaction().execute(async (trx) => {
    await requireManagedOrganizer(trx, principal, input.organizerId);
    const row = await insertLayout(trx, input.organizerId, document);
    const [summary] = await summarize(trx, [row]);
    return summary!;
  });
}

export async function listVehicleLayouts(db: Db, principal: Principal, organizerId: string): Promise<VehicleLayout[]> {
  await requireManagedOrganizer(db, principal, organizerId);
  return summarize(db, await listVehicleLayoutsOfOrganizer(db, organizerId));
}

export async function getVehicleLayout(db: Db, principal: Principal, layoutId: string): Promise<VehicleLayoutDetail> {
  const layout = await findLayout(db, layoutId);
  if (!layout || layout.kind !== 'vehicle' || !canManageOrganizer(principal, layout.organizer_id)) {
    throw notFound('Vehicle layout', layoutId);
  }
  const contents = await readLayoutContents(db, layoutId);
  if (!contents) throw notFound('Vehicle layout', layoutId);
  const [summary] = await summarize(db, [contents.layout]);
  return {
    ...summary!,
    sections: contents.sections.map((section) => ({ id: section.id, name: section.path })),
    seats: contents.seats.map((seat) => ({
      id: seat.id,
      sectionId: seat.section_id,
      row: seat.row_label,
      label: seat.seat_label,
      fullLabel: seat.label,
      seatClass: seat.category,
      x: seat.x,
      y: seat.y,
      deck: seat.deck,
      flags: seat.flags,
    })),
  };
}

/**
 * Checks that an organizer's route or trip may run with a layout: it exists and the caller may see it
 * (else 404), is a vehicle layout and belongs to the same organizer (else 400).
 */
export async function requireUsableVehicleLayout(
  db: Db,
  principal: Principal,
  organizerId: string,
  layoutId: string,
  field: string,
): Promise<void> {
  const layout = await findLayout(db, layoutId);
  if (!layout || !canManageOrganizer(principal, layout.organizer_id)) throw notFound('Vehicle layout', layoutId);
  if (layout.kind !== 'vehicle') {
    throw new AppError('catalog.invalid', `Layout ${layoutId} is a venue layout, not a vehicle layout`, {
      problems: [{ path: field, message: 'is not a vehicle layout' }],
    });
  }
  if (layout.organizer_id !== organizerId) {
    throw new AppError('catalog.invalid', `Layout ${layoutId} belongs to another organizer`, {
      problems: [{ path: field, message: 'belongs to another organizer' }],
    });
  }
}

async function requireManagedOrganizer(db: Db, principal: Principal, organizerId: string): Promise<void> {
  if (!canManageOrganizer(principal, organizerId) || !(await findOrganizer(db, organizerId))) {
    throw notFound('Organizer', organizerId);
  }
}

async function summarize(db: Db, layouts: LayoutRow[]): Promise<VehicleLayout[]> {
  const counts = await countSeatsByClass(
    db,
    layouts.map((layout) => layout.id),
  );
  return layouts.map((layout) => ({
    id: layout.id,
    organizerId: layout.organizer_id,
    name: layout.name,
    vehicleType: layout.vehicle_type,
    decks: layout.decks,
    seatCount: layout.seat_count,
    classes: counts
      .filter((count) => count.layout_id === layout.id)
      .map((count) => ({ seatClass: count.category, seatCount: Number(count.seat_count) })),
  }));
}
