import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { createOrganizer } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Staff and admin accounts: created through /api/admin/users, never by registration. */
describe('staff and admin accounts', () => {
  let t: TestApp;
  let organizerX: string;
  let organizerY: string;
  let customer: TestUser;
  let staffX: TestUser;
  let counter = 0;
  const email = (name: string) => `${name}${++counter}.${Date.now().toString(36)}@example.test`;

  beforeAll(async () => {
    t = await createTestApp();
    organizerX = await createOrganizer(t.deps.database.db);
    organizerY = await createOrganizer(t.deps.database.db);
    customer = await createTestUser(t);
    staffX = await createTestUser(t, { role: 'staff', organizerId: organizerX });
  });
  afterAll(async () => t?.close());

  const createAccount = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/admin/users', headers, payload });
  const listAccounts = (headers: Record<string, string>, query = '') =>
    t.app.inject({ method: 'GET', url: `/api/admin/users${query}`, headers });
  const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  };
  const login = (emailAddress: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: emailAddress, password } });

  it('lets an admin create staff of an organizer, who log in with a token bound to that organizer', async () => {
    const address = email('staff');
    const created = await createAccount(t.adminHeaders, {
      email: address,
      password: 'staff password 1',
      name: 'Karim',
      role: 'staff',
      organizerId: organizerX,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ email: address, role: 'staff', organizerId: organizerX, name: 'Karim' });

    const session = await login(address, 'staff password 1');
    expect(session.statusCode).toBe(200);
    const { accessToken } = session.json();
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.json()).toMatchObject({ role: 'staff', organizerId: organizerX });
    const admin = await t.app.inject({
      method: 'GET',
      url: '/api/admin/organizers',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(admin.statusCode).toBe(200);
  });

  it('lets an admin create another admin, who belongs to no organizer', async () => {
    const created = await createAccount(t.adminHeaders, {
      email: email('admin'),
      password: 'admin password 1',
      name: 'Second admin',
      role: 'admin',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ role: 'admin', organizerId: null });
    const withOrganizer = await createAccount(t.adminHeaders, {
      email: email('admin'),
      password: 'admin password 1',
      name: 'Admin',
      role: 'admin',
      organizerId: organizerX,
    });
    expectError(withOrganizer, 400, 'request.invalid');
    const staffWithout = await createAccount(t.adminHeaders, {
      email: email('staff'),
      password: 'staff password 1',
      name: 'Nobody',
      role: 'staff',
    });
    expectError(staffWithout, 400, 'request.invalid');
    const unknownOrganizer = await createAccount(t.adminHeaders, {
      email: email('staff'),
      password: 'staff password 1',
      name: 'Nobody',
      role: 'staff',
      organizerId: 'org_doesnotexist',
    });
    expectError(unknownOrganizer, 404, 'resource.not_found');
  });

  it('lets staff add colleagues to their own organizer only, and never create admins', async () => {
    const own = await createAccount(staffX.headers, {
      email: email('colleague'),
      password: 'colleague password',
      name: 'Colleague',
      role: 'staff',
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ role: 'staff', organizerId: organizerX });

    const other = await createAccount(staffX.headers, {
      email: email('intruder'),
      password: 'intruder password',
      name: 'Intruder',
      role: 'staff',
      organizerId: organizerY,
    });
    expectError(other, 404, 'resource.not_found');
    const admin = await createAccount(staffX.headers, {
      email: email('intruder'),
      password: 'intruder password',
      name: 'Intruder',
      role: 'admin',
    });
    expectError(admin, 403, 'auth.forbidden');
  });

  it('refuses a second account for a taken email, including a customer’s', async () => {
    const taken = await createAccount(t.adminHeaders, {
      email: customer.email.toUpperCase(),
      password: 'staff password 1',
      name: 'Copy',
      role: 'staff',
      organizerId: organizerX,
    });
    expectError(taken, 409, 'auth.email_taken');
  });

  it('lists every account to admins and only their organizer’s staff to staff', async () => {
    const all = await listAccounts(t.adminHeaders, '?limit=1000');
    expect(all.statusCode).toBe(200);
    const roles = new Set(all.json().map((account: { role: string }) => account.role));
    expect(roles).toEqual(new Set(['customer', 'staff', 'admin']));

    const staffOfY = await listAccounts(t.adminHeaders, `?role=staff&organizerId=${organizerY}`);
    expect(staffOfY.json()).toEqual([]);

    const seenByStaff = await listAccounts(staffX.headers);
    expect(seenByStaff.statusCode).toBe(200);
    const accounts = seenByStaff.json() as { role: string; organizerId: string }[];
    expect(accounts.length).toBeGreaterThanOrEqual(2);
    expect(accounts.every((account) => account.role === 'staff' && account.organizerId === organizerX)).toBe(true);
    expect((await listAccounts(staffX.headers, `?organizerId=${organizerY}`)).json()).toEqual([]);
    expect((await listAccounts(staffX.headers, '?role=customer')).json()).toEqual([]);
  });

  it('answers 401 to anonymous callers and 403 to customers', async () => {
    expectError(await listAccounts({}), 401, 'auth.required');
    expectError(await listAccounts(customer.headers), 403, 'auth.forbidden');
    const payload = { email: email('x'), password: 'some password 1', name: 'X', role: 'staff' };
    expectError(await createAccount(customer.headers, payload), 403, 'auth.forbidden');
  });
});
