import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, ROOT, listTree, runCli, smallForecastConfig, tempDir, writeJson } from './helpers.js';

const BIN = join(ROOT, 'bin', 'lstm-backtest.js');
const backtest = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const HORIZON = 3;
const SEASON = 20;

/** The first 400 rows of sine.csv, the folder it is in, and its values by data row. */
function shortSine(): { dir: string; values: number[] } {
  const dir = tempDir('lstm-backtest-');
  const lines = readFileSync(join(DATA, 'sine.csv'), 'utf8').trim().split('\n').slice(0, 401);
  writeFileSync(join(dir, 'sine.csv'), lines.join('\n') + '\n');
  return { dir, values: lines.slice(1).map((l) => Number(l.split(',')[1])) };
}

const config = (dir: string) =>
  writeJson(
    join(dir, 'cfg.json'),
    smallForecastConfig({
      data: {
        task: 'forecast',
        path: join(dir, 'sine.csv'),
        features: ['value', 'aux'],
        targets: ['value'],
        window: 12,
        horizon: HORIZON,
        season: SEASON,
      },
      model: { hiddenSize: 4, dropout: 0 },
      train: { epochs: 1, batchSize: 64, learningRate: 0.01 },
    }),
  );

/** predictions.csv as objects of numbers (every column of a file without times or series is numeric but target). */
function predictions(run: string): Record<string, number>[] {
  const [header, ...lines] = readFileSync(join(run, 'predictions.csv'), 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((l) =>
    Object.fromEntries(l.split(',').map((c, i) => [names[i], names[i] === 'target' ? 0 : Number(c)])),
  );
}

const onlyRun = (parent: string) => {
  const runs = readdirSync(parent);
  assert.equal(runs.length, 1, `one backtest folder in ${parent}: ${runs.join(', ')}`);
  return join(parent, runs[0]);
};

/** The in-sample seasonal-naive MAE of values[0 … origin], as MASE scales by. */
const scaleAt = (values: number[], origin: number) => {
  const d = values.slice(SEASON, origin + 1).map((v, i) => Math.abs(v - values[i]));
  return d.reduce((a, b) => a + b, 0) / d.length;
};

test("lstm-backtest on a checkpoint: k folds give k × horizon rows with the file's actuals, scored beside the baselines", () => {
  const { dir, values } = shortSine();
  const train = runCli('lstm-train', ['--config', config(dir), '--quiet'], dir);
  assert.equal(train.code, 0, train.stderr);
  const checkpoint = join(onlyRun(join(dir, 'runs')), 'checkpoints', 'best');
  const r = backtest(['--checkpoint', checkpoint, '--folds', '4', '--stride', '5', '--out', 'bt', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(join(dir, 'bt'));
  const rows = predictions(run);
  assert.equal(rows.length, 4 * HORIZON);
  // the last origin leaves exactly the horizon after it; the others are 5 rows apart before it
  const origins = [...new Set(rows.map((p) => p.origin_row))];
  assert.deepEqual(origins, [399 - HORIZON - 15, 399 - HORIZON - 10, 399 - HORIZON - 5, 399 - HORIZON]);
  for (const p of rows) {
    assert.equal(p.actual, values[p.origin_row + p.step], `actual of origin ${p.origin_row} step ${p.step}`);
    assert.equal(p.persistence, values[p.origin_row]);
    assert.equal(p.seasonal_naive, values[p.origin_row + p.step - SEASON]);
  }
  const summary = JSON.parse(r.stdout);
  assert.deepEqual(summary.forecasters, ['model', 'persistence', 'seasonal_naive']);
  const persistence = rows.map((p) => Math.abs(p.actual - p.persistence));
  const mae = persistence.reduce((a, b) => a + b, 0) / rows.length;
  const mase = rows.reduce((a, p, i) => a + persistence[i] / scaleAt(values, p.origin_row), 0) / rows.length;
  assert.ok(Math.abs(summary.overall.persistence.mae - mae) < 1e-5, `${summary.overall.persistence.mae} vs ${mae}`);
  assert.ok(Math.abs(summary.overall.persistence.mase - mase) < 1e-5, `${summary.overall.persistence.mase} vs ${mase}`);
  assert.equal(summary.overall.model.count, 4 * HORIZON);
  assert.equal(summary.perFold.length, 4);
  assert.deepEqual(
    summary.perStep.map((s: { step: number }) => s.step),
    [1, 2, 3],
  );
  for (const file of ['metrics.json', 'report.html', 'backtest.png', 'backtest.svg', 'backtest.vl.json'])
    assert.ok(existsSync(join(run, file)), file);
  assert.equal(existsSync(join(run, 'fits')), false, 'refit never on a checkpoint trains nothing');
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  for (const id of ['overall-scores', 'step-scores', 'fold-scores']) assert.ok(html.includes(`id="${id}"`), id);
  assert.ok(html.includes(`data-value="${summary.overall.model.mae}"`), "the report shows the model's MAE");
});

/** The uninterrupted refit-every backtest, for the resumed one to match. */
let every: Record<string, number>[] | undefined;

test('lstm-backtest --refit never trains one model up to the first origin; every trains one per origin', () => {
  const { dir } = shortSine();
  const cfg = config(dir);
  const args = ['--config', cfg, '--folds', '3', '--stride', '5', '--parallel', '2'];
  const never = backtest([...args, '--refit', 'never', '--out', 'never'], dir);
  assert.equal(never.code, 0, never.stderr);
  const all = backtest([...args, '--refit', 'every', '--out', 'every'], dir);
  assert.equal(all.code, 0, all.stderr);
  const [n, e] = [onlyRun(join(dir, 'never')), onlyRun(join(dir, 'every'))];
  assert.deepEqual(readdirSync(join(n, 'fits')), ['fold-000']);
  assert.deepEqual(readdirSync(join(e, 'fits')), ['fold-000', 'fold-001', 'fold-002']);
  const origins = [399 - HORIZON - 10, 399 - HORIZON - 5, 399 - HORIZON];
  // each refit trains on the file's rows up to its origin, and no further
  origins.forEach((origin, fold) => {
    const fit = readFileSync(join(e, 'fits', `fold-00${fold}`, 'data.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(fit.length, origin + 2);
    assert.equal(Number(fit.at(-1)!.split(',')[0]), origin);
  });
  const checkpoints = (run: string) =>
    readdirSync(join(run, 'folds')).map((f) => JSON.parse(readFileSync(join(run, 'folds', f), 'utf8')).checkpoint);
  assert.equal(new Set(checkpoints(n)).size, 1);
  assert.equal(new Set(checkpoints(e)).size, 3);
  const [pn, pe] = [predictions(n), predictions(e)];
  const forecasts = (rows: Record<string, number>[], fold: number) =>
    rows.filter((p) => p.fold === fold).map((p) => p.forecast);
  // fold 0's model is the same seeded training in both; the later folds' are trained on more rows under every
  assert.deepEqual(forecasts(pn, 0), forecasts(pe, 0));
  assert.notDeepEqual(forecasts(pn, 2), forecasts(pe, 2));
  every = pe;
});

test('lstm-backtest stopped by Ctrl-C resumes with --resume, skipping the folds already written', async () => {
  assert.ok(every, 'runs after the refit test');
  const { dir } = shortSine();
  const args = ['--config', config(dir), '--folds', '3', '--stride', '5', '--refit', 'every', '--parallel', '1'];
  const child = spawn(process.execPath, [BIN, ...args, '--out', 'bt'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
    if (/^fold 0 done/m.test(stdout) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise((done) => child.on('close', done));
  assert.equal(code, 130, stdout);
  const run = onlyRun(join(dir, 'bt'));
  assert.deepEqual(readdirSync(join(run, 'folds')), ['fold-000.json']);
  assert.match(stdout, /resume with: lstm-backtest --resume /);
  const first = readFileSync(join(run, 'folds', 'fold-000.json'), 'utf8');

  const r = backtest(['--resume', run], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /^fold 0 done/m);
  assert.match(r.stdout, /^fold 1 done/m);
  assert.equal(readFileSync(join(run, 'folds', 'fold-000.json'), 'utf8'), first);
  assert.deepEqual(predictions(run), every);
});

test('lstm-backtest refuses --folds 0, a stride below 1 and folds that reach before the first window (exit 2)', () => {
  const { dir } = shortSine();
  const cfg = config(dir);
  const cases: [string[], RegExp][] = [
    [['--config', cfg, '--folds', '0'], /--folds: expected a positive whole number of origins, got 0/],
    [
      ['--config', cfg, '--folds', '3', '--stride', '0'],
      /--stride: expected a positive whole number of rows between origins, got 0/,
    ],
    [
      ['--config', cfg, '--folds', '40', '--stride', '10'],
      /--folds 40 × --stride 10: expected the first origin to leave a whole window \(12 rows\).*row 6 of the 400 rows.*at most 39 folds fit/,
    ],
    [['--resume', dir, '--folds', '2'], /--resume: expected no --folds/],
  ];
  for (const [flags, message] of cases) {
    const r = backtest([...flags, '--out', 'bt'], dir);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
  assert.deepEqual(listTree(join(dir, 'bt')), [], 'nothing written');
});

test("lstm-backtest on a file of several series: the folds end at each series' own end, actuals found by series and time", () => {
  const dir = tempDir('lstm-backtest-');
  const stations = JSON.parse(readFileSync(join(ROOT, 'configs', 'stations.json'), 'utf8'));
  const cfg = writeJson(join(dir, 'stations.json'), {
    ...stations,
    backend: 'wasm',
    data: { ...stations.data, path: join(DATA, 'stations.csv') },
    model: { hiddenSize: 4 },
    train: { epochs: 1, batchSize: 128, learningRate: 0.01 },
    output: { dir: 'runs' },
  });
  const r = backtest(['--config', cfg, '--folds', '2', '--stride', '7', '--out', 'bt', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const [header, ...lines] = readFileSync(join(onlyRun(join(dir, 'bt')), 'predictions.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(
    header,
    'series,fold,origin_row,origin_time,step,time,target,actual,forecast,persistence,seasonal_naive',
  );
  const file = readFileSync(join(DATA, 'stations.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const visitors = new Map(file.map(([date, station, , , v]) => [`${station} ${date}`, Number(v)]));
  const last = new Map<string, string>();
  for (const [date, station] of file) if (date > (last.get(station) ?? '')) last.set(station, date);
  assert.equal(lines.length, 2 * 5 * 7, '2 folds × 5 series × 7 steps');
  for (const line of lines) {
    const [series, fold, , , step, time, , actual] = line.split(',');
    assert.equal(Number(actual), visitors.get(`${series} ${time}`), line);
    if (fold === '1' && step === '7') assert.equal(time, last.get(series), `fold 1 ends at ${series}'s last day`);
  }
  assert.deepEqual(
    JSON.parse(r.stdout).perSeries.map((s: { series: string }) => s.series),
    ['st1', 'st2', 'st3', 'st4', 'st5'],
  );
});
