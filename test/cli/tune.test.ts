import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, listTree, smallForecastConfig, tempDir, writeJson } from './helpers.js';
import { spawnSync } from 'node:child_process';

const tune = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'lstm-tune.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const config = smallForecastConfig({ train: { epochs: 3, batchSize: 128, learningRate: 0.01 } });
const space = {
  params: { 'model.hiddenSize': { choice: [4, 8, 16] }, 'train.learningRate': { range: [0.001, 0.03], log: true } },
  trials: 6,
  eta: 3,
};

test('lstm-tune: successive halving ranks the trials on val, trains the best further and scores test once', () => {
  const dir = tempDir('lstm-tune-');
  const r = tune(
    [
      '--config',
      writeJson(join(dir, 'cfg.json'), config),
      '--space',
      writeJson(join(dir, 'space.json'), space),
      '--parallel',
      '2',
    ],
    dir,
  );
  assert.equal(r.code, 0, r.stderr);
  const study = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]);
  const trials = readFileSync(join(study, 'study.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(trials.length, 6);
  assert.deepEqual(
    trials[0].params,
    { 'model.hiddenSize': 8, 'train.learningRate': 0.01 },
    'trial 1 is the base config',
  );
  // rungs 1 and 3 epochs: the best 2 of 6 go on, ranked by their rung-1 val score
  const atOne = [...trials].sort((a, b) => a.rungs[0].score - b.rungs[0].score || a.trial - b.trial);
  const promoted = atOne
    .slice(0, 2)
    .map((t) => t.trial)
    .sort();
  assert.deepEqual(
    trials
      .filter((t) => t.rungsDone === 2 || (t.stoppedEarly && t.status === 'complete'))
      .map((t) => t.trial)
      .sort(),
    promoted,
  );
  for (const t of trials) {
    assert.equal(t.status, promoted.includes(t.trial) ? 'complete' : 'pruned');
    assert.equal(t.epochs, promoted.includes(t.trial) ? 3 : 1);
    const spec = space.params['train.learningRate'];
    assert.ok(t.params['train.learningRate'] >= spec.range[0] && t.params['train.learningRate'] <= spec.range[1]);
    // the trial's own run leaves the test split unseen
    const summary = JSON.parse(readFileSync(join(study, t.runDir, 'summary.json'), 'utf8'));
    assert.equal(summary.final.test.count, 0);
    assert.equal(summary.final.val.metric, t.score);
  }
  const board = readFileSync(join(study, 'leaderboard.csv'), 'utf8').trim().split('\n');
  assert.equal(board.length, 7);
  const best = trials.find((t) => t.trial === Number(board[1].split(',')[1]));
  assert.ok(promoted.includes(best.trial));
  const bestConfig = JSON.parse(readFileSync(join(study, 'best-config.json'), 'utf8'));
  assert.equal(bestConfig.model.hiddenSize, best.params['model.hiddenSize']);
  assert.equal(bestConfig.train.learningRate, best.params['train.learningRate']);
  const testReport = JSON.parse(readFileSync(join(study, 'test.json'), 'utf8'));
  assert.equal(testReport.trial, best.trial);
  assert.equal(testReport.split, 'test');
  assert.ok(testReport.count > 0);
  assert.match(r.stdout, /test mae of the best trial \(scored once, now\): value \d/);
});

test('lstm-tune: a bad space is refused with its path, exit 2, nothing written', () => {
  const dir = tempDir('lstm-tune-bad-');
  const cfg = writeJson(join(dir, 'cfg.json'), config);
  const cases: [object, RegExp][] = [
    [{ params: { 'model.hidenSize': { choice: [4] } } }, /params\["model\.hidenSize"\].*did you mean "hiddenSize"/],
    [
      { params: { 'train.learningRate': { range: [0.01, 0.01] } } },
      /params\.train\.learningRate\.range: expected low < high, got \[0\.01, 0\.01\]/,
    ],
    [
      { params: { 'data.steps': { choice: [4] } } },
      /params\["data\.steps"\]: not a field the base config takes: a classify field/,
    ],
    [
      { params: { 'model.hiddenSize': { choice: [0, 8] } } },
      /params\["model\.hiddenSize"\] = 0: model\.hiddenSize: expected a positive integer, got 0/,
    ],
    [{ params: { 'data.path': { choice: ['x.csv'] } } }, /params\["data\.path"\]: not a parameter a study can vary/],
  ];
  for (const [bad, message] of cases) {
    const r = tune(['--config', cfg, '--space', writeJson(join(dir, 'space.json'), bad)], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(existsSync(join(dir, 'runs')), false, listTree(dir).join(', '));
  }
});
