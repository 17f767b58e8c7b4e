import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listTree, runCli, smallClassifyConfig, smallForecastConfig, tempDir, writeJson } from './helpers.js';

const VARIANTS = ['builtin', 'builtin-bi', 'hand', 'hand-bi'];

test('lstm-compare checks parity, trains all four variants and writes the compare directory', () => {
  const dir = tempDir('lstm-compare-');
  const cfg = writeJson(join(dir, 'cfg.json'), smallClassifyConfig());
  const r = runCli('lstm-compare', ['--config', cfg], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /builtin ↔ hand\s+\S+\s+\S+\s+\S+\s+PASS/);
  assert.match(r.stdout, /builtin-bi ↔ hand-bi\s.*PASS/);
  assert.match(
    r.stdout,
    new RegExp(
      String.raw`variant\s+params\s+train loss\s+val loss\s+train accuracy\s+val accuracy\s+best epoch\s+` +
        String.raw`s\/epoch\s+train samples\/s\s+infer samples\/s`,
    ),
  );
  for (const v of VARIANTS) assert.match(r.stdout, new RegExp(`^${v}\\s+\\d+\\s`, 'm'), `a table row for ${v}`);
  assert.match(r.stdout, /drift builtin ↔ hand: epoch-1 \|Δ train loss\| /);
  const [compare] = readdirSync(join(dir, 'runs'));
  assert.match(compare, /^compare-order-\d{8}-\d{6}$/);
  const out = join(dir, 'runs', compare);
  for (const f of ['compare.csv', 'compare.json', 'loss.svg', 'loss.png', 'loss.vl.json', 'report.md'])
    assert.ok(existsSync(join(out, f)), `${f} is missing`);
  const runs = readdirSync(out)
    .filter((f) => !f.includes('.'))
    .sort();
  assert.deepEqual(
    runs.map((r) => r.replace(/-\d{8}-\d{6}$/, '')),
    VARIANTS,
  );
  for (const run of runs)
    for (const f of ['summary.json', 'history.csv', 'loss.png', 'config.json'])
      assert.ok(existsSync(join(out, run, f)), `${run}/${f}`);
  const csv = readFileSync(join(out, 'compare.csv'), 'utf8').trim().split('\n');
  assert.equal(
    csv[0],
    'variant,params,train_loss,val_loss,train_accuracy,val_accuracy,best_epoch,epochs,seconds_per_epoch,' +
      'train_samples_per_sec,inference_samples_per_sec,run_dir',
  );
  assert.equal(csv.length, 5);
  const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
  assert.equal(json.parity.length >= 2, true);
  assert.equal(json.drift.length, 2);
  assert.ok(json.drift[0].firstEpochDiff <= 1e-4, 'dropout 0, one backend: epoch 1 agrees');
  const config = JSON.parse(readFileSync(join(out, runs[3], 'config.json'), 'utf8'));
  assert.deepEqual([config.name, config.model.impl, config.model.bidirectional], ['hand-bi', 'hand', true]);
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  for (const part of [
    '| variant | params |',
    '![loss curves of every variant](loss.png)',
    '## Parity',
    '| builtin ↔ hand |',
    '## Drift',
    'largest per-epoch |Δ train loss|',
  ])
    assert.ok(md.includes(part), `report.md lacks ${part}`);
  const svg = readFileSync(join(out, 'loss.svg'), 'utf8');
  for (const v of VARIANTS) assert.ok(svg.includes(`>${v}<`), `legend entry ${v}`);
});

test('--check-only prints the parity result, exits 0 and writes nothing', () => {
  const dir = tempDir('lstm-compare-');
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig({ model: { hiddenSize: 4 } }));
  const r = runCli('lstm-compare', ['--config', cfg, '--check-only', '--quiet'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /parity \(identical weights/);
  assert.equal((r.stdout.match(/PASS/g) ?? []).length >= 2, true);
  assert.doesNotMatch(r.stdout, /FAIL|epoch 1/);
  assert.deepEqual(listTree(dir), ['cfg.json']);
});

test('--from a hand checkpoint starts builtin and hand from its weights; bi variants do not fit it (exit 2)', () => {
  const dir = tempDir('lstm-compare-');
  const cfg = writeJson(
    join(dir, 'cfg.json'),
    smallForecastConfig({
      // no skip: from the skip's ridge start one epoch moves the loss too little to show where training resumed
      model: { impl: 'hand', hiddenSize: 4, dropout: 0, linearSkip: false },
      train: { epochs: 1, batchSize: 128, learningRate: 0.01 },
    }),
  );
  assert.equal(runCli('lstm-train', ['--config', cfg, '--quiet'], dir).code, 0);
  const [run] = readdirSync(join(dir, 'runs'));
  const best = join(dir, 'runs', run, 'checkpoints', 'best');

  const bad = runCli('lstm-compare', ['--from', best, '--epochs', '1'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /do not fit variants builtin-bi, hand-bi/);
  assert.match(bad.stderr, /hint: compare only the variants it fits: --variants builtin,hand/);

  const out = join(dir, 'cmp');
  const r = runCli(
    'lstm-compare',
    ['--from', best, '--variants', 'hand,builtin', '--epochs', '1', '--out', out, '--quiet'],
    dir,
  );
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
  assert.equal(json.weights, best);
  assert.deepEqual(
    json.variants.map((v: { variant: string }) => v.variant),
    ['builtin', 'hand'],
  );
  const [builtin, hand] = json.variants.map((v: { history: { trainLoss: number }[] }) => v.history[0].trainLoss);
  assert.ok(Math.abs(builtin - hand) <= 1e-4, `both start from the checkpoint: ${builtin} vs ${hand}`);
  const first = JSON.parse(readFileSync(join(dir, 'runs', run, 'history.json'), 'utf8'))[0];
  assert.ok(builtin < first.train_loss, 'training continues from the checkpoint, below its first epoch');
});

test('usage errors: an unknown variant, no config, a non-empty --out (exit 2, nothing written)', () => {
  const dir = tempDir('lstm-compare-');
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig());
  const unknown = runCli('lstm-compare', ['--config', cfg, '--variants', 'builtin,torch'], dir);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /--variants: expected a comma-separated list of builtin, builtin-bi, hand, hand-bi; got "torch"/,
  );
  const none = runCli('lstm-compare', [], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^error: invalid command line: --config: expected a config file, got nothing/);
  assert.doesNotMatch(none.stderr, /invalid config/, 'a flag error is not a config error');
  const taken = runCli('lstm-compare', ['--config', cfg, '--out', dir, '--quiet'], dir);
  assert.equal(taken.code, 2);
  assert.match(taken.stderr, /--out: expected a new or empty directory/);
  assert.doesNotMatch(taken.stdout, /parity/, 'said before any work is done');
  assert.deepEqual(listTree(dir), ['cfg.json']);
});

test('a forecaster races as lstm-train trains it: the window level settled (with its note), the skip started', () => {
  const dir = tempDir('lstm-compare-');
  // AR(1) noise around 10 (a fixed linear congruential sequence): ARIMA needs no first difference
  let [s, v] = [11, 10];
  const rows = ['y'];
  for (let t = 0; t < 300; t++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    v = 10 + 0.6 * (v - 10) + (s / 2 ** 31 - 0.5);
    rows.push(v.toFixed(4));
  }
  writeFileSync(join(dir, 'ar.csv'), rows.join('\n') + '\n');
  const data = { task: 'forecast', path: join(dir, 'ar.csv'), targets: ['y'], window: 12, horizon: 2 };
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig({ data, train: { epochs: 1, batchSize: 64 } }));
  const out = join(dir, 'cmp');
  const r = runCli('lstm-compare', ['--config', cfg, '--variants', 'builtin,hand', '--out', out], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /note: data\.windowLevel "auto" is absolute/);
  const runs = readdirSync(out).filter((f) => !f.includes('.'));
  assert.equal(runs.length, 2);
  for (const run of runs) {
    assert.equal(JSON.parse(readFileSync(join(out, run, 'config.json'), 'utf8')).data.windowLevel, 'absolute');
    const notes = JSON.parse(readFileSync(join(out, run, 'summary.json'), 'utf8')).data.notes as string[];
    assert.ok(
      notes.some((n) => n.startsWith('data.windowLevel "auto" is absolute')),
      run,
    );
    assert.ok(
      notes.some((n) => n.startsWith('the linear skip starts at')),
      run,
    );
  }
});
