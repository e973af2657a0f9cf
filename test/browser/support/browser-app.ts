import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { seedDemoData } from '../../../src/demo/demo-seed.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_ROOT = path.join(ROOT, 'web', 'dist');
export const SCREENSHOT_DIR = path.join(ROOT, 'docs', 'screenshots');

/** Builds web/ when its sources changed since the last build (the same step `npm start` runs). */
export function ensureWebBuild(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'build-web.mjs'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}

export interface BrowserApp extends TestApp {
  /** A customer account made through the API, with its session for a browser's localStorage. */
  newCustomer(name?: string): Promise<Customer>;
}

export interface Customer {
  email: string;
  password: string;
  userId: string;
  authorization: string;
  session: { accessToken: string; accessTokenExpiresIn: number; refreshToken: string };
}

let customers = 0;

/** A real server on a random port with a fresh database, the demo catalog and the built web app. */
export async function startBrowserApp(): Promise<BrowserApp> {
  ensureWebBuild();
  const t = await createTestApp({ listen: true, webRoot: WEB_ROOT });
  await seedDemoData(t.app, t.deps);
  return {
    ...t,
    newCustomer: async (name = 'Nusrat Jahan') => {
      const email = `buyer${++customers}.${Date.now()}@example.com`;
      const password = 'correct horse battery';
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email, password, name, language: 'en' },
      });
      expect(response.statusCode, response.body).toBe(201);
      const session = response.json() as Customer['session'] & { user: { id: string } };
      return { email, password, userId: session.user.id, authorization: `Bearer ${session.accessToken}`, session };
    },
  };
}

/** Logs a browser context in by putting the session where the app keeps it, before any page loads. */
export async function logIn(context: BrowserContext, customer: Customer): Promise<void> {
  await context.addInitScript((session) => {
    localStorage.setItem(
      'bo.auth',
      JSON.stringify({
        accessToken: session.accessToken,
        refreshToken: session.refreshToken,
        accessTokenExpiresAt: Date.now() + session.accessTokenExpiresIn * 1000,
      }),
    );
  }, customer.session);
}

/** Fails the test on any page error or dialog (an injected script would open one). */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { errors };
}
