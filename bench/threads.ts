// `npx tsx bench/threads.ts`: what threads buy on wasm (XNNPACK's, and the fused layer's row workers), one then two, twice.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.js';
import { lstmFused } from '../src/models/lstm-fused.js';
import { medianMs } from './case.js';

/** XNNPACK on W1's matMul shapes (per-step h·V and the weight-gradient product, which the fused layer now does
 * with its own tiles on its row threads), its activations, and one fused LSTM layer. */
function measure(): string {
  const [h, v] = [tf.randomNormal([64, 128]), tf.randomNormal([128, 512])];
  const [dZt, operands] = [tf.randomNormal([512, 1792]), tf.randomNormal([1792, 157])];
  const s = tf.randomNormal([64, 512]);
  const x = tf.randomNormal<tf.Rank.R3>([64, 28, 28]);
  const vars = [
    tf.variable(tf.randomNormal([28, 512], 0, 0.2)),
    tf.variable(tf.randomNormal([128, 512], 0, 0.1)),
    tf.variable(tf.zeros([512])),
  ];
  const layer = () =>
    lstmFused(x, {
      kernel: vars[0] as tf.Tensor2D,
      recurrentKernel: vars[1] as tf.Tensor2D,
      bias: vars[2] as tf.Tensor1D,
    });
  const ms = {
    'h·V [64,128]·[128,512]': medianMs(() => tf.tidy(() => void tf.matMul(h, v).dataSync()), 300, 20),
    'dZᵀ·[X|H|1] [512,1792]·[1792,157]': medianMs(() => tf.tidy(() => void tf.matMul(dZt, operands).dataSync()), 30, 3),
    'sigmoid [64,512]': medianMs(() => tf.tidy(() => void tf.sigmoid(s).dataSync()), 300, 20),
    'fused layer W1, inference': medianMs(() => tf.tidy(() => void layer().outputs.dataSync()), 30, 5),
    'fused layer W1, training step': medianMs(
      () =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => tf.sum(layer().h), vars);
          Object.values(grads).forEach((g) => g.dataSync());
        }),
      20,
      3,
    ),
  };
  return Object.entries(ms)
    .map(([k, t]) => `${k} ${t.toFixed(2)} ms`)
    .join('  |  ');
}

for (const threads of [1, 2, 1, 2]) {
  await selectBackend('wasm', 'fixed', threads);
  console.log(`${threads} thread${threads > 1 ? 's' : ' '}: ${measure()}`);
}
