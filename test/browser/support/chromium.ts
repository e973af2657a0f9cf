import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core: `npx playwright install`
 * cannot download browsers here. Tests that need it skip with one line saying so when it is missing.
 */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (candidate): candidate is string => Boolean(candidate),
);

export const chromiumPath: string | undefined = CANDIDATES.find((candidate) => fs.existsSync(candidate));

export const NO_CHROMIUM_MESSAGE =
  'Browser tests skipped: Chromium not found at /usr/bin/chromium (install it with `apt-get install -y chromium`, or set CHROMIUM_PATH)';

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile and no background traffic. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!chromiumPath) throw new Error(NO_CHROMIUM_MESSAGE);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // playwright gives every launch a fresh temporary --user-data-dir of its own and deletes it on close.
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}
