import type { Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { CouponsTable } from '../db/schema.js';
import { canManageOrganizer, organizerScope, type Principal } from '../auth/principal.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import {
  deleteUnredeemedCoupon,
  findCouponByCode,
  findCouponWithUsage,
  findOwnedInventoryIds,
  findOwnedRouteIds,
  insertCoupon,
  isCouponReferenced,
  listCouponsWithUsage,
  lockCoupon,
  updateCoupon,
  type CouponWithUsage,
} from './coupon.repository.js';
import type { CouponScope, CreateCouponBody, UpdateCouponBody } from './coupon.schemas.js';

/** A coupon as the admin API shows it, with its usage. */
export interface Coupon {
  id: string;
  organizerId: string;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  minOrder: number;
  validFrom: Date | null;
  validTo: Date | null;
  maxRedemptions: number | null;
  perUserMax: number | null;
  scope: { eventIds: string[]; routeIds: string[]; categories: string[] };
  active: boolean;
  usage: { redemptions: number; remaining: number | null; active: number; returned: number };
  createdAt: Date;
  updatedAt: Date;
}

function toCoupon(row: CouponWithUsage): Coupon {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    code: row.code,
    kind: row.kind,
    value: row.value,
    minOrder: row.min_order,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    maxRedemptions: row.max_redemptions,
    perUserMax: row.per_user_max,
    scope: { eventIds: row.scope_event_ids, routeIds: row.scope_route_ids, categories: row.scope_categories },
    active: row.active,
    usage: {
      redemptions: row.redemptions,
      remaining: row.max_redemptions === null ? null : row.max_redemptions - row.redemptions,
      active: Number(row.active_redemptions),
      returned: Number(row.returned_redemptions),
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDate(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** Staff CRUD of coupons: staff manage their own organizer's, admins all; another organizer's answers 404. */
export class CouponService {
  constructor(private readonly db: Db) {}

  private async getOwned(principal: Principal, id: string): Promise<CouponWithUsage> {
    const row = await findCouponWithUsage(this.db, id);
    if (!row || !canManageOrganizer(principal, row.organizer_id)) throw notFound('Coupon', id);
    return row;
  }

  private async checkScope(organizerId: string, scope: CouponScope): Promise<void> {
    const eventIds = scope.eventIds ?? [];
    const routeIds = scope.routeIds ?? [];
    const [events, routes] = await Promise.all([
      findOwnedInventoryIds(this.db, organizerId, eventIds),
      findOwnedRouteIds(this.db, organizerId, routeIds),
    ]);
    const unknownEvents = eventIds.filter((id) => !events.has(id));
    const unknownRoutes = routeIds.filter((id) => !routes.has(id));
    if (unknownEvents.length > 0 || unknownRoutes.length > 0) {
      throw new AppError('request.invalid', "The coupon's scope names events, trips or routes of no such organizer", {
        unknownEventIds: unknownEvents,
        unknownRouteIds: unknownRoutes,
      });
    }
  }

  private static checkTerms(terms: {
    kind: 'percent' | 'fixed';
    value: number;
    validFrom: Date | null;
    validTo: Date | null;
  }) {
    if (terms.kind === 'percent' && terms.value > 100) {
      throw new AppError('request.invalid', 'A percentage coupon takes a value from 1 to 100', { value: terms.value });
    }
    if (terms.validFrom && terms.validTo && terms.validTo <= terms.validFrom) {
      throw new AppError('request.invalid', 'validTo must be after validFrom');
    }
  }

  private async checkCodeFree(organizerId: string, code: string, exceptId?: string): Promise<void> {
    const existing = await findCouponByCode(this.db, organizerId, code);
    if (existing && existing.id !== exceptId) {
      throw new AppError('coupon.code_taken', `The organizer already has a coupon ${code}`, { code });
    }
  }

  async createCoupon(principal: Principal, input: CreateCouponBody): Promise<Coupon> {
    if (!canManageOrganizer(principal, input.organizerId)) throw notFound('Organizer', input.organizerId);
    const organizer = await this.db
      .selectFrom('organizers')
      .select('id')
      .where('id', '=', input.organizerId)
      .executeTakeFirst();
    if (!organizer) throw notFound('Organizer', input.organizerId);
    const validFrom = input.validFrom ? new Date(input.validFrom) : null;
    const validTo = input.validTo ? new Date(input.validTo) : null;
    CouponService.checkTerms({ kind: input.kind, value: input.value, validFrom, validTo });
    const scope = input.scope ?? {};
    await this.checkScope(input.organizerId, scope);
    await this.checkCodeFree(input.organizerId, input.code);
    const id = newId('coupon');
    try {
      await insertCoupon(this.db, {
        id,
        organizer_id: input.organizerId,
        code: input.code,
        kind: input.kind,
        value: input.value,
        min_order: input.minOrder ?? 0,
        valid_from: validFrom,
        valid_to: validTo,
        max_redemptions: input.maxRedemptions ?? null,
        per_user_max: input.perUserMax ?? null,
        scope_event_ids: scope.eventIds ?? [],
        scope_route_ids: scope.routeIds ?? [],
        scope_categories: scope.categories ?? [],
        active: input.active ?? true,
      });
    } catch (error) {
      // Two creators of one code at once: the unique index decides.
      if (isUniqueViolation(error))
        throw new AppError('coupon.code_taken', `The organizer already has a coupon ${input.code}`);
      throw error;
    }
    return toCoupon(await this.getOwned(principal, id));
  }

  async listCoupons(
    principal: Principal,
    filter: { organizerId?: string; active?: boolean; limit: number; offset: number },
  ): Promise<Coupon[]> {
    const scope = organizerScope(principal);
    if (scope !== undefined && filter.organizerId !== undefined && filter.organizerId !== scope) return [];
    const organizerId = scope ?? filter.organizerId;
    const rows = await listCouponsWithUsage(this.db, {
      ...(organizerId !== undefined ? { organizerId } : {}),
      ...(filter.active !== undefined ? { active: filter.active } : {}),
      limit: filter.limit,
      offset: filter.offset,
    });
    return rows.map(toCoupon);
  }

  async getCoupon(principal: Principal, id: string): Promise<Coupon> {
    return toCoupon(await this.getOwned(principal, id));
  }

  /** Changes a coupon. The cap cannot go below the redemptions already counted (409 coupon.redeemed). */
  async updateCoupon(principal: Principal, id: string, input: UpdateCouponBody): Promise<Coupon> {
    const current = await this.getOwned(principal, id);
    if (input.scope) await this.checkScope(current.organizer_id, input.scope);
    if (input.code !== undefined) await this.checkCodeFree(current.organizer_id, input.code, id);
    try {
      await this.db.transaction().execute(async (trx) => {
        const locked = await lockCoupon(trx, id);
        if (!locked) throw notFound('Coupon', id);
        const validFrom = input.validFrom === undefined ? locked.valid_from : toDate(input.validFrom);
        const validTo = input.validTo === undefined ? locked.valid_to : toDate(input.validTo);
        CouponService.checkTerms({
          kind: input.kind ?? locked.kind,
          value: input.value ?? locked.value,
          validFrom,
          validTo,
        });
        if (input.maxRedemptions != null && input.maxRedemptions < locked.redemptions) {
          throw new AppError(
            'coupon.redeemed',
            `The coupon is already redeemed ${locked.redemptions} times; the cap cannot go below that`,
            { redemptions: locked.redemptions },
          );
        }
        const changes: Updateable<CouponsTable> = { updated_at: new Date(), valid_from: validFrom, valid_to: validTo };
        if (input.code !== undefined) changes.code = input.code;
        if (input.kind !== undefined) changes.kind = input.kind;
        if (input.value !== undefined) changes.value = input.value;
        if (input.minOrder !== undefined) changes.min_order = input.minOrder;
        if (input.maxRedemptions !== undefined) changes.max_redemptions = input.maxRedemptions;
        if (input.perUserMax !== undefined) changes.per_user_max = input.perUserMax;
        if (input.active !== undefined) changes.active = input.active;
        if (input.scope) {
          changes.scope_event_ids = input.scope.eventIds ?? [];
          changes.scope_route_ids = input.scope.routeIds ?? [];
          changes.scope_categories = input.scope.categories ?? [];
        }
        await updateCoupon(trx, id, changes);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('coupon.code_taken', `The organizer already has a coupon ${input.code}`);
      throw error;
    }
    return toCoupon(await this.getOwned(principal, id));
  }

  /** Deletes a coupon no order ever used; one that was redeemed answers 409 coupon.redeemed (deactivate it). */
  async deleteCoupon(principal: Principal, id: string): Promise<void> {
    await this.getOwned(principal, id);
    await this.db.transaction().execute(async (trx) => {
      if (!(await lockCoupon(trx, id))) throw notFound('Coupon', id);
      if ((await isCouponReferenced(trx, id)) || !(await deleteUnredeemedCoupon(trx, id))) {
        throw new AppError('coupon.redeemed', 'This coupon has been redeemed; deactivate it instead (active: false)');
      }
    });
  }
}
