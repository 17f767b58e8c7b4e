// Headless Chromium for the HTML tests: Debian's `chromium` driven by playwright-core. Where no browser can be had
// the tests skip with a message, except in CI (CI=1), where a missing browser is a failure.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => p !== undefined && p !== '',
);

export const chromiumPath: string | undefined = CANDIDATES.find((p) => existsSync(p));

/** `skip` option for node:test: a reason when the browser is missing outside CI, else false. */
export function browserSkip(): string | false {
  if (chromiumPath !== undefined || process.env.CI) return false;
  return 'no Chromium here (apt-get install chromium, or set CHROMIUM_PATH); skipped outside CI';
}

export async function launchBrowser(): Promise<Browser> {
  if (chromiumPath === undefined)
    throw new Error(`CI needs Chromium for the browser tests; none of ${CANDIDATES.join(', ')} exists`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export interface OpenedPage {
  page: Page;
  /** console messages of type error, and uncaught page errors */
  errors: string[];
  /** every request the page made, as URLs */
  requests: string[];
}

/** Opens `url` in a fresh page of a laptop-sized viewport, recording errors and requests from the first byte. */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}
