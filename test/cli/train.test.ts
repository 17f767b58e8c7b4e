import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { listTree, runCli, smallForecastConfig, tempDir, writeJson, DATA } from './helpers.js';

test('lstm-train writes a complete run directory and prints the final metrics', () => {
  const dir = tempDir();
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig());
  const r = runCli('lstm-train', ['--config', cfg], dir);
  assert.equal(r.code, 0, r.stderr);
  const n = Math.min(availableParallelism(), 4);
  assert.ok(
    r.stdout.includes(`backend: wasm (fixed kernels, ${n} thread${n === 1 ? '' : 's'})`),
    'by default the fused hand kernel, and auto threads give it the cores',
  );
  assert.match(r.stdout, /final metrics \(best checkpoint, epoch \d/);
  assert.match(r.stdout, /split\s+examples\s+loss\s+mae/);
  const runs = readdirSync(join(dir, 'runs'));
  assert.equal(runs.length, 1);
  assert.match(runs[0], /^small-\d{8}-\d{6}$/);
  const run = join(dir, 'runs', runs[0]);
  for (const f of [
    'config.json',
    'history.csv',
    'history.json',
    'loss.svg',
    'loss.png',
    'loss.vl.json',
    'summary.json',
  ])
    assert.ok(existsSync(join(run, f)), `${f} is missing`);
  for (const c of ['best', 'last', 'epoch-0001', 'epoch-0002'])
    for (const f of ['model.json', 'weights.bin', 'meta.json'])
      assert.ok(existsSync(join(run, 'checkpoints', c, f)), `${c}/${f} is missing`);
  assert.ok(
    r.stdout.includes(`run directory: runs/${runs[0]}\n`),
    'the run directory is printed relative to the working directory',
  );

  const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
  assert.equal(config.model.init, 'pytorch', 'defaults are filled in');
  assert.equal(config.data.path, join(DATA, 'sine.csv'));
  const history = readFileSync(join(run, 'history.csv'), 'utf8').trim().split('\n');
  assert.equal(
    history[0],
    'epoch,train_loss,val_loss,train_mae,val_mae,learning_rate,epoch_seconds,train_samples_per_sec',
  );
  assert.equal(history.length, 3);
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
  assert.equal(summary.backend, 'wasm');
  assert.ok(summary.params > 0);
  for (const s of ['train', 'val', 'test']) assert.ok(Number.isFinite(summary.final[s].metric), `${s} metric`);
  assert.ok(summary.versions['tfjs-core']);
  const svg = readFileSync(join(run, 'loss.svg'), 'utf8');
  assert.match(svg, /small — hand LSTM \(wasm\)/);
});

test("without data.features, a forecast reads the targets' past and the other numbers, and leaves out a time index", () => {
  const dir = tempDir();
  const base = smallForecastConfig();
  const { features, ...data } = base.data;
  assert.deepEqual(features, ['value', 'aux']);
  const cfg = writeJson(join(dir, 'cfg.json'), { ...base, data });
  const r = runCli('lstm-train', ['--config', cfg, '--dry-run'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /features \(2\): value, aux/);
  assert.match(
    r.stdout,
    /note: column t increases on every row, like a time index: left out of the default features .*; set "time": "t" in data to order the rows by it, or list it in data\.features to use it/,
  );
  const listed = runCli('lstm-train', ['--config', writeJson(join(dir, 'listed.json'), base), '--dry-run'], dir);
  assert.doesNotMatch(listed.stdout, /note:/);
});

test('an invalid config lists every problem, exits 2 and writes nothing', () => {
  const dir = tempDir();
  const base = smallForecastConfig();
  const cfg = writeJson(join(dir, 'cfg.json'), { ...base, model: { hiddenSize: -3 }, train: { learningrate: 0.1 } });
  const r = runCli('lstm-train', ['--config', cfg], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /model\.hiddenSize: expected a positive integer, got -3/);
  assert.match(r.stderr, /train\.learningrate: unknown key; did you mean "learningRate"\?/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(listTree(dir), ['cfg.json']);
});

test('--dry-run prints the data and model summaries and writes nothing', () => {
  const dir = tempDir();
  const cfg = writeJson(
    join(dir, 'cfg.json'),
    smallForecastConfig({ model: { impl: 'hand', bidirectional: true, hiddenSize: 8 } }),
  );
  const r = runCli('lstm-train', ['--config', cfg, '--dry-run'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /features \(2\): value, aux/);
  assert.match(r.stdout, /train\s+\d+/);
  assert.match(r.stdout, /total parameters: \d+/);
  assert.match(r.stdout, /hand_bi_lstm_1/);
  assert.deepEqual(listTree(dir), ['cfg.json']);
});

test('--threads 2 trains the fused hand kernel on two XNNPACK threads, and the process ends by itself', () => {
  const dir = tempDir();
  const cfg = writeJson(
    join(dir, 'cfg.json'),
    smallForecastConfig({
      model: { impl: 'hand', kernel: 'fused', hiddenSize: 8 },
      train: { epochs: 1, batchSize: 128 },
    }),
  );
  const r = runCli('lstm-train', ['--config', cfg, '--threads', '2', '--quiet'], dir);
  assert.equal(r.code, 0, r.stderr);
  const bad = writeJson(join(dir, 'bad.json'), smallForecastConfig({ wasmThreads: 'many' }));
  const b = runCli('lstm-train', ['--config', bad], dir);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /wasmThreads: expected "auto" or a whole number from 1 to 8, got "many"/);
  const run = readdirSync(join(dir, 'runs'));
  assert.equal(run.length, 1);
  assert.equal(JSON.parse(readFileSync(join(dir, 'runs', run[0], 'config.json'), 'utf8')).wasmThreads, 2);
  const dry = runCli('lstm-train', ['--config', cfg, '--threads', '2', '--dry-run'], dir);
  assert.match(dry.stdout, /backend: wasm \(fixed kernels, 2 threads\)/);
});

test('--schema prints the JSON Schema', () => {
  const r = runCli('lstm-train', ['--schema'], tempDir());
  assert.equal(r.code, 0);
  const schema = JSON.parse(r.stdout);
  assert.equal(schema.properties.train.properties.learningRate.default, 0.001);
});

test('usage errors exit 2 without a stack trace', () => {
  const dir = tempDir();
  const r = runCli('lstm-train', ['--backend', 'gpu', '--config', 'x.json'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /gpu/);
  const missing = runCli('lstm-train', ['--config', join(dir, 'nope.json')], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.json.*no such file/s);
  const epochs = runCli('lstm-train', ['--config', 'x.json', '--epochs', '0'], dir);
  assert.equal(epochs.code, 2);
  assert.match(epochs.stderr, /--epochs.*expected a positive integer, got "0"/);
  const threads = runCli('lstm-train', ['--config', 'x.json', '--threads', '0'], dir);
  assert.equal(threads.code, 2);
  assert.match(threads.stderr, /--threads.*expected "auto" or a whole number from 1 to 8, got "0"/);
  assert.deepEqual(listTree(dir), []);
});

/** Each bad data file: the message names the file and what was wrong, exit 2, nothing written. */
const badData: { name: string; csv: string; data?: Record<string, unknown>; expect: RegExp }[] = [
  { name: 'non-numeric cell', csv: 'value,aux\n1,2\n3,abc\n', expect: /bad\.csv:3:2.*expected a number, found "abc"/ },
  { name: 'missing column', csv: 'value,aux2\n1,2\n', expect: /bad\.csv.*"aux"/ },
  { name: 'empty file', csv: '', expect: /bad\.csv.*empty/ },
  { name: 'header only', csv: 'value,aux\n', expect: /bad\.csv.*(no data rows|header)/ },
  { name: 'too few rows', csv: 'value,aux\n' + '1,2\n'.repeat(10), expect: /bad\.csv.*rows/ },
  { name: 'ragged row', csv: 'value,aux\n1,2\n3\n', expect: /bad\.csv:3.*expected 2 columns.*found 1/ },
  {
    name: 'empty cell with missing=error',
    csv: 'value,aux\n1,2\n,4\n' + '1,2\n'.repeat(40),
    expect: /bad\.csv:3:1.*empty/,
  },
];

const wide = (rows: [number, number, string][]) => 'a_0,a_1,label\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
const classify = { task: 'classify', path: 'bad.csv', layout: 'wide', steps: 2 };
badData.push(
  {
    name: 'single-class label column',
    csv: wide(Array.from({ length: 20 }, (_, i) => [i, i, 'a'])),
    data: classify,
    expect: /bad\.csv.*expected at least 2 classes.*found 1/,
  },
  {
    name: 'a class with too few examples to stratify',
    csv: wide([...Array.from({ length: 20 }, (_, i): [number, number, string] => [i, i, 'a']), [1, 1, 'b']]),
    data: classify,
    expect: /bad\.csv.*"b".*1/,
  },
);

for (const c of badData) {
  test(`bad data: ${c.name}`, () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.csv'), c.csv);
    const cfg = writeJson(
      join(dir, 'cfg.json'),
      smallForecastConfig({
        data: c.data ?? {
          task: 'forecast',
          path: 'bad.csv',
          features: ['value', 'aux'],
          targets: ['value'],
          window: 4,
        },
      }),
    );
    const r = runCli('lstm-train', ['--config', cfg], dir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, c.expect);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(listTree(dir).sort(), ['bad.csv', 'cfg.json']);
  });
}
