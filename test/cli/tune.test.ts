import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { browserSkip, launchBrowser, openPage } from '../browser.js';
import { ROOT, listTree, smallForecastConfig, tempDir, writeJson } from './helpers.js';

const skipBrowser = browserSkip();
let browser: Browser | undefined;
before(async () => {
  if (!skipBrowser) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

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

const readTrials = (study: string) =>
  readFileSync(join(study, 'study.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** What a study decided, without the wall times: equal for the same study run in one go or stopped and resumed. */
const outcome = (trials: { seconds: number; runDir?: string }[]) =>
  trials.map(({ seconds: _seconds, runDir, ...t }) => ({ ...t, ran: runDir?.split('/')[1] }));

/** The uninterrupted study of the first test, for the resumed one to match. */
let whole: { trials: object[]; test: unknown } | undefined;

test('lstm-tune: trials that stop early say so, and a rung whose kept trials all stopped ends the study, saying why', () => {
  const dir = tempDir('lstm-tune-');
  // val loss never improves by 1000 on the start (epoch 0, the linear skip): every trial stops after epoch 1, before
  // the first rung's 3
  const stopping = smallForecastConfig({
    train: { epochs: 9, batchSize: 256, learningRate: 0.01, earlyStopping: { patience: 1, minDelta: 1000 } },
  });
  const r = tune(
    [
      '--config',
      writeJson(join(dir, 'cfg.json'), stopping),
      '--space',
      writeJson(join(dir, 'space.json'), {
        params: { 'model.hiddenSize': { choice: [4, 8] } },
        trials: 2,
        minEpochs: 3,
      }),
      '--parallel',
      '2',
    ],
    dir,
  );
  assert.equal(r.code, 0, r.stderr);
  const stops = r.stdout.match(/stopped early after epoch 1: val loss not better since epoch 0/g) ?? [];
  assert.equal(stops.length, 2, r.stdout);
  assert.match(r.stdout, /rung 1 \(3 epochs\) done: 2 of 2 trials scored\n/);
  assert.match(r.stdout, / {2}trial \d stopped early \(val loss no longer improving\) and keeps its score\n/);
  assert.match(r.stdout, / {2}no trial goes on to 9 epochs: the best 1 of 2 stopped early, so the study ends here\n/);
  assert.match(r.stdout, / {2}trial \d pruned: outside the best 1 of 2\n/);
  assert.doesNotMatch(r.stdout, /rung 2/);
});

test('lstm-tune: successive halving ranks the trials on val, trains the best further and scores test once', async () => {
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
  assert.match(
    r.stdout,
    /rung 1 \(1 epoch\) done: 6 of 6 trials scored\n {2}trials \d, \d go on to 3 epochs \(the best 2 of 6\)\n/,
  );
  assert.match(r.stdout, / {2}trials \d, \d, \d, \d pruned: outside the best 2 of 6\n/);
  const study = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]);
  const trials = readTrials(study);
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
  whole = { trials: outcome(trials), test: testReport.targets };

  if (!browser) return;
  // report.html: the leaderboard as leaderboard.csv ranks it, a chart per parameter, the curves, the test score
  const url = pathToFileURL(join(study, 'report.html')).href;
  const { page, errors, requests } = await openPage(browser, url);
  await page.waitForFunction(() => document.body.dataset.charts !== undefined, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.charts), 'drawn');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [url], 'no request but the page itself');
  const ranks = await page.evaluate(() =>
    [...document.querySelectorAll('#leaderboard tbody tr')].map((tr) =>
      Number(tr.querySelectorAll('td')[1].dataset.value),
    ),
  );
  assert.deepEqual(
    ranks,
    board.slice(1).map((row) => Number(row.split(',')[1])),
  );
  const marks = await page.evaluate(() =>
    [...document.querySelectorAll('figure.chart')].map((f) => f.querySelectorAll('.vega svg g.role-mark > *').length),
  );
  assert.equal(marks.length, Object.keys(space.params).length + 1, 'one chart per parameter, one of curves');
  // every trial has a point at rung 1, the promoted two one more at rung 2
  assert.ok(
    marks.slice(0, -1).every((m) => m >= trials.length + promoted.length),
    JSON.stringify(marks),
  );
  const testText = await page.textContent('#test');
  assert.ok(testText?.includes(`Trial ${best.trial}'s best checkpoint`), testText ?? '');
  await page.close();
});

test('lstm-tune: Ctrl-C stops a study resumably; --resume ends where the study run in one go ended', async (t) => {
  if (!whole) return t.skip('needs the uninterrupted study of the test before');
  const dir = tempDir('lstm-tune-resume-');
  const args = [
    '--config',
    writeJson(join(dir, 'cfg.json'), config),
    '--space',
    writeJson(join(dir, 'space.json'), space),
    '--parallel',
    '2',
  ];
  // stop the study once its first trial rung is done, while others train
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'lstm-tune.js'), ...args], { cwd: dir });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
    if (/^trial \d/m.test(stdout) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise((done) => child.on('close', done));
  assert.equal(code, 130, stdout);
  assert.match(stdout, /resume with: npx lstm-tune --resume /);
  const study = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]);
  const stopped = readTrials(study);
  assert.ok(
    stopped.some((t) => t.rungsDone === 0),
    'the stop came before the study ended',
  );
  assert.equal(existsSync(join(study, 'test.json')), false, 'test is scored only at the end');

  const r = tune(['--resume', study], dir);
  assert.equal(r.code, 0, r.stderr);
  const trials = readTrials(study);
  assert.deepEqual(outcome(trials), whole.trials);
  for (const t of trials) {
    // one run directory per trial, its epochs each trained once
    assert.deepEqual(
      readdirSync(join(study, 'trials', t.runDir.split('/')[1])).filter((n) => n !== 'config.json').length,
      1,
    );
    assert.deepEqual(
      t.history.map((h: { epoch: number }) => h.epoch),
      Array.from({ length: t.epochs }, (_, i) => i + 1),
    );
  }
  assert.deepEqual(JSON.parse(readFileSync(join(study, 'test.json'), 'utf8')).targets, whole.test);
});

test("lstm-tune: the space can be the config's own tune block, which lstm-train ignores", () => {
  const dir = tempDir('lstm-tune-block-');
  const tuned = {
    ...config,
    train: { ...config.train, epochs: 1 },
    tune: { params: { 'model.hiddenSize': { choice: [4, 16] } }, trials: 2, method: 'random' },
  };
  const cfg = writeJson(join(dir, 'cfg.json'), tuned);
  const r = tune(['--config', cfg], dir);
  assert.equal(r.code, 0, r.stderr);
  const study = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]);
  const trials = readTrials(study);
  assert.deepEqual(
    trials.map((t) => t.params['model.hiddenSize']),
    [8, trials[1].params['model.hiddenSize']],
  );
  assert.ok([4, 16].includes(trials[1].params['model.hiddenSize']));
  const best = JSON.parse(readFileSync(join(study, 'best-config.json'), 'utf8'));
  assert.equal(best.tune, undefined, 'the best config is a plain lstm-train config');
  const train = spawnSync(process.execPath, [join(ROOT, 'bin', 'lstm-train.js'), '--config', cfg, '--quiet'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(train.status, 0, train.stderr);

  // a study another lstm-tune still runs (running.json names a live pid: this test's) is not resumed twice
  writeJson(join(study, 'running.json'), { pid: process.pid, trials: [] });
  const clash = tune(['--resume', study], dir);
  assert.equal(clash.code, 2, clash.stderr);
  assert.match(clash.stderr, new RegExp(`the study is still running: lstm-tune \\(pid ${process.pid}\\)`));
  rmSync(join(study, 'running.json'));
  const again = tune(['--resume', study], dir);
  assert.equal(again.code, 0, again.stderr);

  const bad = writeJson(join(dir, 'bad.json'), { ...tuned, tune: { params: { 'model.hidenSize': { choice: [4] } } } });
  const refused = tune(['--config', bad], dir);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /bad\.json:\n\s+- tune\.params\["model\.hidenSize"\]/);
  const none = tune(['--config', writeJson(join(dir, 'plain.json'), config)], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--space: expected a file, got nothing, and .*plain\.json has no "tune" block/);
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
