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
import { loadResumable } from '../../src/train/resume.js';
import { trainRun } from '../../src/train/run.js';
import { tempDir } from '../cli/helpers.js';

before(async () => {
  await selectBackend('wasm');
});

const seasonal = (t: number) => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 3 * Math.sin(t * 1.9);

async function prepared(rows: number, window: number, model: object = {}): Promise<Prepared> {
  const dir = tempDir('lstm-anchor-');
  const path = join(dir, 'data.csv');
  writeFileSync(path, ['v', ...Array.from({ length: rows }, (_, t) => seasonal(t).toFixed(4))].join('\n') + '\n');
  const data = { task: 'forecast', path, targets: ['v'], window, horizon: 6, season: 12, split: { val: 6, test: 6 } };
  const config = configSchema.parse({
    data,
    model: { hiddenSize: 8, ...model },
    train: { epochs: 3, batchSize: 8, learningRate: 0.01, earlyStopping: { patience: 0 } },
    output: { dir },
  });
  return prepare(config);
}

const skipWeights = (p: Pick<Prepared, 'model'>, member = 0) =>
  memberLayer(memberModels(p.model)[member], LINEAR_SKIP)!
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

test("a skip held by a finite strength stays nearer its prior than one trained freely; the loss printed is the data's", async () => {
  const anchored = await prepared(240, 12);
  const anchor = anchored.anchor!;
  assert.ok(anchor.strength > 0 && Number.isFinite(anchor.strength), `strength ${anchor.strength}`);
  anchored.anchor = { ...anchor, strength: 1 }; // the chosen penalty is often tiny: a strength that must show
  const free = await prepared(240, 12);
  free.anchor = undefined;
  const runs = [];
  for (const p of [anchored, free])
    runs.push(await trainRun(p, { backend: tf.getBackend(), outDir: p.config.output.dir }));
  const [held, loose] = [anchored, free].map((p) => distance(skipWeights(p), anchor.weights));
  assert.ok(held < 0.5 * loose, `anchored ${held} against free ${loose}`);
  // the train loss is the mean squared error alone: of the order of the val loss, not raised by the penalty
  const row = runs[0].state.history[0];
  assert.ok(row.trainLoss < 3 * row.valLoss, `train ${row.trainLoss}, val ${row.valLoss}`);
});

test("an ensemble with a frozen skip resumes (its optimizer keeps every variable's moments in place); a run without an anchor resumes without one", async () => {
  const p = await prepared(60, 24, { ensemble: 2 });
  assert.equal(p.anchor?.strength, Infinity);
  const start = [0, 1].map((m) => skipWeights(p, m));
  const { runDir } = await trainRun(p, { backend: tf.getBackend(), outDir: p.config.output.dir, epochs: 1 });
  const config = { ...p.config, train: { ...p.config.train, epochs: 2 } };
  const resumed = await loadResumable(runDir, config);
  assert.equal(resumed.prepared.anchor?.strength, Infinity);
  await trainRun(resumed.prepared, { backend: tf.getBackend(), ...resumed.options, epochs: 2 });
  [0, 1].forEach((m) => assert.deepEqual(skipWeights(resumed.prepared, m), start[m]));
  // a run made without an anchor (as before it existed) is resumed as it was trained: with no anchor
  const plain = await prepared(60, 24);
  plain.anchor = undefined;
  const first = await trainRun(plain, { backend: tf.getBackend(), outDir: plain.config.output.dir, epochs: 1 });
  const again = await loadResumable(first.runDir, { ...plain.config, train: { ...plain.config.train, epochs: 2 } });
  assert.equal(again.prepared.anchor, undefined);
});
