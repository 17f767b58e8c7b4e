import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, writeFileSync, existsSync, truncateSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { listTree, runCli, smallForecastConfig, tempDir, writeJson, DATA } from './helpers.js';

let dir: string;
let forecastRun: string;
let classifyRun: string;

function train(config: object): string {
  const out = tempDir('lstm-eval-run-');
  const r = runCli('lstm-train', ['--config', writeJson(join(out, 'cfg.json'), config), '--quiet'], out);
  assert.equal(r.code, 0, r.stderr);
  return join(out, 'runs', readdirSync(join(out, 'runs'))[0]);
}

before(() => {
  dir = tempDir('lstm-eval-');
  forecastRun = train(smallForecastConfig());
  classifyRun = train({
    name: 'cls',
    seed: 3,
    backend: 'wasm',
    data: { task: 'classify', path: join(DATA, 'order.csv'), layout: 'wide', steps: 20 },
    model: { hiddenSize: 8 },
    train: { epochs: 2, batchSize: 64, learningRate: 0.01 },
  });
});

test('forecast: metrics per target with the persistence baseline and skill; reproduces the val loss the checkpoint recorded', () => {
  const best = join(forecastRun, 'checkpoints', 'best');
  const r = runCli('lstm-eval', [best, '--split', 'val', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const meta = JSON.parse(readFileSync(join(best, 'meta.json'), 'utf8'));
  assert.equal(report.split, 'val');
  // a best checkpoint at epoch 0 is the start, whose val scores the training state keeps (no epoch's row)
  const recorded = meta.epoch === 0 ? meta.trainState.start : meta.metrics;
  assert.ok(Math.abs(report.loss - recorded.valLoss) < 1e-6, `${report.loss} vs ${recorded.valLoss}`);
  assert.ok(Math.abs(report.targets[0].model.mae - recorded.valMetric) < 1e-5);
  const t = report.targets[0];
  assert.equal(t.name, 'value');
  assert.ok(Math.abs(t.skill - (1 - t.model.mae / t.persistence.mae)) < 1e-12);
  for (const k of ['mse', 'rmse', 'mae', 'mape', 'r2']) assert.ok(Number.isFinite(t.persistence[k]), k);

  const text = runCli('lstm-eval', [best], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /split test/);
  assert.match(text.stdout, /persistence/);
  assert.match(text.stdout, /skill vs persistence/);
});

test('--threads: the checkpoint gives the same metrics on two XNNPACK threads as on one', () => {
  const best = join(forecastRun, 'checkpoints', 'best');
  const [one, two] = ['1', '2'].map((n) => runCli('lstm-eval', [best, '--threads', n, '--json'], dir));
  assert.equal(two.code, 0, two.stderr);
  const [a, b] = [one, two].map((r) => JSON.parse(r.stdout));
  assert.ok(Math.abs(a.loss - b.loss) < 1e-6, `${a.loss} vs ${b.loss}`);
  assert.ok(Math.abs(a.targets[0].model.mae - b.targets[0].model.mae) < 1e-6);
  assert.match(runCli('lstm-eval', [best, '--threads', '2'], dir).stdout, /backend wasm \(fixed kernels, 2 threads\)/);
  const n = Math.min(availableParallelism(), 4);
  assert.ok(
    runCli('lstm-eval', [best], dir).stdout.includes(`backend wasm (fixed kernels, ${n} thread${n === 1 ? '' : 's'})`),
    'auto: the cores for the fused hand kernel (the default model)',
  );
});

test('forecast: --predictions writes one row per window in original units, --plot draws them', () => {
  const out = tempDir();
  const r = runCli(
    'lstm-eval',
    [join(forecastRun, 'checkpoints', 'best'), '--predictions', 'pred.csv', '--plot', '--json'],
    out,
  );
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout); // --json: only JSON on stdout
  const lines = readFileSync(join(out, 'pred.csv'), 'utf8').trim().split('\n');
  const bounds = ['80', '95'].flatMap((l) => [`value_lower_${l}`, `value_upper_${l}`]);
  assert.equal(lines[0], ['id', 'step', 'value_true', 'value_pred', ...bounds].join(','));
  assert.equal(lines.length - 1, report.count, 'horizon 1: one row per window');
  // ids are data-row indices of the window's last row; the true value is the CSV's value `step` rows later
  const csv = readFileSync(join(DATA, 'sine.csv'), 'utf8').trim().split('\n');
  const col = csv[0].split(',').indexOf('value');
  const [id, step, truth, pred, lower80, upper80, lower95, upper95] = lines[1].split(',').map(Number);
  assert.equal(step, 1);
  assert.ok(Math.abs(Number(csv[1 + id + step].split(',')[col]) - truth) < 1e-4);
  assert.ok(
    lower95 <= lower80 && lower80 <= pred && pred <= upper80 && upper80 <= upper95,
    'nested bounds around the forecast',
  );
  for (const f of ['predictions.svg', 'predictions.png', 'predictions.vl.json', 'mae-by-step.png'])
    assert.ok(existsSync(join(out, f)), f);
  // a long split is drawn as its last windows, said in the subtitle; each chart's title names it once
  const spec = (name: string) => JSON.parse(readFileSync(join(out, `${name}.vl.json`), 'utf8'));
  const predictions = spec('predictions');
  assert.ok(report.count > 240, `a split longer than is drawn: ${report.count}`);
  assert.deepEqual(predictions.title, {
    text: 'small: actual vs predicted',
    subtitle: `test split, original units; the last 240 of ${report.count} windows`,
  });
  const ids = new Set(predictions.data.values.map((v: { id: number }) => v.id));
  assert.equal(ids.size, 240);
  assert.equal(spec('mae-by-step').title.text, 'small: MAE by step ahead');
});

test('classify: accuracy, macro-F1, per-class table, confusion matrix and majority baseline', () => {
  const out = tempDir();
  const best = join(classifyRun, 'checkpoints', 'best');
  const r = runCli('lstm-eval', [best, '--predictions', 'p.csv', '--plot', '.'], out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /accuracy .* macro-F1 .* majority-class baseline accuracy/);
  assert.match(r.stdout, /confusion matrix \(rows: true, columns: predicted\)/);
  assert.match(r.stdout, /precision\s+recall\s+F1\s+support/);
  const header = readFileSync(join(out, 'p.csv'), 'utf8').split('\n')[0];
  assert.match(header, /^id,label_true,label_pred,p_/);
  assert.ok(existsSync(join(out, 'confusion.png')));
  const json = JSON.parse(runCli('lstm-eval', [best, '--json', '--split', 'all'], out).stdout);
  const total = json.confusion.flat().reduce((a: number, b: number) => a + b, 0);
  assert.equal(total, json.count);
  assert.equal(
    json.perClass.reduce((a: number, c: { support: number }) => a + c.support, 0),
    json.count,
  );
});

test('--data evaluates a new CSV with the stored scaler', () => {
  const out = tempDir();
  const rows = readFileSync(join(DATA, 'sine.csv'), 'utf8').trim().split('\n');
  writeFileSync(join(out, 'new.csv'), [rows[0], ...rows.slice(-200)].join('\n') + '\n');
  const r = runCli('lstm-eval', [join(forecastRun, 'checkpoints', 'best'), '--data', 'new.csv', '--json'], out);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.count, 200 - 12);
  assert.equal(report.split, 'all');
});

function evalFails(checkpoint: string, args: string[], expect: RegExp) {
  const r = runCli('lstm-eval', [checkpoint, ...args], dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, expect);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

function brokenCopy(edit: (ckpt: string) => void): string {
  const copy = join(tempDir(), 'ckpt');
  cpSync(join(forecastRun, 'checkpoints', 'best'), copy, { recursive: true });
  edit(copy);
  return copy;
}

test('checkpoint errors: not a checkpoint, truncated model.json or weights.bin, incompatible meta.json', () => {
  evalFails(join(forecastRun, 'checkpoints'), [], /not a checkpoint directory: found best, /); // a run directory: run-dir-arg.test.ts
  evalFails(join(dir, 'nowhere'), [], /nowhere/);
  evalFails(
    brokenCopy((c) => truncateSync(join(c, 'model.json'), 40)),
    [],
    /model\.json/,
  );
  evalFails(
    brokenCopy((c) => truncateSync(join(c, 'weights.bin'), statSync(join(c, 'weights.bin')).size - 8)),
    [],
    /weights\.bin.*expected \d+ bytes/,
  );
  evalFails(
    brokenCopy((c) => {
      const meta = JSON.parse(readFileSync(join(c, 'meta.json'), 'utf8'));
      writeFileSync(join(c, 'meta.json'), JSON.stringify({ ...meta, formatVersion: 99 }));
    }),
    [],
    /meta\.json.*99/,
  );
});

test('data errors: a CSV without the columns the checkpoint needs, a label not seen in training', () => {
  const out = tempDir();
  writeFileSync(join(out, 'nocol.csv'), 'value,other\n' + '1,2\n'.repeat(40));
  evalFails(join(forecastRun, 'checkpoints', 'best'), ['--data', join(out, 'nocol.csv')], /nocol\.csv.*"aux"/);
  const rows = readFileSync(join(DATA, 'order.csv'), 'utf8').trim().split('\n');
  const cells = rows[1].split(',');
  cells[cells.length - 1] = 'zzz';
  writeFileSync(join(out, 'newlabel.csv'), [rows[0], rows[2], cells.join(',')].join('\n') + '\n');
  evalFails(join(classifyRun, 'checkpoints', 'best'), ['--data', join(out, 'newlabel.csv')], /newlabel\.csv:3.*"zzz"/);
  assert.deepEqual(listTree(out).sort(), ['newlabel.csv', 'nocol.csv']);
});

test('a hand-rolled bidirectional checkpoint on ragged long-layout sequences: predictions keyed by sequence id, gates both ways', () => {
  const run = train({
    name: 'long',
    seed: 5,
    backend: 'wasm',
    data: { task: 'classify', path: join(DATA, 'order-long.csv'), layout: 'long', sequenceId: 'seq', orderBy: 'step' },
    model: { impl: 'hand', bidirectional: true, hiddenSize: 8 },
    train: { epochs: 1, batchSize: 64 },
  });
  const out = tempDir();
  const r = runCli('lstm-eval', [join(run, 'checkpoints', 'best'), '--json', '--predictions', 'p.csv'], out);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const rows = readFileSync(join(out, 'p.csv'), 'utf8').trim().split('\n').slice(1);
  assert.equal(rows.length, report.count);
  const seqIds = new Set(
    readFileSync(join(DATA, 'order-long.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]),
  );
  for (const row of rows) assert.ok(seqIds.has(row.split(',')[0]), `${row.split(',')[0]} is a sequence id`);

  // its gates, both directions, for two sequences named by the ids the predictions use
  const ids = rows.slice(0, 2).map((row) => row.split(',')[0]);
  const g = runCli(
    'lstm-eval',
    [join(run, 'checkpoints', 'best'), '--gates', '--ids', ids.join(','), '--out', 'g'],
    out,
  );
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /^1 backward\s+f\s+\S+\s+\S+$/m, 'the summary table names the backward direction');
  const gates = JSON.parse(readFileSync(join(out, 'g', 'gates.json'), 'utf8'));
  assert.deepEqual(
    gates.examples.map((e: { id: string }) => e.id),
    ids,
  );
  for (const ex of gates.examples) {
    assert.deepEqual(
      ex.layers.map((l: { direction: string }) => l.direction),
      ['forward', 'backward'],
    );
    for (const l of ex.layers)
      for (const q of ['i', 'f', 'g', 'o', 'c', 'h']) {
        assert.equal(l.values[q].length, ex.length, `${q}: one row per real (unpadded) step`);
        assert.equal(l.values[q][0].length, 8, `${q}: one value per hidden unit`);
      }
    for (const dir of ['forward', 'backward'])
      for (const ext of ['svg', 'png', 'vl.json'])
        assert.ok(existsSync(join(out, 'g', `gates-${ex.id}-layer1-${dir}.${ext}`)), `${ex.id} ${dir} .${ext}`);
  }
  // each chart's title names the run once, then what it shows
  const title = (f: string) => JSON.parse(readFileSync(join(out, 'g', `${f}.vl.json`), 'utf8')).title;
  assert.equal(title(`gates-${gates.examples[0].id}-layer1-forward`).text, 'long: LSTM gates');
  assert.equal(title('gates-distribution').text, 'long: gate activations');
  assert.equal(title('gates-saturation').text, 'long: saturated gates by time step');
  assert.equal(gates.summary.length, 8, 'four gates, two directions');
  assert.equal(gates.count, report.count, 'the summary covers the whole split');
  for (const s of gates.summary) assert.ok(s.saturated >= 0 && s.saturated <= 1 && s.saturatedByStep.length > 0);
  const unknown = runCli(
    'lstm-eval',
    [join(run, 'checkpoints', 'best'), '--gates', '--ids', 'nope', '--out', 'g2'],
    out,
  );
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--ids: expected ids of the test split \(its first: .*\), got "nope"/);
  assert.ok(!existsSync(join(out, 'g2')), 'nothing written');
});

test('usage errors: a bad --batch-size, --split with --data, an unwritable --predictions path', () => {
  const best = join(forecastRun, 'checkpoints', 'best');
  evalFails(best, ['--batch-size', 'abc'], /--batch-size.*expected a positive integer, got "abc"/);
  evalFails(best, ['--batch-size', '0'], /--batch-size.*expected a positive integer, got "0"/);
  evalFails(best, ['--data', join(DATA, 'sine.csv'), '--split', 'val'], /--split:.*evaluated whole/);
  evalFails(
    join(dir, 'no-checkpoint'),
    ['--data', join(DATA, 'sine.csv'), '--split', 'val'],
    /--split:.*evaluated whole/,
  ); // said before any work
  evalFails(
    best,
    ['--predictions', '/nonexistent-dir/p.csv'],
    /--predictions: expected a writable location, got \/nonexistent-dir\/p\.csv \(ENOENT\)/,
  );
});

test('a config without a test split: the default --split test says so instead of printing NaN', () => {
  const run = train(
    smallForecastConfig({
      data: { ...smallForecastConfig().data, split: { train: 0.8, val: 0.2, test: 0 } },
      train: { epochs: 1, batchSize: 256 },
    }),
  );
  evalFails(join(run, 'checkpoints', 'best'), [], /expected examples in the test split, found none/);
  const val = runCli('lstm-eval', [join(run, 'checkpoints', 'best'), '--split', 'val'], dir);
  assert.equal(val.code, 0, val.stderr);
});
