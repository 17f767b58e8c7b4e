import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, runCli, tempDir, trainRun, writeJson } from './helpers.js';

const airConfig = (train: Record<string, unknown> = {}) => ({
  name: 'air',
  seed: 3,
  backend: 'wasm',
  data: {
    task: 'forecast',
    path: join(DATA, 'airpassengers.csv'),
    time: 'month',
    targets: ['passengers'],
    window: 24,
    horizon: 12,
    season: 12,
    split: { val: 12, test: 12 },
  },
  model: { hiddenSize: 4 },
  train: { epochs: 2, ...train },
});

test('AirPassengers, the last 12 months held out: train, eval and a forecast past the end, with no infinite bound', () => {
  const run = trainRun(airConfig({ batchSize: 128 }));
  const best = join(run, 'checkpoints', 'best');
  const evaluated = runCli('lstm-eval', [best, '--json'], run);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout) as { count: number; notes: string[]; coverage?: unknown };
  assert.equal(report.count, 1, 'one test origin, as in R');
  assert.equal(report.coverage, undefined);
  assert.ok(
    report.notes.some((n) => /^no 95% interval: split conformal needs at least 19 calibration windows/.test(n)),
  );
  const predicted = runCli('lstm-predict', [best, '--data', join(DATA, 'airpassengers.csv'), '--json'], run);
  assert.equal(predicted.code, 0, predicted.stderr);
  const forecast = JSON.parse(predicted.stdout) as { rows: Record<string, unknown>[]; notes: string[] };
  assert.equal(forecast.rows.length, 12);
  assert.equal(forecast.rows[0].time, '1961-01-01');
  assert.equal(forecast.rows[11].time, '1961-12-01');
  for (const row of forecast.rows) {
    assert.deepEqual(Object.keys(row), ['step', 'time', 'passengers'], 'no bound that is not there');
    assert.ok(Number.isFinite(row.passengers));
  }
  assert.ok(forecast.notes.some((n) => /^no 80% interval: .* the val split has 1 /.test(n)));
  const table = runCli('lstm-predict', [best, '--data', join(DATA, 'airpassengers.csv')], run);
  assert.doesNotMatch(table.stdout, /inf/i);
});

test('a batch that holds every training window is cut so that an epoch takes several steps, and says so', () => {
  const dir = trainRun(airConfig({ batchSize: 128, epochs: 1 }));
  const trained = runCli('lstm-train', ['--config', join(dir, 'config.json'), '--out', join(dir, 'again')], dir);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /note: no 80% interval: split conformal needs at least 4 calibration windows/);
  const dry = runCli('lstm-train', ['--config', join(dir, 'config.json'), '--dry-run'], dir);
  assert.equal(dry.code, 0, dry.stderr);
  // the run recorded the batch it used: its own config resolves to it without a note
  assert.doesNotMatch(dry.stdout, /train\.batchSize/);
  const fresh = runCli('lstm-train', ['--config', join(dir, '..', '..', 'cfg.json'), '--dry-run'], dir);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.match(
    fresh.stdout,
    /note: train\.batchSize 128 holds all 85 training examples \(one step an epoch\): using 22, 4 steps an epoch/,
  );
});

test('the start (the skip, smoothing on the window) is epoch 0 of the best checkpoint when no epoch beats it on val', () => {
  const out = tempDir('lstm-start-');
  // a learning rate so small that no epoch can beat the start by minDelta
  const config = airConfig({ batchSize: 128, learningRate: 1e-9, earlyStopping: { patience: 2, minDelta: 1e-3 } });
  const r = runCli(
    'lstm-train',
    ['--config', writeJson(join(out, 'cfg.json'), { ...config, output: { dir: 'runs' } })],
    out,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /best checkpoint, epoch 0: the start, the linear skip alone, which no epoch beat on val/);
  const run = join(out, 'runs', readdirSync(join(out, 'runs'))[0]);
  const card = JSON.parse(readFileSync(join(run, 'checkpoints', 'best', 'meta.json'), 'utf8')) as { epoch: number };
  assert.equal(card.epoch, 0);
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { bestEpoch: number };
  assert.equal(summary.bestEpoch, 0);
  // lstm-eval scores that checkpoint: the start is a model like any other
  const evaluated = runCli('lstm-eval', [join(run, 'checkpoints', 'best'), '--json'], run);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout) as { targets: { model: { mae: number } }[] };
  assert.ok(report.targets[0].model.mae > 0 && report.targets[0].model.mae < 60, `${report.targets[0].model.mae}`);
});
