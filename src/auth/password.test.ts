import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('stores a self-describing scrypt hash with a random salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse battery', second)).toBe(true);
    expect(await verifyPassword('correct horse batterY', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('verifies a hash made with other cost parameters by the parameters stored in it', async () => {
    const hash = await hashPassword('another password');
    const [, , , , salt, key] = hash.split('$');
    // Same salt and key but a cost that was not used: a mismatch, not an error.
    expect(await verifyPassword('another password', `scrypt$16384$8$1$${salt}$${key}`)).toBe(false);
  });

  it.each([
    'unusable',
    '',
    'scrypt$32768$8$1$short$short',
    'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$2097152$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'bcrypt$2b$10$abcdefghijklmnopqrstuv',
  ])('treats the unparsable or out-of-bounds hash %j as a mismatch', async (stored) => {
    expect(await verifyPassword('whatever password', stored)).toBe(false);
  });

  it('generates 20-character url-safe passwords', () => {
    const passwords = new Set(Array.from({ length: 50 }, generatePassword));
    expect(passwords.size).toBe(50);
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });
});
