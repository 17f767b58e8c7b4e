import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DATA, listTree, runCli, smallForecastConfig, startCli, tempDir, writeJson } from './helpers.js';

const config = smallForecastConfig({
  train: { epochs: 4, batchSize: 64, learningRate: 0.01, earlyStopping: { patience: 0 } },
});
// a learning rate that moves every step, weight decay and an ensemble: the state a resume must get exactly right
const scheduled = smallForecastConfig({
  model: { hiddenSize: 8, dropout: 0.1, ensemble: 2 },
  train: {
    epochs: 4,
    batchSize: 64,
    learningRate: 0.01,
    earlyStopping: { patience: 0 },
    schedule: { kind: 'cosine', warmupEpochs: 1 },
    weightDecay: 0.01,
  },
});

function onlyRun(dir: string): string {
  const runs = readdirSync(join(dir, 'runs'));
  assert.equal(runs.length, 1);
  return join(dir, 'runs', runs[0]);
}

function weights(run: string): Float32Array {
  const b = readFileSync(join(run, 'checkpoints', 'last', 'weights.bin'));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const straight = new Map<object, { run: string; weights: Float32Array }>();
function uninterrupted(cfg: object = config, flags: string[] = []) {
  if (!straight.has(cfg)) {
    const dir = tempDir();
    const r = runCli('lstm-train', ['--config', writeJson(join(dir, 'cfg.json'), cfg), '--quiet', ...flags], dir);
    assert.equal(r.code, 0, r.stderr);
    straight.set(cfg, { run: onlyRun(dir), weights: weights(onlyRun(dir)) });
  }
  return straight.get(cfg)!;
}

const valLosses = (run: string): number[] =>
  JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')).map((h: { val_loss: number }) => h.val_loss);

/** Trains `cfg` for `first` epochs, resumes it to its train.epochs; the same weights, bit for bit, and history. */
function resumeMatches(cfg: { train: { epochs: number } }, first: number, flags: string[] = []) {
  const dir = tempDir();
  const path = writeJson(join(dir, 'cfg.json'), cfg);
  assert.equal(runCli('lstm-train', ['--config', path, '--epochs', String(first), '--quiet', ...flags], dir).code, 0);
  const run = onlyRun(dir);
  const resumed = runCli('lstm-train', ['--resume', run, '--epochs', String(cfg.train.epochs), ...flags], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`resuming .* after epoch ${first}`));
  const reference = uninterrupted(cfg, flags);
  assert.equal(maxDiff(weights(run), reference.weights), 0, 'max |Δw|');
  assert.deepEqual(valLosses(run), valLosses(reference.run));
}

test('2 epochs plus a resumed 2 give the weights and history of 4 uninterrupted epochs', () => {
  resumeMatches(config, 2);
});

/** The first rows of the shipped hourly series, for configs/hourly.json's hand model in seconds. */
function hourlyHead(rows: number): string {
  const path = join(tempDir(), 'hourly.csv');
  const lines = readFileSync(join(DATA, 'hourly.csv'), 'utf8').split('\n');
  writeFileSync(path, lines.slice(0, rows + 1).join('\n') + '\n');
  return path;
}

// configs/hourly.json in small: the hand model with its linear skip, whose Adam steps showed a resume's drift
const hourly = (model: object, train: object = {}) => ({
  name: 'hourly',
  seed: 7,
  backend: 'wasm',
  data: {
    task: 'forecast',
    path: hourlyHead(1200),
    time: 'time',
    features: ['load', 'temp'],
    targets: ['load'],
    window: 24,
    horizon: 6,
    season: 24,
  },
  model: { impl: 'hand', hiddenSize: 8, ...model },
  train: { epochs: 3, batchSize: 64, learningRate: 0.003, earlyStopping: { patience: 0 }, ...train },
  output: { dir: 'runs' },
});

test('the hand model on hourly data resumes exactly, on one thread', () => {
  resumeMatches(hourly({}), 2, ['--threads', '1']);
});

// plateau: a schedule that --epochs does not stretch (a cosine's resume is the Ctrl-C test's)
test('a hand ensemble with dropout, weight decay and a plateau schedule resumes exactly, on two threads', () => {
  const plateau = { kind: 'plateau', patience: 1, factor: 0.5 };
  const cfg = hourly({ ensemble: 2, dropout: 0.1 }, { epochs: 4, schedule: plateau, weightDecay: 0.01 });
  resumeMatches(cfg, 2, ['--threads', '2']);
});

test(
  'Ctrl-C finishes the batch, writes checkpoints/last, prints the resume command and exits 130; ' +
    'resuming matches an uninterrupted run',
  async () => {
    const dir = tempDir();
    const cfg = writeJson(join(dir, 'cfg.json'), scheduled);
    const child = startCli('lstm-train', ['--config', cfg], dir);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const signalled = new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        stdout += d;
        // mid-epoch 2: one epoch line has been printed
        if (/epoch 1:/.test(stdout) && !child.killed) setTimeout(() => (child.kill('SIGINT'), resolve()), 150);
      }),
    );
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await signalled;
    assert.equal(code, 130, stdout + stderr);
    const run = onlyRun(dir);
    assert.ok(stdout.includes(`resume with: npx lstm-train --resume ${join('runs', basename(run))}\n`), stdout);
    // --epochs no more than the epochs completed leaves nothing to train, the partial epoch included
    const { epoch, inProgress } = JSON.parse(
      readFileSync(join(run, 'checkpoints', 'last', 'meta.json'), 'utf8'),
    ).trainState;
    assert.ok(inProgress?.batchesDone > 0, `interrupted mid-epoch: ${JSON.stringify(inProgress)}`);
    const paused = weights(run);
    const nothing = runCli('lstm-train', ['--resume', run, '--epochs', String(epoch)], dir);
    assert.equal(nothing.code, 2, nothing.stdout + nothing.stderr);
    assert.match(
      nothing.stderr,
      new RegExp(`--epochs: expected more than the ${epoch} epochs already done, got ${epoch}`),
    );
    assert.equal(maxDiff(weights(run), paused), 0);
    const resumed = runCli('lstm-train', ['--resume', run], dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    const reference = uninterrupted(scheduled);
    assert.equal(maxDiff(weights(run), reference.weights), 0, 'max |Δw|');
    const rates = (r: string) =>
      JSON.parse(readFileSync(join(r, 'history.json'), 'utf8')).map((h: { learning_rate: number }) => h.learning_rate);
    assert.deepEqual(rates(run), rates(reference.run), 'the same learning rate after each epoch');
    assert.equal(new Set(rates(run)).size, 4, `the cosine moves the rate every epoch: ${rates(run).join(', ')}`);
  },
);

test('a second Ctrl-C exits at once and leaves a loadable checkpoint', async () => {
  const dir = tempDir();
  const cfg = writeJson(
    join(dir, 'cfg.json'),
    smallForecastConfig({ train: { epochs: 50, batchSize: 32, earlyStopping: { patience: 0 } } }),
  );
  const child = startCli('lstm-train', ['--config', cfg], dir);
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    if (/epoch 1:/.test(stdout) && !child.killed) {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGINT'), 5);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130);
  const run = onlyRun(dir);
  const r = runCli('lstm-eval', [join(run, 'checkpoints', 'last'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
});

test('two runs started at once with the same name get different directories', async () => {
  const dir = tempDir();
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig({ train: { epochs: 1, batchSize: 256 } }));
  const children = [0, 1].map(() => startCli('lstm-train', ['--config', cfg, '--quiet'], dir));
  const codes = await Promise.all(children.map((c) => new Promise<number | null>((resolve) => c.on('exit', resolve))));
  assert.deepEqual(codes, [0, 0]);
  const runs = readdirSync(join(dir, 'runs'));
  assert.equal(runs.length, 2);
  for (const r of runs) assert.equal(JSON.parse(readFileSync(join(dir, 'runs', r, 'summary.json'), 'utf8')).epochs, 1);
});

test('keepCheckpoints keeps the newest N epoch checkpoints besides best and last', () => {
  const dir = tempDir();
  const cfg = writeJson(
    join(dir, 'cfg.json'),
    smallForecastConfig({
      train: { epochs: 4, batchSize: 256, earlyStopping: { patience: 0 } },
      output: { dir: 'runs', keepCheckpoints: 2 },
    }),
  );
  assert.equal(runCli('lstm-train', ['--config', cfg, '--quiet'], dir).code, 0);
  assert.deepEqual(readdirSync(join(onlyRun(dir), 'checkpoints')).sort(), ['best', 'epoch-0003', 'epoch-0004', 'last']);
});

test('a resume that would train nothing, or --out with --resume, is an error that writes nothing', () => {
  const dir = tempDir();
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig({ train: { epochs: 1, batchSize: 256 } }));
  assert.equal(runCli('lstm-train', ['--config', cfg, '--quiet'], dir).code, 0);
  const run = onlyRun(dir);
  const before = readFileSync(join(run, 'history.csv'), 'utf8');
  const same = runCli('lstm-train', ['--resume', run, '--epochs', '1'], dir);
  assert.equal(same.code, 2);
  assert.match(same.stderr, /--epochs: expected more than the 1 epochs already done, got 1/);
  const out = runCli('lstm-train', ['--resume', run, '--out', 'elsewhere', '--epochs', '3'], dir);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /--out: a resumed run continues in its own directory/);
  assert.equal(readFileSync(join(run, 'history.csv'), 'utf8'), before);
});

test('--epochs within a cosine warm-up is refused before anything is written', () => {
  const dir = tempDir();
  const cfg = writeJson(join(dir, 'cfg.json'), scheduled);
  const r = runCli('lstm-train', ['--config', cfg, '--epochs', '1'], dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /--epochs: expected more than train\.schedule\.warmupEpochs \(1\), the cosine's warm-up, got 1/,
  );
  assert.deepEqual(listTree(dir), ['cfg.json']);
});

test('an output folder that cannot be created is a clear error', () => {
  const dir = tempDir();
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig());
  const r = runCli('lstm-train', ['--config', cfg, '--out', '/dev/null/runs'], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /output\.dir \(or --out\): expected a folder that can be created and written, got \/dev\/null\/runs \(ENOTDIR\)/,
  );
});
