// Parity with PyTorch: our kernels and tfjs's builtin LSTM reproduce torch.nn.LSTM's outputs, states and gradients.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lstmFused } from '../../src/models/lstm-fused.js';
import { lstmReference } from '../../src/models/lstm-reference.js';
// Without this, tf.layers.lstm's gradient throws on one-step sequences (tfjs 4.22's Unpack gradient bug).
import '../../src/models/tfjs-patches.js';
import type { LstmResult, LstmSequenceFn, LstmWeights } from '../../src/models/types.js';
import { loadTorchFixtures, type TorchCase, type TorchLstmWeights } from '../fixtures/torch-fixtures.js';

const ATOL = 1e-5;
const cases = loadTorchFixtures();

const kernels: [string, LstmSequenceFn][] = [
  ['lstmReference', lstmReference],
  ['lstmFused', lstmFused],
];

/** What a stack of (bi)directional LSTM layers gives back: the last layer's output and every final state. */
interface StackResult {
  output: tf.Tensor3D; // [batch, time, hidden*dirs]
  h: tf.Tensor2D[][]; // [layer][direction]: [batch, hidden]
  c: tf.Tensor2D[][];
}

function toWeights(w: TorchLstmWeights): LstmWeights {
  return { kernel: tf.tensor2d(w.kernel), recurrentKernel: tf.tensor2d(w.recurrentKernel), bias: tf.tensor1d(w.bias) };
}

function flatWeights<K, B>(weights: { kernel: K; recurrentKernel: K; bias: B }[][]): (K | B)[] {
  return weights.flatMap((layer) => layer.flatMap((w) => [w.kernel, w.recurrentKernel, w.bias]));
}

function weightLabels(c: TorchCase): string[] {
  return c.weights.flatMap((layer, l) =>
    layer.flatMap((_, d) => ['kernel', 'recurrentKernel', 'bias'].map((n) => `layer ${l} dir ${d} ${n}`)),
  );
}

function assertClose(actual: tf.Tensor, expected: unknown, what: string): void {
  const want = tf.tensor(expected as number[]);
  assert.deepEqual(actual.shape, want.shape, `${what}: shape`);
  const worst = tf.max(tf.abs(tf.sub(actual, want))).dataSync()[0];
  want.dispose();
  assert.ok(worst <= ATOL, `${what}: max |actual - torch| = ${worst}, expected <= ${ATOL}`);
}

/** torch runs the backward direction on the reversed sequence and reverses its outputs back. */
function runBackward(lstm: LstmSequenceFn, x: tf.Tensor3D, w: LstmWeights): LstmResult {
  const r = lstm(tf.reverse(x, 1), w);
  return { outputs: tf.reverse(r.outputs, 1), h: r.h, c: r.c };
}

/** Layer l+1 reads layer l's output; a bidirectional layer's output is [fwd, bwd] on the last axis. */
function runKernelStack(lstm: LstmSequenceFn, x: tf.Tensor3D, weights: LstmWeights[][]): StackResult {
  let input = x;
  const h: tf.Tensor2D[][] = [];
  const c: tf.Tensor2D[][] = [];
  for (const layer of weights) {
    const results = layer.map((w, d) => (d === 0 ? lstm(input, w) : runBackward(lstm, input, w)));
    h.push(results.map((r) => r.h));
    c.push(results.map((r) => r.c));
    input = tf.concat(
      results.map((r) => r.outputs),
      2,
    );
  }
  return { output: input, h, c };
}

/** Rebuilds [layer][direction] weights from the flat [kernel, recurrentKernel, bias, ...] list. */
function regroup(c: TorchCase, flat: tf.Tensor[]): LstmWeights[][] {
  let k = 0;
  return c.weights.map((layer) =>
    layer.map(() => {
      const [kernel, recurrentKernel, bias] = flat.slice(k, (k += 3));
      return { kernel, recurrentKernel, bias } as LstmWeights;
    }),
  );
}

function assertForward(c: TorchCase, result: StackResult): void {
  assertClose(result.output, c.output, 'output');
  c.hN.forEach((layer, l) => layer.forEach((hn, d) => assertClose(result.h[l][d], hn, `h_n layer ${l} dir ${d}`)));
  c.cN.forEach((layer, l) => layer.forEach((cn, d) => assertClose(result.c[l][d], cn, `c_n layer ${l} dir ${d}`)));
}

function assertGrads(c: TorchCase, grads: tf.Tensor[]): void {
  const expected = [c.grads.x, ...flatWeights(c.grads.weights)];
  const labels = ['d loss / d x', ...weightLabels(c).map((n) => `d loss / d ${n}`)];
  assert.equal(grads.length, expected.length, 'number of gradients');
  grads.forEach((g, i) => assertClose(g, expected[i], labels[i]));
}

type Part = 'forward' | 'gradients';

function checkKernel(lstm: LstmSequenceFn, c: TorchCase, part: Part): void {
  tf.tidy(() => {
    const x = tf.tensor3d(c.x);
    const r = tf.tensor3d(c.r);
    const weights = c.weights.map((layer) => layer.map(toWeights));
    if (part === 'forward') return assertForward(c, runKernelStack(lstm, x, weights));
    const loss = (xs: tf.Tensor, ...flat: tf.Tensor[]) =>
      tf.sum(tf.mul(runKernelStack(lstm, xs as tf.Tensor3D, regroup(c, flat)).output, r));
    assertGrads(c, tf.grads(loss)([x, ...flatWeights(weights)]));
  });
}

/** tfjs's own layers, configured like torch (sigmoid, not tfjs's default hardSigmoid). */
function builtinLayers(c: TorchCase): tf.layers.Layer[] {
  return c.weights.map(() => {
    const lstm = tf.layers.lstm({
      units: c.hidden,
      returnSequences: true,
      returnState: true,
      recurrentActivation: 'sigmoid',
    });
    return c.bidirectional ? tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat' }) : lstm;
  });
}

/** apply() returns [output, h_fwd, c_fwd] (+ [h_bwd, c_bwd] when bidirectional) with returnState. */
function runBuiltinStack(layers: tf.layers.Layer[], x: tf.Tensor3D): StackResult {
  let input = x;
  const h: tf.Tensor2D[][] = [];
  const c: tf.Tensor2D[][] = [];
  for (const layer of layers) {
    const [output, ...states] = layer.apply(input) as tf.Tensor[];
    h.push(states.filter((_, i) => i % 2 === 0) as tf.Tensor2D[]);
    c.push(states.filter((_, i) => i % 2 === 1) as tf.Tensor2D[]);
    input = output as tf.Tensor3D;
  }
  return { output: input, h, c };
}

function checkBuiltin(c: TorchCase, part: Part): void {
  const layers = builtinLayers(c);
  const x = tf.variable(tf.tensor3d(c.x));
  const r = tf.tensor3d(c.r);
  tf.tidy(() => void runBuiltinStack(layers, x)); // builds the layers, so that their weights exist to be set
  layers.forEach((layer, l) => layer.setWeights(c.weights[l].flatMap((w) => Object.values(toWeights(w)))));
  try {
    tf.tidy(() => {
      if (part === 'forward') return assertForward(c, runBuiltinStack(layers, x));
      const vars = [x, ...layers.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable))];
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(runBuiltinStack(layers, x).output, r)), vars);
      assertGrads(
        c,
        vars.map((v) => grads[v.name]),
      );
    });
  } finally {
    layers.forEach((layer) => layer.dispose());
    tf.dispose([x, r]);
  }
}

before(async () => {
  await tf.setBackend('cpu');
});

describe('torch.nn.LSTM parity (test/fixtures/torch-lstm.json)', () => {
  test('the fixture covers 1 and 2 layers, both directions and a length-1 sequence', () => {
    assert.ok(cases.some((c) => c.layers === 1 && !c.bidirectional));
    assert.ok(cases.some((c) => c.layers === 2 && c.bidirectional));
    assert.ok(cases.some((c) => c.time === 1));
  });

  for (const c of cases) {
    for (const part of ['forward', 'gradients'] as const) {
      for (const [name, lstm] of kernels) {
        test(`${name} matches torch: ${c.name} ${part}`, () => checkKernel(lstm, c, part));
      }
      test(`tf.layers.lstm matches torch: ${c.name} ${part}`, () => checkBuiltin(c, part));
    }
  }
});
