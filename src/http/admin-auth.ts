import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { requireStaff } from '../auth/principal.js';
import { AppError } from '../shared/errors.js';

/**
 * Guards /api/admin: organizer staff and platform admins (an access token), or — while accounts are being
 * introduced — the admin key in `X-Admin-Key`, which acts as a platform admin. Compared in constant time.
 */
export function staffOrAdminKeyGuard(adminKey: string) {
  const expected = Buffer.from(adminKey);
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers['x-admin-key'];
    const given = Array.isArray(header) ? header[0] : header;
    if (given === undefined) {
      if (!request.principal)
        throw new AppError('auth.admin_key_required', 'Log in as organizer staff, or send X-Admin-Key');
      requireStaff(request);
      return;
    }
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new AppError('auth.admin_key_invalid', 'The admin key is not valid');
    }
    request.principal = { userId: 'system', role: 'admin', organizerId: null };
  };
}
