import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lstmReference } from '../../src/models/lstm-reference.js';
import { traceLstm } from '../../src/models/lstm-trace.js';
import type { LstmWeights } from '../../src/models/types.js';
import { Rng } from '../../src/util/rng.js';
import { jsWeights, raggedMask, randn, toLstmWeights, useCpu } from './helpers.js';

before(useCpu);

function checkTrace(x: tf.Tensor3D, w: LstmWeights, mask: tf.Tensor2D): void {
  const [batch, time] = x.shape;
  const hidden = w.recurrentKernel.shape[0];
  const trace = traceLstm(x, w, mask);
  const reference = lstmReference(x, w, mask);
  assert.deepEqual(Array.from(trace.h.dataSync()), Array.from(reference.outputs.dataSync()));
  const lastC = tf.squeeze(tf.slice(trace.c, [0, time - 1, 0], [-1, 1, -1]), [1]);
  assert.deepEqual(Array.from(lastC.dataSync()), Array.from(reference.c.dataSync()));
  for (const q of ['i', 'f', 'g', 'o'] as const) assert.deepEqual(trace[q].shape, [batch, time, hidden], q);
  assert.ok(
    trace.f.dataSync().every((v) => v > 0 && v < 1),
    'the forget gate is a sigmoid',
  );
}

test('the trace yields exactly the h and c of the reference kernel, padded steps included, and keeps every gate', () => {
  const rng = new Rng(21);
  const [time, inputSize, hidden] = [7, 2, 4];
  const w = toLstmWeights(jsWeights(rng, inputSize, hidden));
  const x = randn(rng, [3, time, inputSize]) as tf.Tensor3D;
  const mask = raggedMask([7, 4, 1], time);
  const before = tf.memory().numTensors;
  tf.tidy(() => checkTrace(x, w, mask));
  assert.equal(tf.memory().numTensors, before, 'the trace keeps nothing beyond what it returns');
});
