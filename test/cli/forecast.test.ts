// Forecasts that can be trusted: the shipped hourly example against its baselines, and intervals that cover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/util/rng.js';
import { ROOT, runCli, tempDir, trainRun, writeJson } from './helpers.js';

test('configs/hourly.json (horizon 24, season 24) beats persistence and seasonal-naive on test', (t) => {
  const out = tempDir();
  const r = runCli('lstm-train', ['--config', join(ROOT, 'configs', 'hourly.json'), '--out', out, '--quiet'], out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /final metrics \(best checkpoint, epoch \d+, eval mode; mae, the mean over 24 steps ahead\)/);
  const best = join(out, readdirSync(out)[0], 'checkpoints', 'best');
  const ev = runCli('lstm-eval', [best, '--json'], out);
  assert.equal(ev.code, 0, ev.stderr);
  const load = JSON.parse(ev.stdout).targets[0];
  const [model, persistence, seasonal] = [
    load.model.mae,
    load.baselines.persistence.mae,
    load.baselines['seasonal-naive'].mae,
  ];
  t.diagnostic(`test MAE (mean over 24 steps): model ${model}, persistence ${persistence}, seasonal-naive ${seasonal}`);
  assert.ok(model < persistence, `model ${model} vs persistence ${persistence}`);
  assert.ok(model < seasonal, `model ${model} vs seasonal-naive ${seasonal}`);
  assert.equal(load.byLead.length, 24);
});

/** A long stationary series: two cycles and AR(1) noise, so val and test windows are alike (exchangeable). */
function stationary(rows: number): string {
  const rng = new Rng(31);
  let noise = 0;
  const lines = ['t,y'];
  for (let i = 0; i < rows; i++) {
    noise = 0.7 * noise + 0.3 * rng.normal();
    lines.push(`${i},${(Math.sin((2 * Math.PI * i) / 24) + 0.5 * Math.sin((2 * Math.PI * i) / 7) + noise).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

test("each interval level's empirical test coverage is within 5 points of the level, per step and overall", (t) => {
  const dir = tempDir();
  const path = join(dir, 'long.csv');
  writeFileSync(path, stationary(12_000));
  const run = trainRun({
    name: 'coverage',
    seed: 2,
    backend: 'wasm',
    data: {
      task: 'forecast',
      path,
      features: ['y'],
      targets: ['y'],
      window: 24,
      horizon: 4,
      intervals: [0.5, 0.8, 0.95],
    },
    model: { impl: 'hand', hiddenSize: 8 },
    train: { epochs: 2, batchSize: 128, learningRate: 0.01 },
    output: { dir: 'runs' },
  });
  const r = runCli('lstm-eval', [join(run, 'checkpoints', 'best'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const { coverage } = JSON.parse(r.stdout);
  assert.deepEqual(coverage.levels, [0.5, 0.8, 0.95]);
  t.diagnostic(
    `coverage on test: ${coverage.levels.map((l: number, i: number) => `${l}: ${coverage.overall[i]}`).join(', ')}`,
  );
  coverage.levels.forEach((level: number, i: number) => {
    assert.ok(Math.abs(coverage.overall[i] - level) <= 0.05, `level ${level}: overall coverage ${coverage.overall[i]}`);
    coverage.byLead[i].forEach((c: number, k: number) =>
      assert.ok(Math.abs(c - level) <= 0.05, `level ${level}, step ${k + 1}: coverage ${c}`),
    );
  });
});

test('windowLevel auto on a stationary series: the run says absolute, its checkpoint records it, lstm-predict reads it', () => {
  const dir = tempDir();
  const path = join(dir, 'stationary.csv');
  writeFileSync(path, stationary(400));
  const config = {
    name: 'auto-level',
    seed: 1,
    data: { task: 'forecast', path, features: ['y'], targets: ['y'], window: 24, horizon: 4, season: 24 },
    model: { hiddenSize: 4 },
    train: { epochs: 1, batchSize: 64 },
    output: { dir: join(dir, 'runs') },
  };
  const trained = (name: string, data: object) => {
    const r = runCli('lstm-train', ['--config', writeJson(join(dir, `${name}.json`), { ...config, name, data })], dir);
    assert.equal(r.code, 0, r.stderr);
    const run = join(
      dir,
      'runs',
      readdirSync(join(dir, 'runs')).find((d) => d.startsWith(name))!,
    );
    const p = runCli('lstm-predict', [join(run, 'checkpoints', 'best'), '--data', path, '--json'], dir);
    assert.equal(p.code, 0, p.stderr);
    const card = JSON.parse(readFileSync(join(run, 'checkpoints', 'best', 'meta.json'), 'utf8'));
    return { stdout: r.stdout, level: card.config.data.windowLevel, rows: JSON.parse(p.stdout).rows as object[] };
  };
  const auto = trained('auto', config.data);
  assert.match(
    auto.stdout,
    /data\.windowLevel "auto" is absolute: ARIMA's unit-root tests leave the training series without a first difference/,
  );
  assert.equal(auto.level, 'absolute');
  // the same model as one asked for absolute levels: lstm-predict reads the level the checkpoint records
  const absolute = trained('absolute', { ...config.data, windowLevel: 'absolute' });
  assert.equal(absolute.level, 'absolute');
  assert.equal(auto.rows.length, 4);
  assert.deepEqual(auto.rows, absolute.rows);
  const standardized = trained('standardize', { ...config.data, windowLevel: 'standardize' });
  assert.notDeepEqual(auto.rows, standardized.rows);
});
