import type { Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { RefundPoliciesTable } from '../db/schema.js';
import { canManageOrganizer, organizerScope, type Principal } from '../auth/principal.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { validateRefundRules, type RefundRule } from './refund-policy.js';
import {
  deleteRefundPolicy,
  findRefundPolicy,
  insertRefundPolicy,
  listRefundPolicies,
  scopeTargetExists,
  updateRefundPolicy,
  type RefundPolicyRow,
} from './refund-policy.repository.js';
import type { CreateRefundPolicyBody, UpdateRefundPolicyBody } from './refund-policy.schemas.js';

/** A refund policy as the admin API shows it. */
export interface RefundPolicy {
  id: string;
  organizerId: string;
  name: string;
  scopeKind: 'organizer' | 'event' | 'route';
  scopeId: string;
  rules: RefundRule[];
  minFee: number;
  createdAt: Date;
  updatedAt: Date;
}

function toRefundPolicy(row: RefundPolicyRow): RefundPolicy {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    name: row.name,
    scopeKind: row.scope_kind,
    scopeId: row.scope_id,
    rules: row.rules,
    minFee: row.min_fee,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkRules(rules: readonly RefundRule[]): void {
  const problems = validateRefundRules(rules);
  if (problems.length > 0) throw new AppError('refund_policy.invalid', 'The refund rules are not valid', { problems });
}

/** Keeps only the fields the engine knows, in a stable shape, for storing. */
function normalizeRules(rules: readonly RefundRule[]): RefundRule[] {
  return rules.map((rule) => ({
    minHoursBefore: rule.minHoursBefore,
    feePercent: rule.feePercent,
    feeFlat: rule.feeFlat,
    ...(rule.feeMode !== undefined ? { feeMode: rule.feeMode } : {}),
    ...(rule.feeFlatByCategory !== undefined ? { feeFlatByCategory: rule.feeFlatByCategory } : {}),
  }));
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * Staff CRUD of refund policies: one default per organizer, overridable per event or route. Staff manage
 * their own organizer's; another organizer's policy answers 404.
 */
export class RefundPolicyService {
  constructor(private readonly db: Db) {}

  private async getOwned(principal: Principal, id: string): Promise<RefundPolicyRow> {
    const row = await findRefundPolicy(this.db, id);
    if (!row || !canManageOrganizer(principal, row.organizer_id)) throw notFound('Refund policy', id);
    return row;
  }

  async createPolicy(principal: Principal, input: CreateRefundPolicyBody): Promise<RefundPolicy> {
    if (!canManageOrganizer(principal, input.organizerId)) throw notFound('Organizer', input.organizerId);
    const organizer = await this.db
      .selectFrom('organizers')
      .select('id')
      .where('id', '=', input.organizerId)
      .executeTakeFirst();
    if (!organizer) throw notFound('Organizer', input.organizerId);
    let scopeId: string;
    if (input.scopeKind === 'organizer') {
      if (input.scopeId !== undefined && input.scopeId !== input.organizerId) {
        throw new AppError('refund_policy.invalid', 'An organizer policy takes no scopeId (or the organizer id)');
      }
      scopeId = input.organizerId;
    } else {
      if (input.scopeId === undefined) {
        throw new AppError(
          'refund_policy.invalid',
          `A ${input.scopeKind} policy needs scopeId: the ${input.scopeKind} id`,
        );
      }
      if (!(await scopeTargetExists(this.db, input.organizerId, input.scopeKind, input.scopeId))) {
        throw notFound(input.scopeKind === 'event' ? 'Event' : 'Route', input.scopeId);
      }
      scopeId = input.scopeId;
    }
    checkRules(input.rules);
    const id = newId('refundPolicy');
    try {
      await insertRefundPolicy(this.db, {
        id,
        organizer_id: input.organizerId,
        name: input.name,
        scope_kind: input.scopeKind,
        scope_id: scopeId,
        rules: JSON.stringify(normalizeRules(input.rules)),
        min_fee: input.minFee ?? 0,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('refund_policy.exists', `There is already a refund policy for this ${input.scopeKind}`, {
          scopeKind: input.scopeKind,
          scopeId,
        });
      }
      throw error;
    }
    return toRefundPolicy(await this.getOwned(principal, id));
  }

  async listPolicies(
    principal: Principal,
    filter: { organizerId?: string; scopeKind?: 'organizer' | 'event' | 'route'; limit: number; offset: number },
  ): Promise<RefundPolicy[]> {
    const scope = organizerScope(principal);
    if (scope !== undefined && filter.organizerId !== undefined && filter.organizerId !== scope) return [];
    const organizerId = scope ?? filter.organizerId;
    const rows = await listRefundPolicies(this.db, {
      ...(organizerId !== undefined ? { organizerId } : {}),
      ...(filter.scopeKind !== undefined ? { scopeKind: filter.scopeKind } : {}),
      limit: filter.limit,
      offset: filter.offset,
    });
    return rows.map(toRefundPolicy);
  }

  async getPolicy(principal: Principal, id: string): Promise<RefundPolicy> {
    return toRefundPolicy(await this.getOwned(principal, id));
  }

  /** Changes name, rules or minimum fee; applies to cancellations quoted from now on. */
  async updatePolicy(principal: Principal, id: string, input: UpdateRefundPolicyBody): Promise<RefundPolicy> {
    await this.getOwned(principal, id);
    const changes: Updateable<RefundPoliciesTable> = { updated_at: new Date() };
    if (input.name !== undefined) changes.name = input.name;
    if (input.minFee !== undefined) changes.min_fee = input.minFee;
    if (input.rules !== undefined) {
      checkRules(input.rules);
      changes.rules = JSON.stringify(normalizeRules(input.rules));
    }
    await updateRefundPolicy(this.db, id, changes);
    return toRefundPolicy(await this.getOwned(principal, id));
  }

  /** Deletes a policy; sales it governed fall back to the organizer's default, else the built-in default. */
  async deletePolicy(principal: Principal, id: string): Promise<void> {
    await this.getOwned(principal, id);
    await deleteRefundPolicy(this.db, id);
  }
}
