import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lstmReference } from '../../src/models/lstm-reference.js';
import { Rng } from '../../src/util/rng.js';
import { assertArraysClose, FORWARD_ATOL, jsLstmSequence, jsWeights, toLstmWeights, useCpu } from './helpers.js';

before(useCpu);

const [batch, time, inputSize, hidden] = [4, 6, 3, 5];

function randomSequences(rng: Rng): number[][][] {
  return Array.from({ length: batch }, () =>
    Array.from({ length: time }, () => Array.from({ length: inputSize }, () => rng.normal())),
  );
}

function checkAgainstJs(masks?: number[][]) {
  const rng = new Rng(11);
  const w = jsWeights(rng, inputSize, hidden);
  const xs = randomSequences(rng);
  const result = lstmReference(tf.tensor3d(xs), toLstmWeights(w), masks && tf.tensor2d(masks));
  assert.deepEqual(result.outputs.shape, [batch, time, hidden]);
  const [outputs, hs, cs] = [result.outputs.arraySync(), result.h.arraySync(), result.c.arraySync()];
  for (let b = 0; b < batch; b++) {
    const expected = jsLstmSequence(xs[b], w, masks?.[b]);
    for (let t = 0; t < time; t++)
      assertArraysClose(outputs[b][t], expected.outputs[t], FORWARD_ATOL, `outputs[${b}][${t}]`);
    assertArraysClose(hs[b], expected.h, FORWARD_ATOL, `h[${b}]`);
    assertArraysClose(cs[b], expected.c, FORWARD_ATOL, `c[${b}]`);
  }
}

test('the sequence kernel matches the equations looped by hand', () => checkAgainstJs());

test('masked steps carry h, c and the output over (trailing, leading and inner padding)', () => {
  checkAgainstJs([
    [1, 1, 1, 1, 1, 1],
    [1, 1, 1, 0, 0, 0],
    [0, 0, 1, 1, 1, 1], // leading padding: outputs stay 0 until the first real step
    [1, 0, 1, 0, 1, 0],
  ]);
});

test('the mask really is used: padded inputs do not change the result', () => {
  const rng = new Rng(3);
  const weights = toLstmWeights(jsWeights(rng, inputSize, hidden));
  const mask = tf.tensor2d([Array.from({ length: time }, (_, t) => (t < 3 ? 1 : 0))]);
  const x = randomSequences(rng)[0];
  const noisy = x.map((step, t) => (t < 3 ? step : step.map((v) => v + 10)));
  const a = lstmReference(tf.tensor3d([x]), weights, mask);
  const b = lstmReference(tf.tensor3d([noisy]), weights, mask);
  assertArraysClose(b.outputs.dataSync(), a.outputs.dataSync(), 0, 'outputs');
  const unmasked = lstmReference(tf.tensor3d([noisy]), weights);
  assert.ok(Math.abs(unmasked.h.dataSync()[0] - a.h.dataSync()[0]) > 1e-3, 'without the mask the noise shows');
});

test('sequence length 1 is one cell step', () => {
  const rng = new Rng(5);
  const w = jsWeights(rng, inputSize, hidden);
  const xs = [[[0.5, -1, 2]], [[0, 0.1, -0.3]]];
  const result = lstmReference(tf.tensor3d(xs), toLstmWeights(w));
  assert.deepEqual(result.outputs.shape, [2, 1, hidden]);
  xs.forEach((seq, b) =>
    assertArraysClose(result.outputs.arraySync()[b][0], jsLstmSequence(seq, w).h, FORWARD_ATOL, `h[${b}]`),
  );
});

test('no tensor outlives the call except the result', () => {
  const rng = new Rng(9);
  const weights = toLstmWeights(jsWeights(rng, inputSize, hidden));
  const x = tf.tensor3d(randomSequences(rng));
  const mask = tf.ones<tf.Rank.R2>([batch, time]);
  const before = tf.memory().numTensors;
  const result = lstmReference(x, weights, mask);
  assert.equal(tf.memory().numTensors, before + 3);
  tf.dispose([result.outputs, result.h, result.c]);
  assert.equal(tf.memory().numTensors, before);
});
