import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { UserRole } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { burnPasswordCheck, generatePassword, hashPassword, verifyPassword } from './password.js';
import {
  findFirstAdmin,
  findUserByEmail,
  findUserById,
  insertRefreshToken,
  insertUserUnlessEmailTaken,
  lockRefreshTokenByHash,
  markRefreshTokenRotated,
  revokeRefreshTokenByHash,
  revokeRefreshTokenFamily,
  revokeUserRefreshTokens,
  updateUser,
  type UserRow,
} from './user.repository.js';

/** A user as the API shows it: never the password hash. */
export interface Account {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: UserRole;
  /** The organizer a staff member works for; null for customers and admins. */
  organizerId: string | null;
  language: 'en' | 'bn';
  notifyEmail: boolean;
  notifySms: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What a login gives: the account and a new refresh token (the route adds the access token). */
export interface Session {
  account: Account;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface RegistrationInput {
  email: string;
  password: string;
  name?: string | undefined;
  language?: 'en' | 'bn' | undefined;
}

export interface ProfileChanges {
  name?: string | undefined;
  language?: 'en' | 'bn' | undefined;
  phone?: string | null | undefined;
  notifyEmail?: boolean | undefined;
  notifySms?: boolean | undefined;
}

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const REFRESH_TOKEN_PREFIX = 'rt_';

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed and lower-cased; 400 naming the field when it does not look like an email address. */
export function normalizeEmail(email: string, field = 'email'): { email: string; normalized: string } {
  const trimmed = email.trim();
  if (!EMAIL_SHAPE.test(trimmed) || trimmed.length > 254) {
    throw new AppError('request.invalid', 'The email address is not valid', [
      { field: `body/${field}`, message: 'must be an email address' },
    ]);
  }
  return { email: trimmed, normalized: trimmed.toLowerCase() };
}

export function toAccount(row: UserRow): Account {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.role,
    organizerId: row.organizer_id,
    language: row.language,
    notifyEmail: row.notify_email,
    notifySms: row.notify_sms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Refresh tokens are bearer secrets: only their SHA-256 is stored, so a database leak does not leak them. */
function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function invalidCredentials(): AppError {
  return new AppError('auth.invalid_credentials', 'The email or password is not correct');
}

function invalidRefreshToken(): AppError {
  return new AppError('auth.refresh_token_invalid', 'The refresh token is not valid any more; log in again');
}

/** Registration, login, refresh-token rotation, logout, the caller's profile and password. */
export class AuthService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  /** Creates a customer account and logs it in. 409 auth.email_taken when the email has an account. */
  async register(input: RegistrationInput): Promise<Session> {
    const { email, normalized } = normalizeEmail(input.email);
    const row = await insertUserUnlessEmailTaken(this.deps.db, {
      id: newId('user'),
      email,
      email_normalized: normalized,
      password_hash: await hashPassword(input.password),
      name: input.name?.trim() ?? '',
      role: 'customer',
      organizer_id: null,
      language: input.language ?? 'en',
    });
    if (!row) throw new AppError('auth.email_taken', 'An account with this email already exists; log in instead');
    return this.startSession(this.deps.db, row);
  }

  /**
   * Logs in with email and password. A wrong password and an unknown email get the same answer after the
   * same work (a dummy hash is checked when there is no account), so neither says whether the email exists.
   */
  async login(emailInput: string, password: string): Promise<Session> {
    const normalized = emailInput.trim().toLowerCase();
    const row = normalized.length <= 254 ? await findUserByEmail(this.deps.db, normalized) : undefined;
    if (!row) {
      await burnPasswordCheck(password);
      throw invalidCredentials();
    }
    if (!(await verifyPassword(password, row.password_hash))) throw invalidCredentials();
    return this.startSession(this.deps.db, row);
  }

  /**
   * Exchanges a refresh token for a new one (and the caller for a new access token). Each refresh token
   * works once. Presenting one that was already exchanged means two parties hold it — one of them stole
   * it — so every token descended from the same login is revoked and both must log in again.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const tokenHash = hashRefreshToken(refreshToken);
    const now = this.deps.clock.now();
    // The reuse revocation must commit even though the request fails: decide inside, throw outside.
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const current = await lockRefreshTokenByHash(trx, tokenHash);
      if (!current) return { ok: false as const };
      if (current.replaced_by !== null) {
        await revokeRefreshTokenFamily(trx, current.family_id);
        return { ok: false as const };
      }
      if (current.revoked_at !== null || current.expires_at.getTime() <= now.getTime()) return { ok: false as const };
      const user = await findUserById(trx, current.user_id);
      if (!user) return { ok: false as const };
      const next = await this.issueRefreshToken(trx, user.id, current.family_id);
      await markRefreshTokenRotated(trx, current.id, next.id);
      return { ok: true as const, session: { account: toAccount(user), ...next.session } };
    });
    if (!outcome.ok) throw invalidRefreshToken();
    return outcome.session;
  }

  /** Revokes a refresh token. Unknown or already revoked tokens are fine: logging out twice is not an error. */
  async logout(refreshToken: string): Promise<void> {
    await revokeRefreshTokenByHash(this.deps.db, hashRefreshToken(refreshToken));
  }

  async getAccount(userId: string): Promise<Account> {
    const row = await findUserById(this.deps.db, userId);
    if (!row) throw new AppError('auth.token_invalid', 'This account no longer exists; log in again');
    return toAccount(row);
  }

  async updateAccount(userId: string, changes: ProfileChanges): Promise<Account> {
    const current = await this.getAccount(userId);
    const phone = changes.phone === undefined ? current.phone : changes.phone;
    const notifySms = changes.notifySms ?? current.notifySms;
    if (notifySms && !phone) {
      throw new AppError('request.invalid', 'Text messages need a phone number', [
        { field: 'body/notifySms', message: 'needs a phone number' },
      ]);
    }
    const row = await updateUser(this.deps.db, userId, {
      ...(changes.name !== undefined && { name: changes.name.trim() }),
      ...(changes.language !== undefined && { language: changes.language }),
      ...(changes.phone !== undefined && { phone: changes.phone }),
      ...(changes.notifyEmail !== undefined && { notify_email: changes.notifyEmail }),
      ...(changes.notifySms !== undefined && { notify_sms: changes.notifySms }),
    });
    if (!row) throw new AppError('auth.token_invalid', 'This account no longer exists; log in again');
    return toAccount(row);
  }

  /**
   * Changes the password after checking the current one, revokes every refresh token of the account (other
   * devices must log in again) and starts a new session for the caller.
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<Session> {
    const row = await findUserById(this.deps.db, userId);
    if (!row) throw new AppError('auth.token_invalid', 'This account no longer exists; log in again');
    if (!(await verifyPassword(currentPassword, row.password_hash))) {
      throw new AppError('auth.current_password_invalid', 'The current password is not correct');
    }
    const passwordHash = await hashPassword(newPassword);
    return this.deps.db.transaction().execute(async (trx) => {
      const updated = await updateUser(trx, userId, { password_hash: passwordHash });
      if (!updated) throw new AppError('auth.token_invalid', 'This account no longer exists; log in again');
      await revokeUserRefreshTokens(trx, userId);
      return this.startSession(trx, updated);
    });
  }

  private async startSession(db: Db, user: UserRow): Promise<Session> {
    const issued = await this.issueRefreshToken(db, user.id, newId('refreshToken'));
    return { account: toAccount(user), ...issued.session };
  }

  private async issueRefreshToken(db: Db, userId: string, familyId: string) {
    const token = `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = newId('refreshToken');
    const expiresAt = new Date(this.deps.clock.now().getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000);
    await insertRefreshToken(db, { id, userId, familyId, tokenHash: hashRefreshToken(token), expiresAt });
    return { id, session: { refreshToken: token, refreshTokenExpiresAt: expiresAt } };
  }
}

/** The platform admin shown in the start banner. */
export interface PlatformAdmin {
  userId: string;
  email: string;
  /** Set only on the start that created the account, when its password was generated: print it once. */
  generatedPassword: string | undefined;
  /** True on the start that created the account. */
  created: boolean;
}

/**
 * Makes sure the platform has an admin: on the first start (no admin yet) creates one with the given
 * email and password, or a generated password that the caller prints once. Later starts return the
 * existing admin (the one with that email if it is an admin, else the oldest) and change nothing. Null
 * when there is no admin and the email already belongs to another account (a customer could have
 * registered it; it is never promoted).
 */
export async function ensurePlatformAdmin(
  db: Db,
  options: { email: string; password: string | undefined },
): Promise<PlatformAdmin | null> {
  const { email, normalized } = normalizeEmail(options.email);
  const existing = async (): Promise<PlatformAdmin | null> => {
    const named = await findUserByEmail(db, normalized);
    const admin = named?.role === 'admin' ? named : await findFirstAdmin(db);
    return admin ? { userId: admin.id, email: admin.email, generatedPassword: undefined, created: false } : null;
  };
  const found = await existing();
  if (found) return found;

  const generatedPassword = options.password === undefined ? generatePassword() : undefined;
  const inserted = await insertUserUnlessEmailTaken(db, {
    id: newId('user'),
    email,
    email_normalized: normalized,
    password_hash: await hashPassword(options.password ?? generatedPassword!),
    name: 'Platform admin',
    role: 'admin',
    organizer_id: null,
  });
  // Another process may have created it at the same moment: then it is theirs to print.
  if (!inserted) return existing();
  return { userId: inserted.id, email: inserted.email, generatedPassword, created: true };
}
