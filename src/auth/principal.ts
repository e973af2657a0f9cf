import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '../db/schema.js';
import { AppError } from '../shared/errors.js';

/** Who is calling: taken from a verified access token (JWT) in `Authorization: Bearer …`. */
export interface Principal {
  readonly userId: string;
  readonly role: UserRole;
  /** The organizer a staff member works for; null for customers and admins. */
  readonly organizerId: string | null;
}

/** The claims inside an access token. */
export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  org: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/**
 * Registers JWT verification. Every request gets `request.principal`: the caller when a valid access
 * token came with it, null when none did. A token that is present but invalid or expired answers 401 —
 * a client that sent credentials must learn they no longer work rather than be treated as anonymous.
 */
export async function registerPrincipal(app: FastifyInstance, secret: string): Promise<void> {
  await app.register(jwt, { secret, sign: { expiresIn: ACCESS_TOKEN_TTL_SECONDS } });
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header || !/^Bearer\s+/i.test(header)) return;
    try {
      const claims = await request.jwtVerify<AccessTokenClaims>();
      request.principal = { userId: claims.sub, role: claims.role, organizerId: claims.org ?? null };
    } catch {
      throw new AppError('auth.token_invalid', 'The access token is invalid or has expired; log in again');
    }
  });
}

/** Signs a short-lived access token for a user. */
export function signAccessToken(app: FastifyInstance, principal: Principal): string {
  return app.jwt.sign({ sub: principal.userId, role: principal.role, org: principal.organizerId });
}

/** The caller, or 401 when anonymous. */
export function requireUser(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('auth.required', 'Log in to do this');
  return request.principal;
}

/** A platform admin, else 401/403. */
export function requireAdmin(request: FastifyRequest): Principal {
  const principal = requireUser(request);
  if (principal.role !== 'admin') throw new AppError('auth.forbidden', 'Only a platform admin can do this');
  return principal;
}

/** Staff of some organizer or an admin, else 401/403. */
export function requireStaff(request: FastifyRequest): Principal {
  const principal = requireUser(request);
  if (principal.role === 'customer') throw new AppError('auth.forbidden', 'Only organizer staff can do this');
  return principal;
}

/**
 * Whether the principal may manage this organizer's things: admins manage all, staff only their own.
 * Services use it to answer 404 for another organizer's resource, so its existence is not revealed.
 */
export function canManageOrganizer(principal: Principal, organizerId: string): boolean {
  return principal.role === 'admin' || (principal.role === 'staff' && principal.organizerId === organizerId);
}

/** The organizer ids a principal may list: undefined means all (admin). */
export function organizerScope(principal: Principal): string | undefined {
  return principal.role === 'admin' ? undefined : (principal.organizerId ?? '__none__');
}

/** 403 unless the principal is a platform admin: for actions no organizer's staff may take. */
export function assertAdmin(principal: Principal, action: string): void {
  if (principal.role !== 'admin') throw new AppError('auth.forbidden', `Only a platform admin can ${action}`);
}

/**
 * The organizer filter a list runs with: what was asked for an admin (undefined: all), the principal's own
 * organizer for staff; null when staff asked for another organizer's — they see nothing of it.
 */
export function scopeOrganizerFilter(
  principal: Principal,
  requested: string | undefined,
): { organizerId: string | undefined } | null {
  if (principal.role === 'admin') return { organizerId: requested };
  const own = organizerScope(principal)!;
  return requested === undefined || requested === own ? { organizerId: own } : null;
}
