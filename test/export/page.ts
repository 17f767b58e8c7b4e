// For the export tests: rows compared as lstm-predict --json prints them, and a web export run in headless Chromium.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { launchBrowser, openPage } from '../browser.js';

/**
 * Equal keys, equal text, numbers (or a page's text of them) within 1e-5 of the row's largest magnitude: lstm-predict
 * prints 7 digits, and an interval bound near 0 is the difference of two larger numbers.
 */
export function assertSameRows(
  actual: Record<string, unknown>[],
  expected: Record<string, unknown>[],
  what = '',
): void {
  assert.equal(actual.length, expected.length, `${what} rows`);
  actual.forEach((row, i) => {
    assert.deepEqual(Object.keys(row), Object.keys(expected[i]), `${what} row ${i}: columns`);
    const numbers = Object.values(expected[i]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const scale = Math.max(1e-3, ...numbers.map(Math.abs));
    for (const [key, want] of Object.entries(expected[i])) {
      // a page shows text; JSON writes an infinite bound as null
      const cell = row[key];
      const got = typeof want === 'number' && typeof cell === 'string' ? Number(cell) : cell;
      if (want === null)
        assert.ok(got === null || got === 'Infinity' || got === '-Infinity', `${what} row ${i} ${key}`);
      else if (typeof want === 'number' && typeof got === 'number') {
        const tolerance = 1e-5 * scale;
        assert.ok(Math.abs(got - want) <= tolerance, `${what} row ${i} ${key}: ${got}, lstm-predict ${want}`);
      } else assert.equal(got, want, `${what} row ${i} ${key}`);
    }
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.csv': 'text/csv',
};

/**
 * Serves `dir` on 127.0.0.1 (a free port), opens its index.html in headless Chromium and reads the predictions
 * table once the page says it is ready. Fails on a console error or a request to anywhere but that server.
 */
export async function servePredictions(dir: string): Promise<Record<string, unknown>[]> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    const { page, errors, requests } = await openPage(browser, `${origin}/index.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 }).catch(async () => {
      throw new Error(`the page never got ready: ${await page.textContent('#status')}; errors: ${errors.join('; ')}`);
    });
    const table = await page.$$eval('#predictions tr', (trs) =>
      trs.map((tr) => Array.from(tr.children, (cell) => cell.textContent ?? '')),
    );
    assert.deepEqual(errors, [], 'console errors');
    assert.deepEqual(
      requests.filter((r) => !r.startsWith(`${origin}/`)),
      [],
      'requests outside the loopback server',
    );
    const [header, ...rows] = table;
    return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
  } finally {
    await browser.close();
    server.close();
  }
}
