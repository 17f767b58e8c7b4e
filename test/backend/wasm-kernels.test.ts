// Our wasm kernel replacements give the cpu backend's results on random shapes, ranks, slices and transpose flags.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  fixedWasmKernelsInstalled,
  installFixedWasmKernels,
  restoreStockWasmKernels,
} from '../../src/backend/wasm-kernels.js';
import { Rng } from '../../src/util/rng.js';

const rng = new Rng(20250505);
const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform(0, 1) * (hi - lo + 1)); // inclusive

function randomValues(shape: number[], scale = 1): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

/** Runs `f` on a backend and returns every result's shape and values (tensors made inside are disposed). */
function run(
  backend: 'cpu' | 'wasm',
  f: () => tf.Tensor | tf.Tensor[],
): { shape: number[]; values: Float32Array | Int32Array | Uint8Array }[] {
  void tf.setBackend(backend); // initialised in before(): switches at once
  return tf.tidy(() => {
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  });
}

/** The wasm result (fixed kernels) equals cpu's, exactly or within `atol`; also no wasm memory is left behind. */
function assertSameAsCpu(f: () => tf.Tensor | tf.Tensor[], what: string, atol = 0): void {
  const expected = run('cpu', f);
  void tf.setBackend('wasm');
  const dataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  const actual = run('wasm', f);
  assert.equal(
    (tf.backend() as unknown as { numDataIds(): number }).numDataIds(),
    dataIds,
    `${what}: wasm memory leaked`,
  );
  assert.equal(actual.length, expected.length, `${what}: number of outputs`);
  actual.forEach((a, k) => {
    const e = expected[k];
    assert.deepEqual(a.shape, e.shape, `${what}: output ${k} shape`);
    let worst = 0;
    for (let i = 0; i < e.values.length; i++) worst = Math.max(worst, Math.abs(a.values[i] - e.values[i]));
    assert.ok(worst <= atol, `${what}: output ${k} differs from cpu by ${worst} (> ${atol})`);
  });
}

function randomShape(rank: number, maxDim = 6): number[] {
  return Array.from({ length: rank }, () => int(1, maxDim));
}

before(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  tf.enableProdMode();
  await tf.setBackend('wasm');
  await tf.ready();
  installFixedWasmKernels();
});

after(() => {
  restoreStockWasmKernels();
  void tf.setBackend('cpu');
});

describe('fixed wasm kernels equal the cpu backend', () => {
  test('Slice: random ranks 1–5, begins and sizes (float32 and int32), exact', () => {
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(int(1, 5));
      const begin = shape.map((d) => int(0, d - 1));
      const size = shape.map((d, i) => (rng.uniform(0, 1) < 0.2 ? -1 : int(0, d - begin[i])));
      const values = randomValues(shape, 10);
      const dtype = trial % 4 === 3 ? 'int32' : 'float32';
      assertSameAsCpu(
        () => tf.slice(tf.tensor(values, shape, dtype), begin, size),
        `slice ${shape} at ${begin} size ${size} ${dtype}`,
      );
    }
  });

  test('Transpose (used by the matMul fix): random ranks 1–5 and permutations, float32 and int32, exact', () => {
    for (let trial = 0; trial < 60; trial++) {
      const rank = int(1, 5);
      const shape = randomShape(rank, rank <= 2 && trial % 2 === 0 ? 40 : 6);
      const perm = shape.map((_, i) => i);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = int(0, i);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const values = randomValues(shape, 10);
      const dtype = trial % 3 === 2 ? 'int32' : 'float32';
      assertSameAsCpu(
        () => tf.transpose(tf.tensor(values, shape, dtype), perm),
        `transpose ${shape} by ${perm} ${dtype}`,
      );
    }
    const tall = randomValues([300, 37]);
    assertSameAsCpu(() => tf.transpose(tf.tensor(tall, [300, 37])), 'transpose [300, 37]');
  });

  test('Unpack (unstack): every axis of random tensors, exact', () => {
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(int(1, 4));
      const axis = int(0, shape.length - 1);
      const values = randomValues(shape);
      assertSameAsCpu(() => tf.unstack(tf.tensor(values, shape), axis), `unstack ${shape} axis ${axis}`);
    }
  });

  test('SplitV (split): equal and uneven pieces along every axis, exact', () => {
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(int(1, 4), 8);
      const axis = int(0, shape.length - 1);
      const d = shape[axis];
      const sizes = d >= 3 && trial % 2 ? [1, d - 3, 2] : d;
      const pieces = Array.isArray(sizes) ? sizes : ([1, d].find((k) => d % k === 0 && k > 1) ?? 1);
      const values = randomValues(shape);
      assertSameAsCpu(
        () => tf.split(tf.tensor(values, shape), pieces, axis),
        `split ${shape} into ${pieces} on axis ${axis}`,
      );
    }
  });

  test('BatchMatMul: ranks 2–4, broadcast batches, every transpose flag, within 1e-5 (summation order differs)', () => {
    for (let trial = 0; trial < 40; trial++) {
      const [m, k, n] = [int(1, 9), int(1, 9), int(1, 9)];
      const rank = int(2, 4);
      const batch = randomShape(rank - 2, 3);
      const bBatch = trial % 3 === 0 ? batch.map(() => 1) : batch; // broadcasting over batch dims
      const [ta, tb] = [trial % 2 === 1, Math.floor(trial / 2) % 2 === 1];
      const aShape = [...batch, ...(ta ? [k, m] : [m, k])];
      const bShape = [...bBatch, ...(tb ? [n, k] : [k, n])];
      const [a, b] = [randomValues(aShape), randomValues(bShape)];
      const f = () => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb);
      assertSameAsCpu(f, `matMul ${aShape}${ta ? 'ᵀ' : ''} × ${bShape}${tb ? 'ᵀ' : ''}`, 1e-5);
    }
  });

  test('_FusedMatMul: transposes, bias (rank 1 and [1, n]) and activations', () => {
    const activations = ['linear', 'relu', 'sigmoid'] as const;
    for (let trial = 0; trial < 24; trial++) {
      const [m, k, n] = [int(1, 9), int(1, 9), int(1, 9)];
      const [ta, tb] = [trial % 2 === 1, Math.floor(trial / 2) % 2 === 1];
      const aShape: [number, number] = ta ? [k, m] : [m, k];
      const bShape: [number, number] = tb ? [n, k] : [k, n];
      const biasShape = trial % 3 === 2 ? [1, n] : [n];
      const [a, b, bias] = [randomValues(aShape), randomValues(bShape), randomValues([n])];
      const activation = activations[trial % 3];
      const f = () =>
        tf.fused.matMul({
          a: tf.tensor2d(a, aShape),
          b: tf.tensor2d(b, bShape),
          transposeA: ta,
          transposeB: tb,
          bias: tf.tensor(bias, biasShape),
          activation,
        });
      assertSameAsCpu(f, `fused matMul ${aShape} × ${bShape} bias ${biasShape} ${activation}`, 1e-5);
    }
  });

  test("matMul's gradients (the transposed forms tfjs's backward uses) equal cpu's", () => {
    for (let trial = 0; trial < 8; trial++) {
      const [m, k, n] = [int(1, 12), int(1, 12), int(1, 12)];
      const [ta, tb] = [trial % 2 === 1, Math.floor(trial / 2) % 2 === 1];
      const aShape = ta ? [k, m] : [m, k];
      const bShape = tb ? [n, k] : [k, n];
      const [a, b] = [randomValues(aShape), randomValues(bShape)];
      const f = () =>
        tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, ta, tb))))([
          tf.tensor(a, aShape),
          tf.tensor(b, bShape),
        ]);
      assertSameAsCpu(f, `matMul gradients ${aShape} × ${bShape}`, 1e-4);
    }
  });

  test('Reverse: random ranks 1–5 and sets of axes (float32 and int32), exact; and its gradient', () => {
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(int(1, 5));
      const axes = shape.map((_, i) => i).filter(() => rng.uniform(0, 1) < 0.5);
      const values = randomValues(shape, 10);
      const dtype = trial % 4 === 3 ? 'int32' : 'float32';
      assertSameAsCpu(() => tf.reverse(tf.tensor(values, shape, dtype), axes), `reverse ${shape} on ${axes} ${dtype}`);
    }
    // what a bidirectional LSTM reverses: [batch, time, features] along time, forward and in the gradient
    const x = randomValues([4, 7, 5]);
    assertSameAsCpu(() => tf.reverse(tf.tensor3d(x, [4, 7, 5]), 1), 'reverse time');
    assertSameAsCpu(
      () =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reverse(t, 1), tf.range(0, 140).reshape([4, 7, 5]))))(
          tf.tensor3d(x, [4, 7, 5]),
        ),
      'reverse gradient',
    );
  });

  test('Tanh (through sigmoid) within 1e-6 over a wide range', () => {
    for (const scale of [0.01, 1, 5, 50]) {
      const shape = randomShape(int(1, 3), 40);
      const values = randomValues(shape, scale);
      assertSameAsCpu(() => tf.tanh(tf.tensor(values, shape)), `tanh ×${scale} ${shape}`, 1e-6);
    }
  });

  test('Identity (tf.clone) shares the data: same values, and either tensor can be disposed first', () => {
    const values = randomValues([5, 7]);
    assertSameAsCpu(() => tf.clone(tf.tensor(values, [5, 7])), 'clone');
    void tf.setBackend('wasm');
    const before = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const x = tf.tensor(values, [5, 7]);
    const y = tf.clone(x);
    assert.equal((tf.backend() as unknown as { numDataIds(): number }).numDataIds(), before + 1, 'no copy');
    x.dispose();
    assert.deepEqual(y.dataSync(), values);
    y.dispose();
    assert.equal(
      (tf.backend() as unknown as { numDataIds(): number }).numDataIds(),
      before,
      'freed with the last reference',
    );
    assertSameAsCpu(() => tf.clone(tf.tensor([3, -1, 7], [3], 'int32')), 'int32 clone');
  });

  test('the LSTM-sized slices: one time step of [8, 28, 32] and four gates of [8, 4*16]', () => {
    const x = randomValues([8, 28, 32]);
    assertSameAsCpu(() => tf.unstack(tf.tensor(x, [8, 28, 32]), 1), 'unstack time');
    const z = randomValues([8, 64]);
    assertSameAsCpu(() => tf.split(tf.tensor(z, [8, 64]), 4, 1), 'split gates');
  });
});

describe('install / restore', () => {
  test('are idempotent and switch between our kernels and the stock ones', () => {
    const stockSlice = () => tf.getKernel('Slice', 'wasm').kernelFunc;
    installFixedWasmKernels();
    const fixed = stockSlice();
    installFixedWasmKernels();
    assert.equal(stockSlice(), fixed, 'a second install changes nothing');
    assert.ok(fixedWasmKernelsInstalled());
    restoreStockWasmKernels();
    const stock = stockSlice();
    assert.notEqual(stock, fixed);
    restoreStockWasmKernels();
    assert.equal(stockSlice(), stock, 'a second restore changes nothing');
    assert.ok(!fixedWasmKernelsInstalled());
    const values = randomValues([5, 6, 7]);
    assertSameAsCpu(() => tf.unstack(tf.tensor(values, [5, 6, 7]), 2), 'stock unstack still works');
    installFixedWasmKernels();
    assert.equal(stockSlice() === stock, false);
  });
});
