import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Accounts: registration, login, refresh-token rotation and reuse detection, logout, profile, password. */

interface SessionBody {
  user: { id: string; email: string; role: string; organizerId: string | null; name: string; language: string };
  accessToken: string;
  accessTokenExpiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

const DAY_MS = 86_400_000;

describe('accounts', () => {
  let t: TestApp;
  let clockOffsetMs = 0;
  let counter = 0;
  const uniqueEmail = () => `buyer${++counter}.${Date.now().toString(36)}@example.test`;

  beforeAll(async () => {
    t = await createTestApp({ clock: { now: () => new Date(Date.now() + clockOffsetMs) } });
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers,
      ...(typeof payload === 'string' ? { payload } : { payload: payload as object }),
    });
  const bearer = (session: SessionBody) => ({ authorization: `Bearer ${session.accessToken}` });
  const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  };

  async function register(email = uniqueEmail(), password = 'a long enough password'): Promise<SessionBody> {
    const response = await post('/api/auth/register', { email, password, name: 'Nusrat', language: 'bn' });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function login(email: string, password: string): Promise<SessionBody> {
    const response = await post('/api/auth/login', { email, password });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  const refresh = (refreshToken: string) => post('/api/auth/refresh', { refreshToken });

  it('registers a customer with a trimmed email, answers tokens that work, and finds it case-insensitively', async () => {
    const email = `  Nusrat.${Date.now().toString(36)}@Example.TEST `;
    const session = await register(email);
    expect(session.user).toMatchObject({
      id: expect.stringMatching(/^usr_/),
      email: email.trim(),
      role: 'customer',
      organizerId: null,
      name: 'Nusrat',
      language: 'bn',
    });
    expect(session.accessTokenExpiresIn).toBe(900);
    expect(session.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const expiresIn = new Date(session.refreshTokenExpiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(30 * DAY_MS - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * DAY_MS);

    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(session) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: session.user.id, email: email.trim(), notifyEmail: true, notifySms: false });
    expect(me.json()).not.toHaveProperty('passwordHash');

    const again = await login(email.trim().toUpperCase(), 'a long enough password');
    expect(again.user.id).toBe(session.user.id);
  });

  it('stores the password as an scrypt hash and the refresh token only as its SHA-256', async () => {
    const session = await register();
    const user = await t.deps.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', session.user.id)
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$/);
    expect(user.password_hash).not.toContain('a long enough password');
    const tokens = await t.deps.database.db
      .selectFrom('refresh_tokens')
      .select('token_hash')
      .where('user_id', '=', session.user.id)
      .execute();
    expect(tokens).toEqual([{ token_hash: createHash('sha256').update(session.refreshToken).digest('base64url') }]);
  });

  it('answers 409 auth.email_taken for an email that has an account, whatever its case and spaces', async () => {
    const email = uniqueEmail();
    await register(email);
    const duplicate = await post('/api/auth/register', {
      email: ` ${email.toUpperCase()}`,
      password: 'another password',
    });
    expectError(duplicate, 409, 'auth.email_taken');
  });

  it('gives the same 401 for a wrong password and for an unknown email, never saying which', async () => {
    const email = uniqueEmail();
    await register(email);
    const wrongPassword = await post('/api/auth/login', { email, password: 'not the password' });
    const unknownEmail = await post('/api/auth/login', { email: uniqueEmail(), password: 'not the password' });
    expectError(wrongPassword, 401, 'auth.invalid_credentials');
    expect(unknownEmail.statusCode).toBe(401);
    expect(unknownEmail.body).toBe(wrongPassword.body);
  });

  it('never logs in an account without a usable password', async () => {
    const user = await createTestUser(t);
    const response = await post('/api/auth/login', { email: user.email, password: 'unusable' });
    expectError(response, 401, 'auth.invalid_credentials');
  });

  it('rotates refresh tokens: each works once and the new access token works', async () => {
    const session = await register();
    const first = await refresh(session.refreshToken);
    expect(first.statusCode, first.body).toBe(200);
    const rotated: SessionBody = first.json();
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.user.id).toBe(session.user.id);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(rotated) });
    expect(me.statusCode).toBe(200);

    const second = await refresh(rotated.refreshToken);
    expect(second.statusCode).toBe(200);
  });

  it('revokes the whole family when a rotated refresh token is used again, and leaves other logins alone', async () => {
    const email = uniqueEmail();
    const stolen = await register(email);
    const otherDevice = await login(email, 'a long enough password');
    const legitimate: SessionBody = (await refresh(stolen.refreshToken)).json();

    // The thief replays the old token: refused, and the legitimate successor dies with it.
    expectError(await refresh(stolen.refreshToken), 401, 'auth.refresh_token_invalid');
    expectError(await refresh(legitimate.refreshToken), 401, 'auth.refresh_token_invalid');
    // Another login of the same account is another family.
    expect((await refresh(otherDevice.refreshToken)).statusCode).toBe(200);
  });

  it('refuses an unknown or expired refresh token', async () => {
    expectError(await refresh(`rt_${'x'.repeat(43)}`), 401, 'auth.refresh_token_invalid');
    const session = await register();
    clockOffsetMs = 31 * DAY_MS;
    try {
      expectError(await refresh(session.refreshToken), 401, 'auth.refresh_token_invalid');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('logs out by revoking the refresh token; logging out twice is fine', async () => {
    const session = await register();
    const out = await post('/api/auth/logout', { refreshToken: session.refreshToken });
    expect(out.statusCode).toBe(204);
    expectError(await refresh(session.refreshToken), 401, 'auth.refresh_token_invalid');
    expect((await post('/api/auth/logout', { refreshToken: session.refreshToken })).statusCode).toBe(204);
  });

  it('changes the password only with the current one, revoking every refresh token of the account', async () => {
    const email = uniqueEmail();
    const session = await register(email);
    const otherDevice = await login(email, 'a long enough password');

    const wrong = await post(
      '/api/me/password',
      { currentPassword: 'not the password', newPassword: 'a brand new password' },
      bearer(session),
    );
    expectError(wrong, 403, 'auth.current_password_invalid');
    expect((await refresh(otherDevice.refreshToken)).statusCode).toBe(200);

    const changed = await post(
      '/api/me/password',
      { currentPassword: 'a long enough password', newPassword: 'a brand new password' },
      bearer(session),
    );
    expect(changed.statusCode, changed.body).toBe(200);
    const fresh: SessionBody = changed.json();

    expectError(await refresh(session.refreshToken), 401, 'auth.refresh_token_invalid');
    const otherDeviceTokens = await t.deps.database.db
      .selectFrom('refresh_tokens')
      .select(['revoked_at'])
      .where('user_id', '=', session.user.id)
      .where('token_hash', '!=', createHash('sha256').update(fresh.refreshToken).digest('base64url'))
      .execute();
    expect(otherDeviceTokens.length).toBeGreaterThanOrEqual(3);
    expect(otherDeviceTokens.every((token) => token.revoked_at !== null)).toBe(true);

    expectError(
      await post('/api/auth/login', { email, password: 'a long enough password' }),
      401,
      'auth.invalid_credentials',
    );
    await login(email, 'a brand new password');
    expect((await refresh(fresh.refreshToken)).statusCode).toBe(200);
  });

  it('changes the profile, and wants a phone number before text messages', async () => {
    const session = await register();
    const patch = (payload: unknown) =>
      t.app.inject({ method: 'PATCH', url: '/api/me', headers: bearer(session), payload: payload as object });

    expectError(await patch({ notifySms: true }), 400, 'request.invalid');
    const changed = await patch({ name: ' Rahim ', language: 'en', phone: '+8801712345678', notifySms: true });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Rahim', language: 'en', phone: '+8801712345678', notifySms: true });
    expectError(await patch({ phone: null }), 400, 'request.invalid');
    const off = await patch({ phone: null, notifySms: false, notifyEmail: false });
    expect(off.json()).toMatchObject({ phone: null, notifySms: false, notifyEmail: false });
  });

  it('answers 401 auth.required for /api/me without a token', async () => {
    for (const [method, url] of [
      ['GET', '/api/me'],
      ['PATCH', '/api/me'],
      ['POST', '/api/me/password'],
    ] as const) {
      const response = await t.app.inject({ method, url, payload: method === 'GET' ? undefined : { name: 'x' } });
      // PATCH and POST validate the body before the handler asks who is calling.
      expect(response.statusCode, `${method} ${url}`).toBe(method === 'POST' ? 400 : 401);
    }
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/me/password',
      payload: { currentPassword: 'x', newPassword: 'long enough password' },
    });
    expectError(noToken, 401, 'auth.required');
  });

  describe('malformed bodies answer 400 with a stable code, never 5xx', () => {
    const goodEmail = 'somebody@example.test';
    it.each([
      ['/api/auth/register', '{"email": ', 'request.malformed_json'],
      ['/api/auth/register', { email: goodEmail }, 'request.invalid'],
      ['/api/auth/register', { email: goodEmail, password: 'too short' }, 'request.invalid'],
      ['/api/auth/register', { email: goodEmail, password: 'x'.repeat(201) }, 'request.invalid'],
      ['/api/auth/register', { email: 'not an email', password: 'long enough password' }, 'request.invalid'],
      ['/api/auth/register', { email: goodEmail, password: 'long enough password', role: 'admin' }, 'request.invalid'],
      ['/api/auth/register', { email: goodEmail, password: 'long enough password', language: 'fr' }, 'request.invalid'],
      ['/api/auth/register', { email: goodEmail, password: 12345678901 }, 'request.invalid'],
      ['/api/auth/login', '{"email": ', 'request.malformed_json'],
      ['/api/auth/login', { email: goodEmail }, 'request.invalid'],
      ['/api/auth/login', { email: goodEmail, password: 'x', remember: true }, 'request.invalid'],
      ['/api/auth/login', { email: 'x'.repeat(300), password: 'x' }, 'request.invalid'],
      ['/api/auth/refresh', {}, 'request.invalid'],
      ['/api/auth/refresh', { refreshToken: 'has spaces in it, not a token' }, 'request.invalid'],
      ['/api/auth/refresh', '[]', 'request.invalid'],
      ['/api/auth/logout', { refreshToken: 42 }, 'request.invalid'],
    ])('POST %s %j → 400 %s', async (url, payload, code) => {
      const response = await post(
        url,
        payload,
        typeof payload === 'string' ? { 'content-type': 'application/json' } : {},
      );
      expectError(response, 400, code);
    });

    it('refuses unknown, empty and badly typed profile changes', async () => {
      const session = await register();
      for (const payload of [{}, { role: 'admin' }, { language: 'xx' }, { phone: 'call me' }, { notifyEmail: 'yes' }]) {
        const response = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: bearer(session), payload });
        expectError(response, 400, 'request.invalid');
      }
      const short = await post('/api/me/password', { currentPassword: 'x', newPassword: 'short' }, bearer(session));
      expectError(short, 400, 'request.invalid');
    });
  });
});

describe('rate limits on login and registration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => t?.close());

  // Random client addresses: with Redis the counters outlive this test run for a minute.
  const octet = () => 1 + Math.floor(Math.random() * 250);
  const address = () => `10.${octet()}.${octet()}.${octet()}`;

  it.each(['/api/auth/login', '/api/auth/register'])(
    'answers 429 request.rate_limited on %s after the limit, per client address',
    async (url) => {
      const limited = address();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await t.app.inject({
          method: 'POST',
          url,
          remoteAddress: limited,
          payload: { email: `limit${i}.${Date.now()}@example.test`, password: 'a long enough password' },
        });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) {
          expect(response.json().error.code).toBe('request.rate_limited');
          expect(response.headers['retry-after']).toBeDefined();
        }
      }
      expect(statuses.slice(0, 3).every((status) => status !== 429)).toBe(true);
      expect(statuses[3]).toBe(429);

      const other = await t.app.inject({
        method: 'POST',
        url,
        remoteAddress: address(),
        payload: { email: `other.${Date.now()}@example.test`, password: 'a long enough password' },
      });
      expect(other.statusCode).not.toBe(429);
    },
  );
});
