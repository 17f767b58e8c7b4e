// Checkpoints written before the model card existed (card 1) load, evaluate to what they recorded, and resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCard } from '../../src/checkpoint/model-checkpoint.js';
import { CheckpointError } from '../../src/errors.js';
import { runCli, tempDir } from '../cli/helpers.js';
import { recordedMetrics, v1Run } from './v1-fixtures.js';

test('a card-1 checkpoint reads as a typed card: config, fitted scalers, steps, training state', async () => {
  const { best, csv } = v1Run('forecast');
  const card = await readCard(best);
  assert.equal(card.cardVersion, 1);
  assert.equal(card.config.data.path, csv);
  assert.deepEqual(card.fitted.featureScaler.columns, ['value', 'aux']);
  assert.deepEqual(card.fitted.targetScaler?.columns, ['value']);
  assert.equal(card.steps, 16);
  assert.equal(card.trainState?.epoch, 3);
});

for (const kind of ['forecast', 'classify'] as const) {
  test(`a ${kind} checkpoint of card 1 evaluates its val split to the loss and metric it recorded`, () => {
    const { best } = v1Run(kind);
    const recorded = recordedMetrics(best);
    const r = runCli('lstm-eval', [best, '--split', 'val', '--json'], tempDir());
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const metric = kind === 'forecast' ? report.targets[0].model.mae : report.accuracy;
    assert.ok(Math.abs(report.loss - recorded.valLoss) < 1e-6, `loss ${report.loss} vs recorded ${recorded.valLoss}`);
    assert.ok(Math.abs(metric - recorded.valMetric) < 1e-5, `metric ${metric} vs recorded ${recorded.valMetric}`);
  });
}

test('a card-1 run resumes, and its new checkpoints carry a card of the current version', () => {
  const { run } = v1Run('forecast');
  const r = runCli('lstm-train', ['--resume', run, '--epochs', '4', '--quiet'], tempDir());
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(readFileSync(join(run, 'checkpoints', 'last', 'meta.json'), 'utf8'));
  assert.equal(meta.cardVersion, 2);
  assert.equal(meta.trainState.epoch, 4);
  assert.equal(meta.trainState.history.length, 4, 'the history of the first three epochs is kept');
});

test('a hand-edited meta.json is a CheckpointError naming the field, what was expected and what was found', async () => {
  const { best } = v1Run('forecast');
  const path = join(best, 'meta.json');
  const meta = JSON.parse(readFileSync(path, 'utf8'));
  meta.config.model.hiddenSize = 'eight';
  writeFileSync(path, JSON.stringify(meta));
  await assert.rejects(readCard(best), (e: Error) => {
    assert.ok(e instanceof CheckpointError, String(e));
    assert.match(e.message, /meta\.json: .*config\.model\.hiddenSize: expected a positive integer, got "eight"/);
    return true;
  });
  const r = runCli('lstm-eval', [best], tempDir());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /config\.model\.hiddenSize/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  meta.cardVersion = 7;
  writeFileSync(path, JSON.stringify(meta));
  await assert.rejects(readCard(best), /cardVersion 7 is not supported/);
});

test('a card-1 forecaster predicts the step it was trained for, with intervals calibrated now on its own val split', () => {
  const { best, csv } = v1Run('forecast');
  const out = tempDir();
  const r = runCli('lstm-predict', [best, '--data', csv, '--json'], out);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.rows.length, 1);
  assert.equal(json.rows[0].step, 1);
  assert.ok(json.rows[0].value_lower_80 < json.rows[0].value && json.rows[0].value < json.rows[0].value_upper_80);
  const rolled = runCli('lstm-predict', [best, '--data', csv, '--steps', '3'], out);
  assert.equal(rolled.code, 2);
  assert.match(rolled.stderr, /these features have no future values: aux/);
});
