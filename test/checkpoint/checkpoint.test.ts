import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, readFile, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, readMeta, restoreOptimizerState, saveCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { CheckpointError } from '../../src/errors.js';
import { batch, deadPid, listing, makeModel, predictions, tempDir } from './helpers.js';

let root: string;
before(async () => {
  await tf.setBackend('cpu');
  root = await tempDir();
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
/** A fresh parent folder per test: listings then show exactly what a save left behind. */
async function parent(): Promise<string> {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir);
  return dir;
}

test('save then load: identical predictions, meta back with formatVersion 1, no temporaries left', async () => {
  const p = await parent();
  const dir = join(p, 'best');
  const model = makeModel(3);
  const meta = { epoch: 7, scaler: { kind: 'zscore', offset: [1.5], scale: [2] }, classes: ['a', 'b'], rng: 12345 };
  await saveCheckpoint(dir, { model, meta });
  assert.deepEqual(await listing(p), ['best']);
  assert.deepEqual(await listing(dir), ['meta.json', 'model.json', 'weights.bin']);
  const loaded = await loadCheckpoint(dir);
  const { x, y } = batch();
  assert.deepEqual(await predictions(loaded.model, x), await predictions(model, x));
  assert.deepEqual(loaded.meta, { formatVersion: 1, ...meta });
  assert.deepEqual(await readMeta(dir), { formatVersion: 1, ...meta });
  assert.equal(loaded.optimizerWeights, undefined);
  tf.dispose([x, y]);
  model.dispose();
  loaded.model.dispose();
});

test('saving over a checkpoint replaces it, and leaves no old or temporary directories', async () => {
  const p = await parent();
  const dir = join(p, 'last');
  const first = makeModel(4);
  const second = makeModel(5);
  await saveCheckpoint(dir, { model: first, meta: { epoch: 1 } });
  await saveCheckpoint(dir, { model: second, meta: { epoch: 2 } });
  assert.deepEqual(await listing(p), ['last']);
  const loaded = await loadCheckpoint(dir);
  const { x, y } = batch();
  assert.equal(loaded.meta.epoch, 2);
  assert.deepEqual(await predictions(loaded.model, x), await predictions(second, x));
  tf.dispose([x, y]);
  [first, second, loaded.model].forEach((m) => m.dispose());
});

test('Adam state round trip: the restored optimizer makes the same next update', async () => {
  const p = await parent();
  const dir = join(p, 'last');
  const { x, y } = batch();
  const fitOnce = (m: tf.LayersModel, epochs = 1) => m.fit(x, y, { epochs, batchSize: 4, shuffle: false, verbose: 0 });
  const model = makeModel(6);
  const adam = tf.train.adam(0.05);
  model.compile({ optimizer: adam, loss: 'meanSquaredError' });
  await fitOnce(model, 3);
  await saveCheckpoint(dir, { model, optimizer: adam, meta: { epoch: 3 } });
  assert.deepEqual(await listing(dir), ['meta.json', 'model.json', 'optimizer.bin', 'optimizer.json', 'weights.bin']);

  const restored = await loadCheckpoint(dir);
  assert.equal(restored.optimizerInfo?.className, 'Adam');
  assert.equal(restored.optimizerInfo?.config.learningRate, 0.05);
  assert.equal(restored.optimizerInfo?.iterations, 6, '3 epochs of 2 batches');
  const adam2 = tf.train.adam(0.05);
  restored.model.compile({ optimizer: adam2, loss: 'meanSquaredError' });
  await restoreOptimizerState(adam2, { weights: restored.optimizerWeights!, info: restored.optimizerInfo });

  // control: the same weights with a fresh Adam take a different step, so the comparison below can fail
  const fresh = await loadCheckpoint(dir);
  fresh.model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  fresh.optimizerWeights?.forEach((w) => w.tensor.dispose());

  await Promise.all([fitOnce(model), fitOnce(restored.model), fitOnce(fresh.model)]);
  const after = await predictions(model, x);
  const resumed = await predictions(restored.model, x);
  const naive = await predictions(fresh.model, x);
  resumed.forEach((v, i) => assert.ok(Math.abs(v - after[i]) < 1e-6, `resumed ${v} vs uninterrupted ${after[i]}`));
  assert.ok(
    naive.some((v, i) => Math.abs(v - after[i]) > 1e-4),
    'a fresh optimizer would have stepped differently',
  );
  tf.dispose([x, y]);
  [model, restored.model, fresh.model].forEach((m) => m.dispose());
});

/** A model fitted one epoch with Adam, saved to `<fresh parent>/<name>` with its optimizer state. */
async function savedWithAdam(name: string, seed: number, meta: Record<string, unknown>): Promise<string> {
  const dir = join(await parent(), name);
  const model = makeModel(seed);
  const adam = tf.train.adam(0.01);
  model.compile({ optimizer: adam, loss: 'meanSquaredError' });
  const { x, y } = batch();
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  await saveCheckpoint(dir, { model, optimizer: adam, meta });
  tf.dispose([x, y]);
  model.dispose();
  return dir;
}

test('restoring into a different optimizer class is a CheckpointError', async () => {
  const loaded = await loadCheckpoint(await savedWithAdam('last', 7, {}));
  await assert.rejects(
    restoreOptimizerState(tf.train.sgd(0.1), { weights: loaded.optimizerWeights!, info: loaded.optimizerInfo! }),
    (e: Error) => e instanceof CheckpointError && /for Adam, but this run uses SGD/.test(e.message),
  );
  loaded.model.dispose();
});

/** A saved checkpoint copied to a fresh name, for one corruption case. */
async function corruptible(): Promise<{ dir: string; weightsSize: number; optimizerSize: number }> {
  const dir = await savedWithAdam('ckpt', 8, { epoch: 1 });
  const weightsSize = (await readFile(join(dir, 'weights.bin'))).length;
  const optimizerSize = (await readFile(join(dir, 'optimizer.bin'))).length;
  return { dir, weightsSize, optimizerSize };
}

async function assertCheckpointError(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${e.name}: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test('corruption: a truncated or non-JSON model.json', async () => {
  const { dir } = await corruptible();
  const text = await readFile(join(dir, 'model.json'), 'utf8');
  await writeFile(join(dir, 'model.json'), text.slice(0, Math.floor(text.length / 2)));
  await assertCheckpointError(loadCheckpoint(dir), /model\.json/, /truncated/, /not valid JSON/);
  await writeFile(join(dir, 'model.json'), '');
  await assertCheckpointError(loadCheckpoint(dir), /model\.json/, /truncated/);
  await writeFile(join(dir, 'model.json'), '{"modelTopology": nope}');
  await assertCheckpointError(loadCheckpoint(dir), /model\.json/, /not valid JSON/);
  await writeFile(join(dir, 'model.json'), '{"weightsManifest": []}');
  await assertCheckpointError(loadCheckpoint(dir), /model\.json/, /no modelTopology/);
});

test('corruption: weights.bin shorter or longer than the manifest says', async () => {
  const { dir, weightsSize } = await corruptible();
  await truncate(join(dir, 'weights.bin'), weightsSize - 10);
  await assertCheckpointError(
    loadCheckpoint(dir),
    /weights\.bin/,
    /truncated/,
    new RegExp(`expected ${weightsSize} bytes.*found ${weightsSize - 10}`),
  );
  await truncate(join(dir, 'weights.bin'), weightsSize + 4);
  await assertCheckpointError(
    loadCheckpoint(dir),
    /weights\.bin/,
    /longer/,
    new RegExp(`expected ${weightsSize} bytes.*found ${weightsSize + 4}`),
  );
  await unlink(join(dir, 'weights.bin'));
  await assertCheckpointError(loadCheckpoint(dir), /weights\.bin missing/);
});

test('corruption: optimizer.bin truncated', async () => {
  const { dir, optimizerSize } = await corruptible();
  await truncate(join(dir, 'optimizer.bin'), optimizerSize - 4);
  await assertCheckpointError(
    loadCheckpoint(dir),
    /optimizer\.bin/,
    new RegExp(`expected ${optimizerSize} bytes.*found ${optimizerSize - 4}`),
  );
});

test('meta.json: a formatVersion this code does not read, none at all, or broken JSON', async () => {
  const { dir } = await corruptible();
  const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ ...meta, formatVersion: 2 }));
  await assertCheckpointError(
    loadCheckpoint(dir),
    /meta\.json/,
    /formatVersion 2 is not supported/,
    /reads formatVersion 1/,
  );
  await assertCheckpointError(readMeta(dir), /meta\.json/, /formatVersion 2/);
  const { formatVersion: _, ...without } = meta;
  await writeFile(join(dir, 'meta.json'), JSON.stringify(without));
  await assertCheckpointError(readMeta(dir), /meta\.json/, /no formatVersion/);
  await appendFile(join(dir, 'meta.json'), '}');
  await assertCheckpointError(readMeta(dir), /meta\.json/, /not valid JSON/);
});

test('not a checkpoint: missing path, a file, an empty or unrelated directory, a missing file', async () => {
  const p = await parent();
  await assertCheckpointError(
    loadCheckpoint(join(p, 'nope')),
    /nope/,
    /does not exist/,
    /model\.json, weights\.bin, meta\.json/,
  );
  await writeFile(join(p, 'file.txt'), 'hello');
  await assertCheckpointError(
    loadCheckpoint(join(p, 'file.txt')),
    /file\.txt/,
    /not a checkpoint directory: it is a file/,
    /model\.json/,
  );
  await mkdir(join(p, 'empty'));
  await assertCheckpointError(
    loadCheckpoint(join(p, 'empty')),
    /not a checkpoint directory: it is empty/,
    /model\.json/,
  );
  await writeFile(join(p, 'empty', 'notes.md'), '#');
  await assertCheckpointError(readMeta(join(p, 'empty')), /found notes\.md/);
  const { dir } = await corruptible();
  await unlink(join(dir, 'meta.json'));
  await assertCheckpointError(loadCheckpoint(dir), /meta\.json missing/);
});

test('a save that fails midway leaves the old checkpoint loadable and nothing else behind', async () => {
  const p = await parent();
  const dir = join(p, 'last');
  const good = makeModel(9);
  await saveCheckpoint(dir, { model: good, meta: { epoch: 1 } });
  // a model whose save writes part of model.json and then fails, like a full disk
  const failing = {
    save: async (handler: tf.io.IOHandler) => {
      await handler.save!({ modelTopology: { half: 'written' }, weightSpecs: [], weightData: new ArrayBuffer(0) });
      throw new Error('ENOSPC: no space left on device');
    },
  } as unknown as tf.LayersModel;
  await assert.rejects(saveCheckpoint(dir, { model: failing, meta: { epoch: 2 } }), /ENOSPC/);
  assert.deepEqual(await listing(p), ['last']);
  const loaded = await loadCheckpoint(dir);
  const { x, y } = batch();
  assert.equal(loaded.meta.epoch, 1);
  assert.deepEqual(await predictions(loaded.model, x), await predictions(good, x));

  const circular: Record<string, unknown> = { epoch: 3 };
  circular.self = circular;
  await assertCheckpointError(
    saveCheckpoint(dir, { model: good, meta: circular }),
    /meta\.json/,
    /cannot be written as JSON/,
  );
  await assert.rejects(saveCheckpoint(dir, { model: good, meta: { epoch: 4, n: 10n } }), CheckpointError);
  assert.deepEqual(await listing(p), ['last']);
  assert.equal((await readMeta(dir)).epoch, 1);
  tf.dispose([x, y]);
  [good, loaded.model].forEach((m) => m.dispose());
});

test('refuses to save over a file or a directory that is not a checkpoint', async () => {
  const p = await parent();
  const model = makeModel(10);
  await writeFile(join(p, 'precious.txt'), 'keep me');
  await assertCheckpointError(saveCheckpoint(join(p, 'precious.txt'), { model, meta: {} }), /not a directory/);
  await mkdir(join(p, 'runs'));
  await writeFile(join(p, 'runs', 'notes.md'), 'keep me too');
  await assertCheckpointError(saveCheckpoint(join(p, 'runs'), { model, meta: {} }), /not a checkpoint/, /refusing/);
  assert.equal(await readFile(join(p, 'precious.txt'), 'utf8'), 'keep me');
  assert.deepEqual(await listing(join(p, 'runs')), ['notes.md']);
  assert.deepEqual(await listing(p), ['precious.txt', 'runs']);
  model.dispose();
});

test('recovery: killed between the two renames, the complete new checkpoint is put back', async () => {
  const p = await parent();
  const dir = join(p, 'last');
  const pid = deadPid();
  await saveCheckpoint(dir, { model: makeModel(11), meta: { epoch: 1 } });
  await saveCheckpoint(join(p, 'staging'), { model: makeModel(12), meta: { epoch: 2 } });
  await rename(dir, join(p, `.last.old-${pid}-0a0a0a0a`));
  await rename(join(p, 'staging'), join(p, `.last.tmp-${pid}-0b0b0b0b`));
  assert.equal((await readMeta(dir)).epoch, 2);
  assert.deepEqual(await listing(p), ['.last.old-' + pid + '-0a0a0a0a', 'last']);
  await saveCheckpoint(dir, { model: makeModel(13), meta: { epoch: 3 } });
  assert.deepEqual(await listing(p), ['last'], 'the next save clears what the dead one left');
});

test('recovery: killed between the renames with an incomplete new one, the old checkpoint is put back', async () => {
  const p = await parent();
  const dir = join(p, 'last');
  const pid = deadPid();
  const model = makeModel(14);
  await saveCheckpoint(dir, { model, meta: { epoch: 1 } });
  await cp(dir, join(p, `.last.tmp-${pid}-0c0c0c0c`), { recursive: true });
  await unlink(join(p, `.last.tmp-${pid}-0c0c0c0c`, 'meta.json'));
  await rename(dir, join(p, `.last.old-${pid}-0d0d0d0d`));
  const loaded = await loadCheckpoint(dir);
  const { x, y } = batch();
  assert.equal(loaded.meta.epoch, 1);
  assert.deepEqual(await predictions(loaded.model, x), await predictions(model, x));
  tf.dispose([x, y]);
  [model, loaded.model].forEach((m) => m.dispose());
});

test('a model with the custom layers (hand LSTM, bidirectional, masked, dropout) round-trips', async () => {
  const { buildModel } = await import('../../src/models/build.js');
  const { modelSchema } = await import('../../src/config/schema.js');
  const config = modelSchema.parse({
    impl: 'hand',
    kernel: 'fused',
    bidirectional: true,
    layers: 2,
    hiddenSize: 3,
    dropout: 0.2,
  });
  const model = buildModel(config, { steps: 5, features: 2, outputSize: 3, masked: true }, 42);
  const dir = join(await parent(), 'best');
  await saveCheckpoint(dir, { model, meta: { epoch: 1 } });
  const loaded = await loadCheckpoint(dir);
  const { x, y } = batch();
  const mask = tf.tensor2d(
    Array.from({ length: 40 }, (_, i) => (i % 5 < 3 + (Math.floor(i / 5) % 3) ? 1 : 0)),
    [8, 5],
  );
  const run = async (m: tf.LayersModel) => {
    const out = m.predict([x, mask]) as tf.Tensor;
    const values = Array.from(await out.data());
    out.dispose();
    return values;
  };
  assert.deepEqual(
    loaded.model.layers.map((l) => l.getClassName()),
    model.layers.map((l) => l.getClassName()),
  );
  assert.deepEqual(await run(loaded.model), await run(model));
  tf.dispose([x, y, mask]);
  [model, loaded.model].forEach((m) => m.dispose());
});
