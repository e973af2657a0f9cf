import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, NO_CHROMIUM_MESSAGE, type LaunchedBrowser } from './support/chromium.js';
import {
  logIn,
  SCREENSHOT_DIR,
  startBrowserApp,
  watchPage,
  type BrowserApp,
  type Customer,
} from './support/browser-app.js';

/**
 * The organizer console in a real browser (Debian's Chromium through playwright-core) against a real
 * server: an organizer designs a small venue in the seat-map designer, schedules an event with prices, a
 * buyer buys a ticket on it, and the organizer checks the ticket in (valid, then already used, then a code
 * that is not valid) and finds the order; an axe-core scan of the dashboard; screenshots of the console.
 */
if (!chromiumPath) console.log(NO_CHROMIUM_MESSAGE);

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const PASSWORD = 'organizer console 1';

describe.skipIf(!chromiumPath)('organizer console in Chromium', () => {
  let t: BrowserApp;
  let launched: LaunchedBrowser;
  let browser: Browser;
  let shotDir: string;
  let staff: Customer;
  let organizerId: string;

  const inject = async (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await t.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const newPage = async (
    who: Customer,
    viewport = DESKTOP,
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> => {
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    await logIn(context, who);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page, errors: watchPage(page).errors };
  };
  const shot = async (page: Page, name: string) => {
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    const target = UPDATE_SCREENSHOTS || !fs.existsSync(file) ? file : path.join(shotDir, `${name}.png`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target, animations: 'disabled', fullPage: true });
  };

  beforeAll(async () => {
    t = await startBrowserApp();
    launched = await launchChromium();
    browser = launched.browser;
    shotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-console-screens-'));
    const organizer = await inject(
      'POST',
      '/api/admin/organizers',
      { name: 'Shilpakala Theatre', currency: 'BDT', timezone: 'Asia/Dhaka' },
      t.adminHeaders,
    );
    organizerId = organizer.body.id as string;
    const email = `manager.${Date.now()}@shilpakala.example`;
    const created = await inject(
      'POST',
      '/api/admin/users',
      { email, password: PASSWORD, name: 'Tahmina Rahman', role: 'staff', organizerId },
      t.adminHeaders,
    );
    expect(created.status).toBe(201);
    const login = await inject('POST', '/api/auth/login', { email, password: PASSWORD });
    const session = login.body as unknown as Customer['session'] & { user: { id: string } };
    staff = {
      email,
      password: PASSWORD,
      userId: session.user.id,
      authorization: `Bearer ${session.accessToken}`,
      session,
    };
  }, 240_000);
  afterAll(async () => {
    await launched?.close();
    await t?.close();
    if (shotDir) fs.rmSync(shotDir, { recursive: true, force: true });
  });

  it('designs a venue, schedules an event with prices, sells a ticket and checks it in at the door', async () => {
    const { page, context, errors } = await newPage(staff);
    // A venue, then its seat map in the designer.
    await page.goto(`${t.url}/console/venues`);
    await page.getByRole('heading', { name: 'Venues & seat maps' }).waitFor();
    await page.getByLabel('Name').fill('Studio Hall');
    await page.getByLabel('City').fill('Dhaka');
    await page.getByRole('button', { name: 'Add venue' }).click();
    await page.getByRole('link', { name: 'Design the seat map of Studio Hall' }).click();
    await page.waitForURL(/\/console\/venues\/ven_[a-z0-9]+\/designer/);
    await page.getByLabel('Rows', { exact: true }).fill('2');
    await page.getByLabel('Seats per row').fill('6');
    await page.getByLabel('Gaps after seats').fill('3');
    await page.getByLabel('Shape').selectOption('curve');
    await page.getByRole('button', { name: 'Add these rows' }).click();
    await expect.poll(() => page.locator('circle[data-key]').count()).toBe(12);
    // Row A becomes the dearer tier, one of its seats is blocked; undo brings a deleted seat back.
    await page.getByLabel('Select a whole row').selectOption({ label: 'Stalls · A (6)' });
    await page.getByLabel('Category (price tier)').first().fill('PREMIUM');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: 'Select none' }).click();
    await page.locator('circle[data-key]').first().click();
    await page.getByRole('button', { name: 'Delete the selected seats' }).click();
    await expect.poll(() => page.locator('circle[data-key]').count()).toBe(11);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('circle[data-key]').count()).toBe(12);
    await page.locator('circle[data-key]').last().click();
    await page.getByLabel('Blocked (not for sale)').check();
    await shot(page, 'console-designer-desktop');
    await page.getByRole('button', { name: 'Preview as a buyer' }).click();
    await page.locator('[data-seat]').first().waitFor();
    expect(await page.locator('[data-seat]').count()).toBe(12);
    await page.getByRole('button', { name: 'Back to editing' }).click();
    await page.getByRole('button', { name: 'Save as the venue’s seat map' }).click();
    await page.getByText(/Saved: 12 seats\. Categories to price: /).waitFor();

    // An event on it, in the venue's time zone, with a price per category.
    await page.goto(`${t.url}/console/events`);
    await page.getByLabel('Title').fill('Nakshi Kanthar Math');
    await page.getByLabel('Genre').fill('drama');
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('First day').fill(inTwoDays);
    await page.getByLabel('Last day').fill(inTwoDays);
    await page.getByLabel('Start times').fill('19:30');
    await page.getByLabel('PREMIUM', { exact: true }).fill('800');
    await page.getByLabel('REGULAR', { exact: true }).fill('500');
    await page.getByRole('button', { name: 'Create show times' }).click();
    await page.getByText('1 show times created, 0 already there.').waitFor();
    await page.getByRole('cell', { name: /^Nakshi Kanthar Math Studio Hall/ }).waitFor();
    await shot(page, 'console-events-desktop');
    expect(errors).toEqual([]);
    await context.close();

    // A buyer buys the cheapest seat on the storefront.
    const events = await inject('GET', `/api/admin/events?organizerId=${organizerId}`, undefined, {
      authorization: staff.authorization,
    });
    const eventId = (events.body as unknown as { id: string; title: string }[]).find(
      (event) => event.title === 'Nakshi Kanthar Math',
    )!.id;
    const buyer = await t.newCustomer('Sadia Islam');
    const shop = await newPage(buyer);
    await shop.page.goto(`${t.url}/events/${eventId}`);
    await shop.page.getByRole('link', { name: 'Choose seats' }).click();
    await shop.page.waitForURL(/\/seats$/);
    await expect.poll(() => shop.page.locator('[data-seat]').count()).toBe(12);
    expect(await shop.page.locator('[data-seat][aria-disabled="true"]').count()).toBe(1); // the blocked one
    await shop.page.locator('[data-seat]:not([aria-disabled])').last().click();
    await shop.page.getByTestId('hold-countdown').waitFor();
    await shop.page.getByRole('button', { name: 'Continue to checkout' }).click();
    await shop.page.waitForURL(/\/checkout$/);
    await shop.page.getByRole('button', { name: 'Review the price' }).click();
    await shop.page.getByTestId('price-breakdown').waitFor();
    await shop.page.getByRole('button', { name: /^Pay / }).click();
    await shop.page.waitForURL(/\/pay\/fpi_/);
    await shop.page.getByRole('button', { name: 'Pay', exact: true }).click();
    await shop.page.waitForURL(/\/orders\/ord_[a-z0-9]+\/confirmation/);
    const orderId = /\/orders\/(ord_[a-z0-9]+)\//.exec(shop.page.url())![1]!;
    await expect
      .poll(() => shop.page.getByRole('status').first().innerText(), { timeout: 15_000 })
      .toContain('is confirmed');
    expect(shop.errors).toEqual([]);
    await shop.context.close();
    const tickets = await inject('GET', `/api/bookings/${orderId}/tickets`, undefined, {
      authorization: buyer.authorization,
    });
    const ticketCode = (tickets.body.items as { code: string }[])[0]!.code;

    // The organizer checks it in: valid once, then already used; a made-up code is not valid.
    const door = await newPage(staff);
    await door.page.goto(`${t.url}/console/checkin`);
    const code = door.page.getByLabel('Ticket code');
    await code.fill(ticketCode.toLowerCase());
    await code.press('Enter');
    const result = door.page.getByTestId('checkin-result');
    await expect.poll(() => result.getAttribute('data-result')).toBe('valid');
    expect(await result.innerText()).toContain('Nakshi Kanthar Math');
    await shot(door.page, 'console-checkin-desktop');
    await code.fill(ticketCode);
    await door.page.getByRole('button', { name: 'Check in' }).click();
    await expect.poll(() => result.getAttribute('data-result')).toBe('used');
    expect(await result.innerText()).toContain('First used');
    await code.fill('NOT-A-TICKET');
    await code.press('Enter');
    await expect.poll(() => result.getAttribute('data-result')).toBe('invalid');

    // …and finds the order by the buyer's name, with its checked-in ticket.
    await door.page.goto(`${t.url}/console/orders`);
    await door.page.getByLabel('Find an order').fill('Sadia');
    await door.page.getByRole('button', { name: 'Find' }).click();
    await door.page.getByRole('cell', { name: /Sadia Islam/ }).waitFor();
    await shot(door.page, 'console-orders-desktop');
    await door.page.locator('a.font-mono').first().click();
    await door.page.waitForURL(/\/console\/orders\/ord_/);
    await door.page.getByText(/Checked in /).waitFor();
    await shot(door.page, 'console-order-desktop');
    expect(door.errors).toEqual([]);
    await door.context.close();
  });

  it('has no serious or critical axe-core violations on the dashboard, at desktop and phone width', async () => {
    // The scan runs in the page; written as text so this file needs no DOM types.
    const scan = async (page: Page, label: string) => {
      await page.evaluate(AXE_SOURCE);
      const violations = (await page.evaluate(`(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
      })()`)) as string[];
      expect(violations, label).toEqual([]);
    };
    for (const viewport of [DESKTOP, PHONE]) {
      const suffix = viewport === DESKTOP ? 'desktop' : 'phone';
      const { page, context, errors } = await newPage(staff, viewport);
      await page.goto(`${t.url}/console`);
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.getByText('Tickets sold per day, last 14 days').waitFor();
      await page.locator('.recharts-surface').first().waitFor();
      await scan(page, `dashboard (${suffix})`);
      await shot(page, `console-dashboard-${suffix}`);
      for (const [route, heading, name] of [
        ['/console/reports', 'Reports', 'console-reports'],
        ['/console/transport', 'Stops, routes & trips', 'console-transport'],
        ['/console/checkin', 'Check-in', 'console-checkin'],
      ] as const) {
        await page.goto(`${t.url}${route}`);
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        await scan(page, `${heading} (${suffix})`);
        if (suffix === 'phone' || name !== 'console-checkin') await shot(page, `${name}-${suffix}`);
      }
      // In Bangla too: every string of the console is translated.
      await page.goto(`${t.url}/console`);
      await page.getByRole('button', { name: 'বাংলা' }).click();
      await page.getByRole('heading', { name: 'ড্যাশবোর্ড' }).waitFor();
      if (suffix === 'desktop') await shot(page, 'console-dashboard-bn-desktop');
      await page.getByRole('button', { name: 'English' }).click();
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('keeps buyers out of the console and sends anonymous visitors to log in', async () => {
    const buyer = await t.newCustomer('Curious Buyer');
    const { page, context } = await newPage(buyer);
    await page.goto(`${t.url}/console`);
    await page.getByText('This account is a buyer’s account.').waitFor();
    await context.close();
    const anonymous = await browser.newContext({ viewport: DESKTOP });
    const visitor = await anonymous.newPage();
    await visitor.goto(`${t.url}/console/orders`);
    await visitor.getByRole('link', { name: 'Log in' }).last().waitFor();
    await anonymous.close();
  });
});
