import { canManageOrganizer, scopeOrganizerFilter, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { parseLayoutCsv, parseLayoutJson, type LayoutImport } from './layout-import.js';
import type { LayoutDocument, SectionDoc } from './layout.model.js';
import { deleteLayoutIfUnused, insertLayout, readLayoutContents, type LayoutContents } from './layout.repository.js';
import { checkTimeZone } from './organizer.service.js';
import { findOrganizer } from './organizer.repository.js';
import {
  countVenueEvents,
  deleteVenue,
  findVenue,
  insertVenue,
  listVenues,
  lockVenue,
  updateVenue,
  type VenueWithLayout,
} from './venue.repository.js';

/** A place with a seat layout: a cinema screen, a hall, a stadium. */
export interface Venue {
  id: string;
  organizerId: string;
  name: string;
  city: string;
  address: string;
  timezone: string;
  layoutId: string | null;
  seatCount: number;
  gaCapacity: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface VenueInput {
  organizerId: string;
  name: string;
  city: string;
  address?: string;
  timezone: string;
}

export type VenueChanges = Partial<Omit<VenueInput, 'organizerId'>>;

/** A seat-layout file as uploaded: our JSON format (already parsed) or CSV text. */
export type LayoutUpload = { format: 'json'; document: unknown } | { format: 'csv'; text: string; name?: string };

export interface ImportedLayout {
  layoutId: string;
  seatCount: number;
  gaCapacity: number;
  sections: number;
  categories: string[];
}

function toVenue(row: VenueWithLayout): Venue {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    name: row.name,
    city: row.city,
    address: row.address,
    timezone: row.timezone,
    layoutId: row.layout_id,
    seatCount: row.seat_count,
    gaCapacity: row.ga_capacity,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function countSections(sections: SectionDoc[] | undefined): number {
  return (sections ?? []).reduce((sum, section) => sum + 1 + countSections(section.sections), 0);
}

function categoriesOf(layout: LayoutDocument): string[] {
  const categories = new Set<string>((layout.gaAreas ?? []).map((area) => area.category));
  const visit = (section: SectionDoc) => {
    for (const row of section.rows ?? []) for (const seat of row.seats) categories.add(seat.category);
    section.sections?.forEach(visit);
  };
  layout.sections.forEach(visit);
  return [...categories].sort();
}

/**
 * Venues and their seat layouts. A new layout import never changes the layout of existing events. Staff
 * manage only their organizer's venues: another organizer's answers 404, as if it did not exist.
 */
export class VenueService {
  constructor(private readonly db: Db) {}

  async createVenue(principal: Principal, input: VenueInput): Promise<Venue> {
    const timezone = checkTimeZone(input.timezone);
    if (!canManageOrganizer(principal, input.organizerId) || !(await findOrganizer(this.db, input.organizerId))) {
      throw notFound('Organizer', input.organizerId);
    }
    const id = newId('venue');
    await insertVenue(this.db, { ...input, id, address: input.address ?? '', timezone });
    return this.readVenue(id);
  }

  async listVenues(
    principal: Principal,
    filter: { organizerId?: string; city?: string; limit: number; offset: number },
  ): Promise<Venue[]> {
    const scope = scopeOrganizerFilter(principal, filter.organizerId);
    if (!scope) return [];
    const { organizerId, ...rest } = { ...filter, ...scope };
    return (await listVenues(this.db, { ...rest, ...(organizerId !== undefined && { organizerId }) })).map(toVenue);
  }

  async getVenue(principal: Principal, id: string): Promise<Venue> {
    const venue = await this.readVenue(id);
    if (!canManageOrganizer(principal, venue.organizerId)) throw notFound('Venue', id);
    return venue;
  }

  async updateVenue(principal: Principal, id: string, changes: VenueChanges): Promise<Venue> {
    const timezone = changes.timezone === undefined ? undefined : checkTimeZone(changes.timezone);
    await this.db.transaction().execute(async (trx) => {
      const venue = await lockVenue(trx, id);
      if (!venue || !canManageOrganizer(principal, venue.organizer_id)) throw notFound('Venue', id);
      await updateVenue(trx, id, { ...changes, ...(timezone ? { timezone } : {}) });
    });
    return this.readVenue(id);
  }

  async deleteVenue(principal: Principal, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const venue = await lockVenue(trx, id);
      if (!venue || !canManageOrganizer(principal, venue.organizer_id)) throw notFound('Venue', id);
      const events = await countVenueEvents(trx, id);
      if (events > 0) {
        throw new AppError('resource.in_use', `Venue ${id} still has ${events} events; delete them first`, { events });
      }
      await deleteVenue(trx, id);
      if (venue.layout_id) await deleteLayoutIfUnused(trx, venue.layout_id);
    });
  }

  /**
   * Validates an uploaded layout and makes it the venue's current layout, as a new immutable layout.
   * Every problem of an invalid file is listed (400 layout.invalid) and nothing is stored.
   */
  async importLayout(principal: Principal, venueId: string, upload: LayoutUpload): Promise<ImportedLayout> {
    const venue = await this.getVenue(principal, venueId);
    const parsed: LayoutImport =
      upload.format === 'json'
        ? parseLayoutJson(upload.document)
        : parseLayoutCsv(upload.text, upload.name ?? `${venue.name} layout`);
    if (!parsed.ok) {
      throw new AppError(
        'layout.invalid',
        `The layout has ${parsed.problemCount} problem${parsed.problemCount === 1 ? '' : 's'}; nothing was imported`,
        {
          problems: parsed.problems,
          problemCount: parsed.problemCount,
          truncated: parsed.problemCount > parsed.problems.length,
        },
      );
    }
    const layout = await this.db.transaction().execute(async (trx) => {
      const current = await lockVenue(trx, venueId);
      if (!current || !canManageOrganizer(principal, current.organizer_id)) throw notFound('Venue', venueId);
      const inserted = await insertLayout(trx, current.organizer_id, parsed.layout);
      await updateVenue(trx, venueId, { layout_id: inserted.id });
      // The previous layout goes unless an event (or anything else) still uses it.
      if (current.layout_id) await deleteLayoutIfUnused(trx, current.layout_id);
      return inserted;
    });
    return {
      layoutId: layout.id,
      seatCount: layout.seat_count,
      gaCapacity: layout.ga_capacity,
      sections: countSections(parsed.layout.sections),
      categories: categoriesOf(parsed.layout),
    };
  }

  /** The venue's current layout, whole, for export. */
  async readCurrentLayout(principal: Principal, venueId: string): Promise<LayoutContents> {
    const venue = await this.getVenue(principal, venueId);
    if (!venue.layoutId) {
      throw new AppError('resource.not_found', `Venue ${venueId} has no seat layout yet; import one first`, {
        id: venueId,
      });
    }
    const contents = await readLayoutContents(this.db, venue.layoutId);
    if (!contents) throw notFound('Layout', venue.layoutId);
    return contents;
  }

  private async readVenue(id: string): Promise<Venue> {
    const row = await findVenue(this.db, id);
    if (!row) throw notFound('Venue', id);
    return toVenue(row);
  }
}
