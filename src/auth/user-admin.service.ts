import type { Db } from '../db/client.js';
import { findOrganizer } from '../catalog/organizer.repository.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { toAccount, normalizeEmail, type Account } from './auth.service.js';
import { hashPassword } from './password.js';
import { canManageOrganizer, type Principal } from './principal.js';
import { insertUserUnlessEmailTaken, listUsers } from './user.repository.js';

export interface StaffAccountInput {
  email: string;
  password: string;
  name: string;
  role: 'staff' | 'admin';
  organizerId?: string | undefined;
}

export interface UserFilter {
  role?: 'customer' | 'staff' | 'admin' | undefined;
  organizerId?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * Accounts that only an admin or organizer staff create: platform admins (by admins) and organizer staff
 * (by admins for any organizer, by staff for their own). Customers register themselves.
 */
export class UserAdminService {
  constructor(private readonly db: Db) {}

  async createAccount(principal: Principal, input: StaffAccountInput): Promise<Account> {
    let organizerId: string | null = null;
    if (input.role === 'admin') {
      if (principal.role !== 'admin') throw new AppError('auth.forbidden', 'Only a platform admin can create admins');
      if (input.organizerId !== undefined) {
        throw new AppError('request.invalid', 'A platform admin belongs to no organizer', [
          { field: 'body/organizerId', message: 'must be absent for role admin' },
        ]);
      }
    } else {
      // Staff add colleagues to their own organizer; naming another one is the same as naming none that exists.
      organizerId = input.organizerId ?? (principal.role === 'staff' ? principal.organizerId : null);
      if (organizerId === null) {
        throw new AppError('request.invalid', 'Staff work for one organizer: send organizerId', [
          { field: 'body/organizerId', message: 'is required for role staff' },
        ]);
      }
      if (!canManageOrganizer(principal, organizerId) || !(await findOrganizer(this.db, organizerId))) {
        throw notFound('Organizer', organizerId);
      }
    }
    const { email, normalized } = normalizeEmail(input.email);
    const row = await insertUserUnlessEmailTaken(this.db, {
      id: newId('user'),
      email,
      email_normalized: normalized,
      password_hash: await hashPassword(input.password),
      name: input.name.trim(),
      role: input.role,
      organizer_id: organizerId,
    });
    if (!row) throw new AppError('auth.email_taken', 'An account with this email already exists');
    return toAccount(row);
  }

  /** Admins list every account (optionally filtered); staff list the staff of their own organizer. */
  async listAccounts(principal: Principal, filter: UserFilter): Promise<Account[]> {
    if (principal.role === 'admin') return (await listUsers(this.db, filter)).map(toAccount);
    const own = principal.organizerId;
    if (own === null || (filter.organizerId !== undefined && filter.organizerId !== own)) return [];
    if (filter.role !== undefined && filter.role !== 'staff') return [];
    return (await listUsers(this.db, { ...filter, role: 'staff', organizerId: own })).map(toAccount);
  }
}
