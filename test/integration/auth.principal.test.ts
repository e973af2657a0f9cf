import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('access tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('answers 401 auth.token_invalid for a forged or malformed bearer token, and ignores no token', async () => {
    const user = await createTestUser(t);
    const forged = user.token.slice(0, -4) + 'abcd';
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/events',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('auth.token_invalid');
    const junk = await t.app.inject({ method: 'GET', url: '/api/events', headers: { authorization: 'Bearer junk' } });
    expect(junk.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/events', headers: user.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/events' })).statusCode).toBe(200);
  });
});
