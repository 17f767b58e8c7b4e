// Training keeps the penalty the linear skip's start was fitted with: a skip that starts at its prior itself (too
// few windows for a ridge) is held there while the LSTM trains; one started at a ridge is pulled back towards it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.js';
import { configSchema } from '../../src/config/schema.js';
import { memberLayer, memberModels } from '../../src/models/ensemble.js';
import { LINEAR_SKIP } from '../../src/models/linear-skip.js';
import { prepare, type Prepared } from '../../src/train/prepare.js';
import { trainRun } from '../../src/train/run.js';
import { tempDir } from '../cli/helpers.js';

before(async () => {
  await selectBackend('wasm');
});

const seasonal = (t: number) => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 3 * Math.sin(t * 1.9);

async function prepared(rows: number, window: number): Promise<Prepared> {
  const dir = tempDir('lstm-anchor-');
  const path = join(dir, 'data.csv');
  writeFileSync(path, ['v', ...Array.from({ length: rows }, (_, t) => seasonal(t).toFixed(4))].join('\n') + '\n');
  const data = { task: 'forecast', path, targets: ['v'], window, horizon: 6, season: 12, split: { val: 6, test: 6 } };
  const config = configSchema.parse({
    data,
    model: { hiddenSize: 8 },
    train: { epochs: 3, batchSize: 8, learningRate: 0.01, earlyStopping: { patience: 0 } },
    output: { dir },
  });
  return prepare(config);
}

const skipWeights = (p: Prepared) =>
  memberLayer(memberModels(p.model)[0], LINEAR_SKIP)!
    .getWeights()
    .map((w) => Float32Array.from(w.dataSync()));

/** Σ (w − a)² over the skip's kernel and bias. */
const distance = (w: Float32Array[], a: Float32Array[]) =>
  w.reduce((sum, x, i) => sum + x.reduce((s, v, j) => s + (v - a[i][j]) ** 2, 0), 0);

test('a skip started at its prior itself is not trained: the LSTM learns around it', async () => {
  const p = await prepared(60, 24); // 13 training windows, 24 inputs
  assert.equal(p.anchor?.strength, Infinity);
  const start = skipWeights(p);
  const lstm = () => p.model.getWeights()[0].dataSync().slice();
  const before = lstm();
  await trainRun(p, { backend: tf.getBackend(), outDir: p.config.output.dir });
  assert.deepEqual(skipWeights(p), start);
  assert.notDeepEqual(lstm(), before, 'the LSTM trained');
  assert.match(p.dataset.summary.notes?.join('\n') ?? '', /is held there while the LSTM trains/);
});

test('a skip started at a ridge towards its prior stays nearer the prior than one trained freely', async () => {
  const anchored = await prepared(400, 12);
  const anchor = anchored.anchor!;
  assert.ok(anchor.strength > 0 && Number.isFinite(anchor.strength), `strength ${anchor.strength}`);
  const free = await prepared(400, 12);
  free.anchor = undefined;
  for (const p of [anchored, free]) await trainRun(p, { backend: tf.getBackend(), outDir: p.config.output.dir });
  const [held, loose] = [anchored, free].map((p) => distance(skipWeights(p), anchor.weights));
  assert.ok(held < loose, `anchored ${held} against free ${loose}`);
});
