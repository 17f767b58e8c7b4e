// A run directory, as lstm-train prints it, given where a checkpoint is expected: the commands use its best
// checkpoint and say so; lstm-report given a run's checkpoint uses the run; a run without a best says which to pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, runCli, smallForecastConfig, startServe, tempDir, trainRun } from './helpers.js';

const run = trainRun(smallForecastConfig({ train: { epochs: 1, batchSize: 256 } }));
const best = join(run, 'checkpoints', 'best');
const note = /note: using .*checkpoints\/best, the run's best checkpoint\n/;

test("lstm-eval and lstm-predict given a run directory use its best checkpoint, said on stderr (stdout is --json's)", () => {
  const evaluated = runCli('lstm-eval', [run, '--json'], tempDir());
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.match(evaluated.stderr, note);
  assert.deepEqual(JSON.parse(evaluated.stdout), JSON.parse(runCli('lstm-eval', [best, '--json'], tempDir()).stdout));
  const predicted = runCli('lstm-predict', [run, '--data', join(DATA, 'sine.csv'), '--json'], tempDir());
  assert.equal(predicted.code, 0, predicted.stderr);
  assert.match(predicted.stderr, note);
  assert.ok(JSON.parse(predicted.stdout).rows.length > 0);
});

test('lstm-export given a run directory exports its best checkpoint', () => {
  const dir = tempDir();
  const r = runCli('lstm-export', [run, '--format', 'tfjs', '--out', 'export'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, note);
  assert.ok(existsSync(join(dir, 'export', 'model.json')));
});

test('lstm-serve given a run directory serves its best checkpoint', async () => {
  const server = await startServe([run]);
  try {
    const model = (await (await fetch(`${server.url}/model`)).json()) as { source: string; epoch: number };
    // the best checkpoint's epoch (0 when the start, the linear skip alone, was not beaten)
    const { epoch } = JSON.parse(readFileSync(join(best, 'meta.json'), 'utf8')) as { epoch: number };
    assert.deepEqual([model.source, model.epoch], ['checkpoint', epoch]);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

test("lstm-report given a run's checkpoint writes the run's report", () => {
  const r = runCli('lstm-report', [best], tempDir());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /note: using .*, the run directory of that checkpoint/);
  assert.ok(existsSync(join(run, 'report.html')));
});

test('a run directory without a best checkpoint: the error names the checkpoint to pass', () => {
  const empty = join(tempDir(), 'half-run');
  mkdirSync(join(empty, 'checkpoints', 'last'), { recursive: true });
  const r = runCli('lstm-eval', [empty], tempDir());
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /not a checkpoint directory: found checkpoints/);
  assert.match(r.stderr, /hint: a run directory: pass one of its checkpoints, .*half-run\/checkpoints\/last/);
});
