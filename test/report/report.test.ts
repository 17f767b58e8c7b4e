// report.html of a run, of an lstm-compare directory and of an old run, opened from file:// in headless Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { browserSkip, launchBrowser, openPage } from '../browser.js';
import {
  listTree,
  runCli,
  smallClassifyConfig,
  smallForecastConfig,
  tempDir,
  trainRun,
  writeJson,
} from '../cli/helpers.js';
import { v1Run } from '../checkpoint/v1-fixtures.js';

const skip = browserSkip();
let browser: Browser;
before(async () => {
  if (!skip) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

interface Drawn {
  width: number;
  height: number;
  marks: number;
}

/** Opens the page, waits for its charts, and checks what every report must hold; returns the page for more. */
async function openReport(path: string, minCharts: number) {
  const url = pathToFileURL(path).href;
  const { page, errors, requests } = await openPage(browser, url);
  await page.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.charts), 'drawn');
  assert.deepEqual(errors, [], 'no console errors');
  assert.deepEqual(requests, [url], 'no request but the page itself');
  const charts: Drawn[] = await page.evaluate(() =>
    [...document.querySelectorAll('figure.chart')].map((f) => {
      const svg = f.querySelector('.vega svg');
      const box = svg?.getBoundingClientRect();
      return {
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg?.querySelectorAll('g.role-mark > *').length ?? 0,
      };
    }),
  );
  assert.ok(charts.length >= minCharts, `at least ${minCharts} charts, found ${charts.length}`);
  charts.forEach((c, i) => {
    assert.ok(c.width > 0 && c.height > 0, `chart ${i} has a size: ${JSON.stringify(c)}`);
    assert.ok(c.marks > 0, `chart ${i} has its marks drawn`);
  });
  return page;
}

/** The metrics table's numbers, exactly as data-value holds them, by split. */
async function metricsTable(page: Awaited<ReturnType<typeof openReport>>) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#metrics tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      return { split: cells[0].textContent, values: cells.slice(1).map((td) => Number(td.dataset.value)) };
    }),
  );
}

function assertMetricsMatchSummary(rows: { split: string | null; values: number[] }[], runDir: string) {
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
  const final = summary.final as Record<string, { loss: number; metric: number; count: number }>;
  assert.deepEqual(
    rows,
    Object.entries(final).map(([split, s]) => ({ split, values: [s.loss, s.metric, s.count] })),
  );
}

test(
  'a forecast run leaves report.html; lstm-eval --gates adds the gates; lstm-report writes it again',
  { skip },
  async () => {
    const run = trainRun(smallForecastConfig({ train: { epochs: 2, batchSize: 128, learningRate: 0.01 } }));
    const report = join(run, 'report.html');
    assert.ok(existsSync(report), 'lstm-train wrote report.html');
    let page = await openReport(report, 3); // loss, predictions, error by step
    assertMetricsMatchSummary(await metricsTable(page), run);
    assert.match((await page.textContent('.missing')) ?? '', /gates/);
    await page.close();

    const best = join(run, 'checkpoints', 'best');
    const g = runCli('lstm-eval', [best, '--gates', '--examples', '1'], run);
    assert.equal(g.code, 0, g.stderr);
    assert.match(g.stdout, /report: .*report\.html/);
    page = await openReport(report, 6); // + one example's heatmaps, saturation, distribution
    const gates = JSON.parse(readFileSync(join(run, 'gates', 'gates.json'), 'utf8'));
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('#gates tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      ),
    );
    assert.equal(shown.length, gates.summary.length, 'a row per layer and gate');
    assert.equal(await page.locator('.missing').count(), 0, 'nothing missing');
    await page.screenshot({ path: join(run, 'report-screenshot.png') });
    assert.ok(statSync(join(run, 'report-screenshot.png')).size > 10_000);
    await page.close();

    const before = readFileSync(report, 'utf8');
    const again = runCli('lstm-report', [run], run);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(report, 'utf8'), before, 'the same page from the same files');
  },
);

test(
  'an lstm-compare directory gets report.html with parity, the race and the drift; each variant run gets one',
  { skip },
  async () => {
    const dir = tempDir('lstm-compare-report-');
    const config = smallClassifyConfig({ train: { epochs: 2, batchSize: 256, learningRate: 0.01 } });
    const r = runCli(
      'lstm-compare',
      ['--config', writeJson(join(dir, 'cfg.json'), config), '--variants', 'builtin,hand', '--quiet'],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]);
    const page = await openReport(join(out, 'report.html'), 2); // the race's loss curves, the drift
    const parity = await page.evaluate(() => document.querySelectorAll('#parity tbody tr').length);
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    assert.equal(parity, compare.parity.length);
    const race = await page.evaluate(() =>
      [...document.querySelectorAll('#race tbody tr')].map((tr) => tr.querySelector('td')?.textContent),
    );
    assert.deepEqual(race, ['builtin', 'hand']);
    await page.close();
    const variants = readdirSync(out).filter((f) => !f.includes('.'));
    for (const v of variants) {
      const p = await openReport(join(out, v, 'report.html'), 2);
      assertMetricsMatchSummary(await metricsTable(p), join(out, v));
      await p.close();
    }
    const again = runCli('lstm-report', [out], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /report: .*report\.html/);
  },
);

test(
  'lstm-report on a run made before the model card shows what it has and lists what it lacks',
  { skip },
  async () => {
    const { run } = v1Run('classify');
    const r = runCli('lstm-report', [run], run);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /this run has no .*eval\//);
    const page = await openReport(join(run, 'report.html'), 1); // the loss curves
    assertMetricsMatchSummary(await metricsTable(page), run);
    const missing = (await page.textContent('.missing')) ?? '';
    assert.match(missing, /the data summary/);
    assert.match(missing, /eval\//);
    await page.close();
  },
);

test('lstm-report refuses what is not a run, compare or study directory, and keeps the report it has', () => {
  const dir = tempDir('lstm-report-bad-');
  const none = runCli('lstm-report', [join(dir, 'nope')], dir);
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /expected a run, lstm-compare or lstm-tune directory, got .*nope, which is not a directory/,
  );
  const empty = runCli('lstm-report', [dir], dir);
  assert.equal(empty.code, 2);
  assert.match(
    empty.stderr,
    /with summary\.json\), an lstm-compare directory \(with compare\.json\) or an lstm-tune study \(with study\.json\), got .*which has none of them/,
  );
  assert.doesNotMatch(empty.stderr, /at .*\.js:\d+/, 'no stack trace');

  const { run } = v1Run('forecast');
  writeFileSync(join(run, 'report.html'), 'the old report');
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
  writeJson(join(run, 'summary.json'), { ...summary, epochs: 'three' });
  const bad = runCli('lstm-report', [run], run);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /summary\.json.*epochs: .*expected number, received string/s);
  assert.equal(readFileSync(join(run, 'report.html'), 'utf8'), 'the old report', 'left as it was');
  cpSync(join(run, 'summary.json'), join(run, 'summary.bak'));
  writeFileSync(join(run, 'summary.json'), '{ not json');
  const broken = runCli('lstm-report', [run], run);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /summary\.json.*expected JSON/);
  assert.deepEqual(
    listTree(run).filter((f) => f.includes('.tmp-')),
    [],
    'no temporary file left',
  );
});
