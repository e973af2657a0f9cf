import type { FastifyRequest } from 'fastify';
import { requireStaff } from '../auth/principal.js';

/**
 * Guards /api/admin: organizer staff and platform admins, by access token. Anonymous callers get 401
 * `auth.required`, customers 403 `auth.forbidden`. What each staff member may touch inside is decided by
 * the services (their own organizer's things only; anything else answers 404).
 */
export async function staffOrAdminGuard(request: FastifyRequest): Promise<void> {
  requireStaff(request);
}
