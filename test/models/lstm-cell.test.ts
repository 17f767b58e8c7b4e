import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lstmCell, lstmGates } from '../../src/models/lstm-cell.js';
import { Rng } from '../../src/util/rng.js';
import { assertArraysClose, FORWARD_ATOL, jsLstmStep, jsWeights, toLstmWeights, useCpu } from './helpers.js';

before(useCpu);

test('one cell step matches the equations computed scalar by scalar', () => {
  const rng = new Rng(7);
  const [batch, inputSize, hidden] = [3, 4, 5];
  const w = jsWeights(rng, inputSize, hidden);
  const rows = (n: number, m: number) => Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal()));
  const [x, hPrev, cPrev] = [rows(batch, inputSize), rows(batch, hidden), rows(batch, hidden)];
  const weights = toLstmWeights(w);
  const { h, c } = lstmCell(tf.tensor2d(x), { h: tf.tensor2d(hPrev), c: tf.tensor2d(cPrev) }, weights);
  assert.deepEqual(h.shape, [batch, hidden]);
  const [hs, cs] = [h.arraySync(), c.arraySync()];
  for (let b = 0; b < batch; b++) {
    const expected = jsLstmStep(x[b], hPrev[b], cPrev[b], w);
    assertArraysClose(hs[b], expected.h, FORWARD_ATOL, `h[${b}]`);
    assertArraysClose(cs[b], expected.c, FORWARD_ATOL, `c[${b}]`);
  }
});

test('gate order is i, f, g, o: a large forget-gate bias alone keeps c_{t-1}', () => {
  // Only the forget block's bias is large and everything else is zero: f = 1, i = σ(0) = 0.5, g = tanh(0) = 0,
  // so c = c_{t-1} exactly and h = σ(0) · tanh(c_{t-1}). Any other gate order would give a different c.
  const hidden = 2;
  const bias = new Float32Array(4 * hidden);
  bias.fill(100, hidden, 2 * hidden);
  const weights = {
    kernel: tf.zeros<tf.Rank.R2>([1, 4 * hidden]),
    recurrentKernel: tf.zeros<tf.Rank.R2>([hidden, 4 * hidden]),
    bias: tf.tensor1d(bias),
  };
  const cPrev = [0.3, -1.2];
  const { h, c } = lstmCell(tf.tensor2d([[5]]), { h: tf.zeros([1, hidden]), c: tf.tensor2d([cPrev]) }, weights);
  assertArraysClose(c.dataSync(), cPrev, FORWARD_ATOL, 'c');
  assertArraysClose(
    h.dataSync(),
    cPrev.map((v) => 0.5 * Math.tanh(v)),
    FORWARD_ATOL,
    'h',
  );
});

test('lstmGates returns each gate as the equations define it, and the same h and c as lstmCell', () => {
  const rng = new Rng(8);
  const [batch, inputSize, hidden] = [2, 3, 4];
  const w = jsWeights(rng, inputSize, hidden);
  const rows = (n: number, m: number) => Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal()));
  const [x, hPrev, cPrev] = [rows(batch, inputSize), rows(batch, hidden), rows(batch, hidden)];
  const prev = { h: tf.tensor2d(hPrev), c: tf.tensor2d(cPrev) };
  const gates = lstmGates(tf.tensor2d(x), prev, toLstmWeights(w));
  const cell = lstmCell(tf.tensor2d(x), prev, toLstmWeights(w));
  assert.deepEqual(Array.from(gates.h.dataSync()), Array.from(cell.h.dataSync()));
  assert.deepEqual(Array.from(gates.c.dataSync()), Array.from(cell.c.dataSync()));
  const sigma = (z: number) => 1 / (1 + Math.exp(-z));
  const pre = (b: number, gate: number, j: number) => {
    let z = w.bias[gate * hidden + j];
    for (let k = 0; k < inputSize; k++) z += x[b][k] * w.kernel[k][gate * hidden + j];
    for (let k = 0; k < hidden; k++) z += hPrev[b][k] * w.recurrent[k][gate * hidden + j];
    return z;
  };
  const [i, f, g, o] = [gates.i, gates.f, gates.g, gates.o].map((t) => t.arraySync());
  for (let b = 0; b < batch; b++) {
    const expect = (k: number, act: (z: number) => number) =>
      Array.from({ length: hidden }, (_, j) => act(pre(b, k, j)));
    assertArraysClose(i[b], expect(0, sigma), FORWARD_ATOL, `i[${b}]`);
    assertArraysClose(f[b], expect(1, sigma), FORWARD_ATOL, `f[${b}]`);
    assertArraysClose(g[b], expect(2, Math.tanh), FORWARD_ATOL, `g[${b}]`);
    assertArraysClose(o[b], expect(3, sigma), FORWARD_ATOL, `o[${b}]`);
  }
});
