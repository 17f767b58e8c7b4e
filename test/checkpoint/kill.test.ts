import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { listing, makeModel, tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));

before(async () => {
  await tf.setBackend('cpu');
});

/** Starts the saving loop, lets it run `ms` past its first save, then SIGKILLs it. */
function saveThenKill(dir: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), ms));
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`)),
    );
  });
}

test(
  'a saver killed with SIGKILL at any moment leaves a loadable, self-consistent checkpoint',
  { timeout: 60_000 },
  async () => {
    const root = await tempDir();
    const dir = join(root, 'last');
    const epochs: number[] = [];
    try {
      // the last delays leave a loaded machine time to finish a save or two before the kill
      for (const ms of [0, 2, 5, 8, 11, 16, 25, 40, 150, 500]) {
        await saveThenKill(dir, ms);
        const { model, meta: stored, optimizerWeights } = await loadCheckpoint(dir);
        const meta = { epoch: Number(stored.epoch) }; // kill-child.ts saves { epoch }
        const weights = await Promise.all(model.getWeights().map((w) => w.data()));
        assert.ok(meta.epoch >= 1);
        for (const values of weights)
          for (const v of values) assert.equal(v, meta.epoch, 'model and meta are from the same save');
        assert.equal(optimizerWeights !== undefined, meta.epoch % 2 === 0, 'optimizer files are from the same save');
        optimizerWeights?.forEach((w) => w.tensor.dispose());
        model.dispose();
        epochs.push(meta.epoch);
      }
      // whatever the killed savers left, the next save clears it
      const model = makeModel(2);
      await saveCheckpoint(dir, { model, meta: { epoch: 0 } });
      assert.deepEqual(await listing(root), ['last']);
      model.dispose();
      assert.ok(
        epochs.some((e) => e > 1),
        `the loop got past its first save at least once (epochs ${epochs.join(', ')})`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
);
