// lstm-predict as a user runs it: the real CLI on real files, forecasts past the end and labels without labels.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hourlyCsv } from '../../scripts/make-data.js';
import { assertSameRows } from '../export/page.js';
import { DATA, listTree, readCsvRows, runCli, tempDir, trainRun } from './helpers.js';

let dir: string;
let csv: string;
let both: string; // every feature is a target: it can roll out

const hourlyConfig = (path: string, data: Record<string, unknown> = {}) => ({
  name: 'hourly-small',
  seed: 4,
  backend: 'wasm',
  data: {
    task: 'forecast',
    path,
    time: 'time',
    features: ['load', 'temp'],
    targets: ['load', 'temp'],
    window: 24,
    horizon: 6,
    season: 24,
    ...data,
  },
  model: { impl: 'hand', hiddenSize: 8, ensemble: 2 }, // an ensemble: predicted, rolled out and exported as one model
  train: { epochs: 2, batchSize: 64, learningRate: 0.01 },
  output: { dir: 'runs' },
});

before(() => {
  dir = tempDir('lstm-predict-');
  csv = join(dir, 'hourly.csv');
  writeFileSync(csv, hourlyCsv({ days: 60 }));
  both = join(trainRun(hourlyConfig(csv)), 'checkpoints', 'best');
});

const lastLine = (path: string) => readFileSync(path, 'utf8').trim().split('\n').at(-1)!.split(',');

test('forecast: the horizon after the last row, with times and nested intervals; --json says the same; --plot draws it', () => {
  const out = tempDir();
  const r = runCli('lstm-predict', [both, '--data', csv, '--out', 'f.csv', '--plot', 'fan.png'], out);
  assert.equal(r.code, 0, r.stderr);
  const rows = readCsvRows(join(out, 'f.csv'));
  assert.equal(rows.length, 6);
  assert.deepEqual(Object.keys(rows[0]), [
    'step',
    'time',
    ...['load', 'temp'].flatMap((t) => [t, `${t}_lower_80`, `${t}_upper_80`, `${t}_lower_95`, `${t}_upper_95`]),
  ]);
  const last = Date.parse(`${lastLine(csv)[0]}Z`);
  rows.forEach((row, k) => {
    assert.equal(row.step, String(k + 1));
    assert.equal(
      row.time,
      new Date(last + (k + 1) * 3_600_000).toISOString().slice(0, 16),
      'hourly, as the file writes it',
    );
    const [v, l80, u80, l95, u95] = ['load', 'load_lower_80', 'load_upper_80', 'load_lower_95', 'load_upper_95'].map(
      (c) => Number(row[c]),
    );
    assert.ok(l95 <= l80 && l80 < v && v < u80 && u80 <= u95, `step ${k + 1}: ${[l95, l80, v, u80, u95]}`);
  });
  for (const f of ['fan.png', 'fan.svg', 'fan.vl.json']) assert.ok(existsSync(join(out, f)), f);
  assert.match(readFileSync(join(out, 'fan.svg'), 'utf8'), /hourly-small: forecast/);
  const json = runCli('lstm-predict', [both, '--data', csv, '--json'], out);
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.rows.length, 6);
  assert.equal(parsed.rows[2].time, rows[2].time);
  assert.ok(Math.abs(parsed.rows[2].load - Number(rows[2].load)) < 1e-9);
  assert.equal(parsed.origin.time, lastLine(csv)[0]);
});

test('--steps 3 × horizon rolls the forecast out: that many rows, the first horizon the direct forecast, wider bands later', () => {
  const out = tempDir();
  const direct = runCli('lstm-predict', [both, '--data', csv, '--out', 'direct.csv'], out);
  const rolled = runCli('lstm-predict', [both, '--data', csv, '--steps', '18', '--out', 'rolled.csv'], out);
  assert.equal(rolled.code, 0, rolled.stderr);
  assert.equal(direct.code, 0, direct.stderr);
  const [a, b] = ['direct.csv', 'rolled.csv'].map((f) => readCsvRows(join(out, f)));
  assert.equal(b.length, 18);
  for (let k = 0; k < 6; k++) assert.deepEqual(b[k], a[k], `step ${k + 1} is the direct forecast`);
  const width = (row: Record<string, string>) => Number(row.load_upper_80) - Number(row.load_lower_80);
  assert.ok(
    b.slice(6).every((row) => Number.isFinite(width(row))),
    'rolled-out steps have intervals, from the val rollout',
  );
  const mean = (rows: Record<string, string>[]) => rows.reduce((s, r) => s + width(r), 0) / rows.length;
  assert.ok(
    mean(b.slice(12)) > mean(b.slice(0, 6)),
    `the far steps' bands (${mean(b.slice(12))}) are wider than the direct ones' (${mean(b.slice(0, 6))})`,
  );
});

test('--runtime onnx gives --runtime tfjs’s forecast to 1e-5, rolled out past the horizon; an unknown runtime is refused', () => {
  const out = tempDir();
  const run = (runtime: string) =>
    runCli('lstm-predict', [both, '--data', csv, '--steps', '18', '--json', '--runtime', runtime], out);
  const [tfjs, onnx] = [run('tfjs'), run('onnx')];
  assert.equal(tfjs.code, 0, tfjs.stderr);
  assert.equal(onnx.code, 0, onnx.stderr);
  const [a, b] = [tfjs, onnx].map((r) => JSON.parse(r.stdout));
  assert.equal(b.rows.length, 18, 'three horizons: the direct forecast and two rounds of rollout');
  assertSameRows(b.rows, a.rows, 'onnx');
  assert.deepEqual([b.origin, b.notes], [a.origin, a.notes]);
  const bad = run('torch');
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--runtime <name>' argument 'torch' is invalid\. Allowed choices are tfjs, onnx/);
});

test('--from ends the window at a time or a data row, and the plot shows what followed; bad values are refused', () => {
  const out = tempDir();
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  const at = lines[1001].split(',')[0]; // data row 1000
  const byTime = runCli('lstm-predict', [both, '--data', csv, '--from', at, '--json'], out);
  const byRow = runCli('lstm-predict', [both, '--data', csv, '--from', '1000', '--json'], out);
  assert.equal(byTime.code, 0, byTime.stderr);
  assert.deepEqual(JSON.parse(byTime.stdout).rows, JSON.parse(byRow.stdout).rows);
  assert.equal(JSON.parse(byTime.stdout).rows[0].time, lines[1002].split(',')[0]);
  const plotted = runCli('lstm-predict', [both, '--data', csv, '--from', at, '--plot', out], out);
  assert.equal(plotted.code, 0, plotted.stderr);
  const spec = JSON.parse(readFileSync(join(out, 'forecast.vl.json'), 'utf8'));
  assert.ok(
    spec.data.values.some((v: { kind?: string }) => v.kind === 'actual'),
    'the actual values after --from are drawn',
  );
  const bad = runCli('lstm-predict', [both, '--data', csv, '--from', '2031-01-01T00:00'], out);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    new RegExp(
      String.raw`--from: expected a time of the file, or a data-row index of .*hourly\.csv, got "2031-01-01T00:00" ` +
        String.raw`\(its times run from 2023-01-01T00:00 to `,
    ),
  );
});

test('a rollout with a feature that is not a target is refused, naming it; nothing is written', () => {
  const run = trainRun(hourlyConfig(csv, { targets: ['load'] }));
  const out = tempDir();
  const r = runCli(
    'lstm-predict',
    [join(run, 'checkpoints', 'best'), '--data', csv, '--steps', '7', '--out', 'f.csv'],
    out,
  );
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      String.raw`--steps 7: forecasting past the horizon \(6\) feeds the forecasts back in as inputs, which needs every ` +
        String.raw`feature to be a target \(or a calendar feature, or in data\.futureFeatures\); these features have no ` +
        String.raw`future values: temp`,
    ),
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.deepEqual(listTree(out), []);
});

test('a forecast file whose columns do not match the checkpoint: a clear message, exit 2, nothing written', () => {
  const out = tempDir();
  const wrong = join(out, 'wrong.csv');
  writeFileSync(wrong, readFileSync(csv, 'utf8').replace(/^time,load,temp/, 'time,load,temperature'));
  const r = runCli('lstm-predict', [both, '--data', wrong, '--out', 'f.csv', '--plot', 'p.png'], out);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /wrong\.csv:1: expected a feature column "temp", found none \(did you mean "temperature"\?\)/);
  assert.deepEqual(listTree(out), ['wrong.csv']);
});

test('the truth is not needed: a target that is not an input may be missing from the file', () => {
  const run = trainRun(hourlyConfig(csv, { features: ['temp'], targets: ['load'], windowLevel: 'absolute' }));
  const out = tempDir();
  const noLoad = join(out, 'temp-only.csv');
  writeFileSync(
    noLoad,
    readFileSync(csv, 'utf8')
      .trim()
      .split('\n')
      .map((l) =>
        l
          .split(',')
          .filter((_, i) => i !== 1)
          .join(','),
      )
      .join('\n') + '\n',
  );
  const r = runCli('lstm-predict', [join(run, 'checkpoints', 'best'), '--data', noLoad, '--json'], out);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).rows.length, 6);
});

test('classify: a file without its label column gets a label and every class probability per sequence', () => {
  const run = trainRun({
    name: 'cls',
    seed: 3,
    backend: 'wasm',
    data: { task: 'classify', path: join(DATA, 'order-long.csv'), layout: 'long', sequenceId: 'seq', orderBy: 'step' },
    model: { hiddenSize: 8 },
    train: { epochs: 1, batchSize: 64 },
  });
  const out = tempDir();
  const unlabelled = join(out, 'unlabelled.csv');
  const lines = readFileSync(join(DATA, 'order-long.csv'), 'utf8').trim().split('\n').slice(0, 200);
  writeFileSync(unlabelled, lines.map((l) => l.split(',').slice(0, 4).join(',')).join('\n') + '\n');
  const r = runCli(
    'lstm-predict',
    [join(run, 'checkpoints', 'best'), '--data', unlabelled, '--out', 'labels.csv', '--plot', out],
    out,
  );
  assert.equal(r.code, 0, r.stderr);
  const rows = readCsvRows(join(out, 'labels.csv'));
  const ids = [...new Set(lines.slice(1).map((l) => l.split(',')[0]))];
  assert.deepEqual(
    rows.map((row) => row.sequence),
    ids,
  );
  for (const row of rows) {
    assert.ok(['xy', 'yx'].includes(row.label), row.label);
    const [pxy, pyx] = [Number(row.p_xy), Number(row.p_yx)];
    assert.ok(Math.abs(pxy + pyx - 1) < 1e-5);
    assert.equal(row.label, pxy >= pyx ? 'xy' : 'yx');
  }
  assert.ok(existsSync(join(out, 'labels.png')));
});

test('a month-start series forecasts the next calendar months', () => {
  const months = Array.from({ length: 120 }, (_, i) => {
    const d = new Date(Date.UTC(2015, i, 1)).toISOString().slice(0, 10);
    return `${d},${(100 + i + 10 * Math.sin((2 * Math.PI * i) / 12)).toFixed(2)}`;
  });
  const out = tempDir();
  const path = join(out, 'monthly.csv');
  writeFileSync(path, ['month,sales', ...months].join('\n') + '\n');
  const run = trainRun({
    name: 'monthly',
    backend: 'wasm',
    data: { task: 'forecast', path, time: 'month', features: ['sales'], targets: ['sales'], window: 12, horizon: 3 },
    model: { hiddenSize: 4 },
    train: { epochs: 1, batchSize: 16 },
    output: { dir: 'runs' },
  });
  const r = runCli('lstm-predict', [join(run, 'checkpoints', 'best'), '--data', path, '--json'], out);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    JSON.parse(r.stdout).rows.map((row: { time: string }) => row.time),
    ['2025-01-01', '2025-02-01', '2025-03-01'],
  );
});
