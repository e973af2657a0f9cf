import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';

/**
 * Until accounts and roles arrive, admin routes take the admin key in `X-Admin-Key` (the Authorization
 * header carries user access tokens). Compared in constant time.
 */
export function adminKeyGuard(adminKey: string) {
  const expected = Buffer.from(adminKey);
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers['x-admin-key'];
    const given = Array.isArray(header) ? header[0] : header;
    if (!given) throw new AppError('auth.admin_key_required', 'This route needs the admin key in X-Admin-Key');
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new AppError('auth.admin_key_invalid', 'The admin key is not valid');
    }
  };
}
