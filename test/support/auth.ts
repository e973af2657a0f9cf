import type { UserRole } from '../../src/db/schema.js';
import { signAccessToken } from '../../src/auth/principal.js';
import { newId } from '../../src/shared/ids.js';
import type { TestApp } from './test-app.js';

export interface TestUser {
  id: string;
  email: string;
  role: UserRole;
  organizerId: string | null;
  token: string;
  /** Headers that authenticate as this user. */
  headers: { authorization: string };
}

/**
 * Creates a user straight in the database and signs an access token for it, for tests that are about
 * something other than registering and logging in. Its password hash is unusable: it cannot log in.
 */
export async function createTestUser(
  t: TestApp,
  options: { role?: UserRole; organizerId?: string; email?: string; name?: string } = {},
): Promise<TestUser> {
  const id = newId('user');
  const role = options.role ?? 'customer';
  const email = options.email ?? `${id}@example.test`;
  await t.deps.database.db
    .insertInto('users')
    .values({
      id,
      email,
      email_normalized: email.toLowerCase(),
      password_hash: 'unusable',
      name: options.name ?? 'Test User',
      role,
      organizer_id: role === 'staff' ? (options.organizerId ?? null) : null,
    })
    .execute();
  const token = signAccessToken(t.app, {
    userId: id,
    role,
    organizerId: role === 'staff' ? options.organizerId! : null,
  });
  return {
    id,
    email,
    role,
    organizerId: options.organizerId ?? null,
    token,
    headers: { authorization: `Bearer ${token}` },
  };
}
