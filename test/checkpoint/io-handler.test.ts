import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileHandler, weightBytes } from '../../src/checkpoint/io-handler.js';
import { batch, makeModel, predictions, tempDir } from './helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});

test('model.save(fileHandler(dir)) writes the tfjs-node file:// layout', async () => {
  const dir = join(await tempDir(), 'model');
  try {
    const model = makeModel(1);
    await model.save(fileHandler(dir));
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    assert.deepEqual(Object.keys(json).sort(), [
      'convertedBy',
      'format',
      'generatedBy',
      'modelTopology',
      'weightsManifest',
    ]);
    assert.equal(json.format, 'layers-model');
    assert.match(json.generatedBy, /^TensorFlow\.js tfjs-layers v\d/);
    assert.equal(json.convertedBy, null);
    assert.equal(json.modelTopology.class_name, 'Sequential');
    assert.equal(json.weightsManifest.length, 1);
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    // weights.bin is the float32 values of each weight, in manifest order, nothing else
    const specs = json.weightsManifest[0].weights as { name: string; shape: number[]; dtype: string }[];
    const byName = new Map(model.weights.map((w) => [w.originalName, w.read()]));
    const expected = Buffer.concat(specs.map((s) => Buffer.from(byName.get(s.name)!.dataSync<'float32'>().buffer)));
    const bin = await readFile(join(dir, 'weights.bin'));
    assert.equal(bin.length, weightBytes(specs as never));
    assert.ok(bin.equals(expected), 'weights.bin holds the raw float32 weights');
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tf.loadLayersModel(fileHandler(dir)) gives back a model with identical predictions', async () => {
  const dir = join(await tempDir(), 'model');
  try {
    const model = makeModel(2);
    await model.save(fileHandler(dir));
    const loaded = await tf.loadLayersModel(fileHandler(dir));
    const { x, y } = batch();
    assert.deepEqual(await predictions(loaded, x), await predictions(model, x));
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('weightBytes counts bytes per dtype and gives up on strings', () => {
  assert.equal(
    weightBytes([
      { name: 'a', shape: [2, 3], dtype: 'float32' },
      { name: 'b', shape: [], dtype: 'int32' },
    ]),
    28,
  );
  assert.equal(
    weightBytes([{ name: 'a', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 1 } }]),
    4,
  );
  assert.equal(weightBytes([{ name: 's', shape: [1], dtype: 'string' }]), undefined);
});
