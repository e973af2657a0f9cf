import { assertAdmin, canManageOrganizer, organizerScope, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { OrganizerRow, OrganizerUpdate } from '../db/schema.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { canonicalTimeZone } from '../shared/time.js';
import {
  countOrganizerUsage,
  deleteOrganizer,
  findOrganizer,
  insertOrganizer,
  listOrganizers,
  lockOrganizer,
  slugTaken,
  updateOrganizer,
} from './organizer.repository.js';
import { slugify } from './slug.js';

/** A seller: a cinema chain, a bus operator, a promoter. Its prices are in its currency. */
export interface Organizer {
  id: string;
  name: string;
  slug: string;
  currency: string;
  timezone: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrganizerInput {
  name: string;
  slug?: string;
  currency: string;
  timezone: string;
}

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function toOrganizer(row: OrganizerRow): Organizer {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    currency: row.currency,
    timezone: row.timezone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkCurrency(currency: string): string {
  if (!ISO_CURRENCIES.has(currency)) {
    throw new AppError('catalog.invalid', `${currency} is not an ISO 4217 currency code`, { field: 'currency' });
  }
  return currency;
}

/** The IANA name of a time zone as Intl spells it; a 400 naming the field when the zone is unknown. */
export function checkTimeZone(timeZone: string, field = 'timezone'): string {
  const canonical = canonicalTimeZone(timeZone);
  if (!canonical) throw new AppError('catalog.invalid', `${timeZone} is not an IANA time zone`, { field });
  return canonical;
}

/**
 * Organizers: create, read, update, delete (only when nothing belongs to them any more). Admins create and
 * delete them; staff read and change only their own (another organizer answers 404).
 */
export class OrganizerService {
  constructor(private readonly db: Db) {}

  async createOrganizer(principal: Principal, input: OrganizerInput): Promise<Organizer> {
    assertAdmin(principal, 'create organizers');
    const currency = checkCurrency(input.currency);
    const timezone = checkTimeZone(input.timezone);
    const id = newId('organizer');
    if (input.slug !== undefined && (await slugTaken(this.db, input.slug))) {
      throw new AppError('resource.conflict', `The slug ${input.slug} is already taken`, { field: 'slug' });
    }
    const slug = input.slug ?? (await this.freeSlugFor(input.name, id));
    const row = await insertOrganizer(this.db, { id, name: input.name, slug, currency, timezone });
    return toOrganizer(row);
  }

  async listOrganizers(principal: Principal, page: { limit: number; offset: number }): Promise<Organizer[]> {
    return (await listOrganizers(this.db, { ...page, id: organizerScope(principal) })).map(toOrganizer);
  }

  async getOrganizer(principal: Principal, id: string): Promise<Organizer> {
    const row = canManageOrganizer(principal, id) ? await findOrganizer(this.db, id) : undefined;
    if (!row) throw notFound('Organizer', id);
    return toOrganizer(row);
  }

  async updateOrganizer(principal: Principal, id: string, input: Partial<OrganizerInput>): Promise<Organizer> {
    if (!canManageOrganizer(principal, id)) throw notFound('Organizer', id);
    const changes: OrganizerUpdate = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.slug !== undefined) changes.slug = input.slug;
    if (input.currency !== undefined) changes.currency = checkCurrency(input.currency);
    if (input.timezone !== undefined) changes.timezone = checkTimeZone(input.timezone);

    const row = await this.db.transaction().execute(async (trx) => {
      const current = await lockOrganizer(trx, id);
      if (!current) throw notFound('Organizer', id);
      if (changes.slug !== undefined && changes.slug !== current.slug && (await slugTaken(trx, changes.slug))) {
        throw new AppError('resource.conflict', `The slug ${changes.slug} is already taken`, { field: 'slug' });
      }
      if (changes.currency !== undefined && changes.currency !== current.currency) {
        // Prices and fares are stored in minor units of this currency; changing it would reprice them.
        const usage = await countOrganizerUsage(trx, id);
        if (usage.events > 0 || usage.routes > 0) {
          throw new AppError('resource.in_use', 'The currency cannot change once the organizer has events or routes', {
            events: usage.events,
            routes: usage.routes,
          });
        }
      }
      return updateOrganizer(trx, id, changes);
    });
    return toOrganizer(row);
  }

  async deleteOrganizer(principal: Principal, id: string): Promise<void> {
    assertAdmin(principal, 'delete organizers');
    await this.db.transaction().execute(async (trx) => {
      const current = await lockOrganizer(trx, id);
      if (!current) throw notFound('Organizer', id);
      const usage = await countOrganizerUsage(trx, id);
      if (Object.values(usage).some((count) => count > 0)) {
        throw new AppError(
          'resource.in_use',
          'Delete the venues, events, stops, routes and trips of this organizer first',
          usage,
        );
      }
      // Its seat layouts go with it (ON DELETE CASCADE); nothing uses them any more.
      await deleteOrganizer(trx, id);
    });
  }

  /** The slug of the name, made unique with a number ("dhaka-live-2"), or from the id for non-Latin names. */
  private async freeSlugFor(name: string, id: string): Promise<string> {
    const base = slugify(name) || id.replace('_', '-');
    for (let n = 1; n <= 20; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await slugTaken(this.db, candidate))) return candidate;
    }
    return `${base}-${id.slice(id.indexOf('_') + 1)}`;
  }
}
