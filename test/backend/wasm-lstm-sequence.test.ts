// The wasm weight-gradient kernel gives the cpu backend's matMul for every width its panels of 8 columns meet.
// (The sequence kernels themselves are compared with the reference LSTM in test/models/lstm-fused.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { installFixedWasmKernels, restoreStockWasmKernels } from '../../src/backend/wasm-kernels.js';
import { simdCellInUse } from '../../src/backend/wasm-lstm-sequence.js';
import { LSTM_SEQUENCE_KERNELS } from '../../src/models/lstm-sequence-kernels.js';
import { Rng } from '../../src/util/rng.js';

const rng = new Rng(23);

function randomValues(n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

function numDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

before(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  installFixedWasmKernels();
});

after(() => {
  restoreStockWasmKernels();
  void tf.setBackend('cpu');
});

test('dZᵀ·[X | H_prev | 1] equals the cpu matMul for widths that fill whole panels of 8, 4 or fewer columns', () => {
  assert.equal(simdCellInUse(tf.backend(), 4), true, 'npm run build compiled dist/wasm');
  for (const gates of [4, 12, 20])
    // 4H rows of dZᵀ: blocks of 4
    for (const rows of [1, 6, 37])
      // T·B
      for (const width of [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 30]) {
        const [dZT, operands] = [randomValues(gates * rows), randomValues(rows * width)];
        void tf.setBackend('cpu');
        const expected = tf.tidy(() =>
          tf.matMul(tf.tensor2d(dZT, [gates, rows]), tf.tensor2d(operands, [rows, width])).dataSync(),
        );
        void tf.setBackend('wasm');
        const before = numDataIds();
        const actual = tf.tidy(() => {
          const inputs = { dZT: tf.tensor2d(dZT, [gates, rows]), operands: tf.tensor2d(operands, [rows, width]) };
          const product = tf.engine().runKernel<tf.Tensor>(LSTM_SEQUENCE_KERNELS.weightGradient, inputs, {});
          assert.deepEqual(product.shape, [gates, width]);
          return product.dataSync();
        });
        assert.equal(numDataIds(), before, 'no wasm memory is left behind');
        let worst = 0;
        for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        assert.ok(worst <= 1e-4, `[${gates}, ${rows}]·[${rows}, ${width}] differs from cpu by ${worst}`);
      }
});
