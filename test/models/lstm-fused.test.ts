// lstmFused = lstmReference = tfjs's builtin LSTM: outputs, states and every gradient, on cpu and wasm (stock and fixed kernels).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { installFixedWasmKernels, restoreStockWasmKernels } from '../../src/backend/wasm-kernels.js';
import { simdCellInUse } from '../../src/backend/wasm-lstm-sequence.js';
import { gradientIsRecorded, lstmFused } from '../../src/models/lstm-fused.js';
import { lstmReference } from '../../src/models/lstm-reference.js';
import '../../src/models/tfjs-patches.js'; // tfjs 4.22's builtin LSTM cannot differentiate one-step sequences without it
import type { LstmResult, LstmSequenceFn } from '../../src/models/types.js';
import { Rng } from '../../src/util/rng.js';
import { assertClose, FORWARD_ATOL, GRADIENT_ATOL, raggedMask, randn } from './helpers.js';

const rng = new Rng(5);

interface Case {
  batch: number;
  time: number;
  input: number;
  hidden: number;
  lengths?: number[]; // post-padded ragged sequences (the data layer's long layout)
  biasScale?: number; // bias standard deviation (0.5 unless given)
}

const CASES: Case[] = [
  { batch: 3, time: 5, input: 4, hidden: 6 },
  { batch: 1, time: 1, input: 3, hidden: 4 }, // sequence length 1, batch 1
  { batch: 4, time: 1, input: 2, hidden: 3 },
  { batch: 2, time: 12, input: 3, hidden: 5 },
  { batch: 4, time: 6, input: 3, hidden: 5, lengths: [6, 1, 3, 5] },
  { batch: 2, time: 3, input: 2, hidden: 4, lengths: [2, 3] },
  // on wasm with fixed kernels, hidden sizes that are a multiple of 4 (4 above, 8, 12) run the SIMD cell
  // (lstm-cell.wat), the others the JS loops; batches of 5, 6 and 3 take its blocks of 4 rows and single rows, and
  // a hidden size of 12 its matMul panels of 4 columns (Vᵀ has 12)
  { batch: 5, time: 7, input: 3, hidden: 8, lengths: [7, 1, 4, 7, 2] },
  { batch: 6, time: 5, input: 3, hidden: 12, lengths: [5, 2, 5, 1, 3, 4] },
  { batch: 3, time: 4, input: 3, hidden: 12, biasScale: 60 }, // many gates saturated: pre-activations beyond σ's ±80 clamp
];

/** A stack of `layers` LSTMs, each uni- or bidirectional ("bi by reversing", concat merge), with its trainable variables. */
interface Stack {
  vars: tf.Variable[];
  run: (x: tf.Tensor3D, mask?: tf.Tensor2D) => tf.Tensor[]; // [last layer's outputs, then every h and c]
}

function kernelStack(kernel: LstmSequenceFn, weights: tf.Tensor[][], bidirectional: boolean): Stack {
  const vars = weights.flat().map((w) => tf.variable(w));
  const dirs = bidirectional ? 2 : 1;
  const weightsOf = (layer: number, dir: number) => {
    const [kernelW, recurrentKernel, bias] = vars.slice((layer * dirs + dir) * 3, (layer * dirs + dir) * 3 + 3);
    return {
      kernel: kernelW as tf.Tensor2D,
      recurrentKernel: recurrentKernel as tf.Tensor2D,
      bias: bias as tf.Tensor1D,
    };
  };
  const run = (x: tf.Tensor3D, mask?: tf.Tensor2D) => {
    let h: tf.Tensor3D = x;
    const states: tf.Tensor[] = [];
    for (let layer = 0; layer < weights.length / dirs; layer++) {
      const fwd: LstmResult = kernel(h, weightsOf(layer, 0), mask);
      states.push(fwd.h, fwd.c);
      if (!bidirectional) {
        h = fwd.outputs;
        continue;
      }
      const bwd = kernel(tf.reverse(h, 1), weightsOf(layer, 1), mask && tf.reverse(mask, 1));
      states.push(bwd.h, bwd.c);
      h = tf.concat([fwd.outputs, tf.reverse(bwd.outputs, 1)], 2);
    }
    return [h, ...states];
  };
  return { vars, run };
}

function builtinStack(weights: tf.Tensor[][], hidden: number, bidirectional: boolean): Stack {
  const dirs = bidirectional ? 2 : 1;
  const layers: tf.layers.Layer[] = [];
  for (let l = 0; l < weights.length / dirs; l++) {
    const lstm = tf.layers.lstm({
      units: hidden,
      returnSequences: true,
      returnState: true,
      recurrentActivation: 'sigmoid',
    });
    layers.push(bidirectional ? tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat' }) : lstm);
  }
  const run = (x: tf.Tensor3D, mask?: tf.Tensor2D) => {
    let h: tf.Tensor = x;
    const states: tf.Tensor[] = [];
    for (const layer of layers) {
      const [out, ...st] = layer.apply(h, mask ? { mask } : {}) as tf.Tensor[];
      states.push(...st); // bidirectional: [h_f, c_f, h_b, c_b]
      h = out;
    }
    return [h, ...states];
  };
  // Build the layers on a dummy input, then load the shared weights.
  tf.tidy(() => run(tf.zeros<tf.Rank.R3>([1, 1, weights[0][0].shape[0]])));
  layers.forEach((layer, l) => layer.setWeights(weights.slice(l * dirs, (l + 1) * dirs).flat()));
  return { vars: layers.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable)), run };
}

/** Outputs, states and the gradients of a fixed random projection of all of them w.r.t. x and every weight. */
function evaluate(stack: Stack, x: tf.Tensor3D, mask: tf.Tensor2D | undefined, probes: tf.Tensor[]) {
  const xVar = tf.variable(x);
  const values = tf.tidy(() => stack.run(xVar, mask).map((t) => tf.keep(t)));
  const loss = () => tf.addN(stack.run(xVar, mask).map((t, k) => tf.sum(tf.mul(t, probes[k])))) as tf.Scalar;
  const { grads } = tf.variableGrads(loss, [xVar, ...stack.vars]);
  const gradients = [xVar, ...stack.vars].map((v) => grads[v.name]);
  xVar.dispose();
  return { values, gradients };
}

function randomWeights(c: Case, layers: number, dirs: number): tf.Tensor[][] {
  const out: tf.Tensor[][] = [];
  for (let l = 0; l < layers; l++) {
    const input = l === 0 ? c.input : c.hidden * dirs;
    for (let d = 0; d < dirs; d++)
      out.push([
        randn(rng, [input, 4 * c.hidden], 0.5),
        randn(rng, [c.hidden, 4 * c.hidden], 0.5),
        randn(rng, [4 * c.hidden], c.biasScale ?? 0.5),
      ]);
  }
  return out;
}

function compareAll(c: Case, layers: number, bidirectional: boolean): void {
  const dirs = bidirectional ? 2 : 1;
  const weights = randomWeights(c, layers, dirs);
  const x = randn(rng, [c.batch, c.time, c.input]) as tf.Tensor3D;
  const mask = c.lengths ? raggedMask(c.lengths, c.time) : undefined;
  const stacks: [string, Stack][] = [
    ['fused', kernelStack(lstmFused, weights, bidirectional)],
    ['reference', kernelStack(lstmReference, weights, bidirectional)],
    ['builtin', builtinStack(weights, c.hidden, bidirectional)],
  ];
  const shapes = tf.tidy(() => stacks[0][1].run(x, mask).map((t) => t.shape));
  const probes = shapes.map((s) => randn(rng, s));
  const results = stacks.map(([name, s]) => [name, evaluate(s, x, mask, probes)] as const);
  const [, fused] = results[0];
  const label = `${JSON.stringify(c)} layers ${layers}${bidirectional ? ' bi' : ''} on ${tf.getBackend()}`;
  for (const [name, other] of results.slice(1)) {
    fused.values.forEach((v, k) =>
      assertClose(v, other.values[k], FORWARD_ATOL, `${label}: fused vs ${name} value ${k}`),
    );
    fused.gradients.forEach((g, k) =>
      assertClose(g, other.gradients[k], GRADIENT_ATOL, `${label}: fused vs ${name} gradient ${k}`),
    );
  }
  tf.dispose(
    [
      x,
      mask,
      probes,
      weights.flat(),
      stacks.map(([, s]) => s.vars),
      results.map(([, r]) => [r.values, r.gradients]),
    ].flat(3),
  );
}

const BACKENDS = [
  { name: 'cpu', setup: () => tf.setBackend('cpu') },
  { name: 'wasm, stock kernels', setup: async () => (await tf.setBackend('wasm'), restoreStockWasmKernels()) },
  { name: 'wasm, fixed kernels', setup: async () => (await tf.setBackend('wasm'), installFixedWasmKernels()) },
];

before(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  tf.enableProdMode();
});

after(async () => {
  restoreStockWasmKernels();
  await tf.setBackend('cpu');
});

for (const backend of BACKENDS) {
  describe(`lstmFused on ${backend.name}`, () => {
    before(backend.setup);

    test('= reference = builtin, uni, one layer: outputs, h, c and gradients (x and weights), incl. masks and T = 1', () => {
      for (const c of CASES) compareAll(c, 1, false);
    });

    test('= reference = builtin, bidirectional (by reversing) and 2 stacked layers', () => {
      compareAll(CASES[0], 1, true);
      compareAll(CASES[4], 2, false);
      compareAll(CASES[1], 2, true);
      compareAll(CASES[6], 2, true);
    });
  });
}

describe('lstmFused paths and memory (wasm, fixed kernels)', () => {
  before(async () => {
    await tf.setBackend('wasm');
    installFixedWasmKernels();
  });

  test('the sequence kernels run the SIMD cell when the hidden size is a multiple of 4, else the JS loops', () => {
    assert.equal(simdCellInUse(tf.backend(), 8), true, 'dist/wasm/lstm-cell.wasm is built by npm run build');
    assert.equal(simdCellInUse(tf.backend(), 6), false);
  });

  test('gradientIsRecorded is false outside a gradient and true inside one', () => {
    assert.equal(gradientIsRecorded(), false);
    let inside = false;
    tf.grad((x: tf.Tensor) => {
      inside = gradientIsRecorded();
      return tf.sum(x);
    })(tf.ones([2]));
    assert.equal(inside, true);
  });

  test('the inference path (no tape) gives what the taped path gives, on the SIMD cell and the JS loops', () => {
    for (const c of [CASES[4], CASES[6]]) {
      const [w] = randomWeights(c, 1, 1);
      const weights = { kernel: w[0] as tf.Tensor2D, recurrentKernel: w[1] as tf.Tensor2D, bias: w[2] as tf.Tensor1D };
      const x = randn(rng, [c.batch, c.time, c.input]) as tf.Tensor3D;
      const mask = raggedMask(c.lengths!, c.time);
      const plain = lstmFused(x, weights, mask);
      let taped: tf.Tensor[] = [];
      tf.grad((xx: tf.Tensor) => {
        const r = lstmFused(xx as tf.Tensor3D, weights, mask);
        taped = [r.outputs, r.h, r.c].map((t) => tf.keep(t.clone()));
        return tf.sum(r.outputs);
      })(x);
      const label = `hidden ${c.hidden}: inference vs taped`;
      [plain.outputs, plain.h, plain.c].forEach((t, k) => assertClose(t, taped[k], 0, `${label} ${k}`));
      tf.dispose([...w, x, mask, plain.outputs, plain.h, plain.c, ...taped]);
    }
  });

  for (const hidden of [5, 8]) {
    test(`training steps with Adam leave no tensor behind (hidden ${hidden}: ${hidden % 4 === 0 ? 'SIMD cell' : 'JS loops'})`, () => {
      const c: Case = { batch: 4, time: 6, input: 3, hidden, lengths: [6, 2, 4, 6] };
      const [w] = randomWeights(c, 1, 1);
      const [kernel, recurrentKernel, bias] = w.map((t) => tf.variable(t));
      const head = tf.variable(randn(rng, [c.hidden, 2]));
      const x = randn(rng, [c.batch, c.time, c.input]) as tf.Tensor3D;
      const mask = raggedMask(c.lengths!, c.time);
      const y = randn(rng, [c.batch, 2]);
      const optimizer = tf.train.adam(0.01);
      const step = () =>
        tf.tidy(() => {
          const loss = () => {
            const r = lstmFused(
              x,
              {
                kernel: kernel as tf.Tensor2D,
                recurrentKernel: recurrentKernel as tf.Tensor2D,
                bias: bias as tf.Tensor1D,
              },
              mask,
            );
            return tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(y, tf.matMul(r.h, head));
          };
          return optimizer.minimize(loss, true)!.dataSync()[0];
        });
      const first = step(); // Adam makes its slots here
      const tensors = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds(); // also what kernels allocate and never hand to the engine
      let last = first;
      for (let i = 0; i < 5; i++) last = step();
      assert.equal(tf.memory().numTensors, tensors, 'live tensors grew across steps');
      assert.equal(tf.engine().backend.numDataIds(), buffers, 'backend buffers grew across steps');
      assert.ok(last < first, `the loss went down (${first} → ${last})`);
      optimizer.dispose();
      tf.dispose([...w, kernel, recurrentKernel, bias, head, x, mask, y]);
    });
  }
});
