// `npx tsx bench/split.ts [W1|W2] [reps]`: where a hand-fused LSTM training step spends its time (wasm, fixed kernels).
// `npx tsx bench/split.ts bi [W1|W2] [reps]`: a bidirectional layer's step against one direction's.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.js';
import { withStockKernel } from '../src/backend/wasm-kernels.js';
import { lstmFused } from '../src/models/lstm-fused.js';
import { LSTM_SEQUENCE_KERNELS } from '../src/models/lstm-sequence-kernels.js';
import { median, WORKLOADS, type WorkloadName } from './workloads.js';
import { medianMs } from './case.js';

/** The least time each measurement's timed calls span (after half as long of warm-up): a fast case's first tens of
 * steps run slower while V8 and the wasm engine optimise the hot code. */
const WINDOW_MS = 1500;

/**
 * One LSTM layer of the workload (no head, no optimizer): inference; the taped forward and the backward of one
 * gradient computation (the forward ends when variableGrads' function returns); and, on operands of the same
 * shapes, the weight-gradient product [dU | dV | db]ᵀ = dZᵀ·[X | H_prev | 1] after the backward loop (the wasm
 * kernel where it is registered, else tf.matMul). The backward loop is the backward minus that product.
 */
export function splitFusedStep(workload: WorkloadName, reps: number) {
  const w = WORKLOADS[workload];
  const [B, T, I, H] = [w.batch, w.steps, w.features, w.hidden];
  const x = tf.randomNormal<tf.Rank.R3>([B, T, I]);
  const vars = [tf.randomNormal([I, 4 * H], 0, 0.1), tf.randomNormal([H, 4 * H], 0, 0.1), tf.zeros([4 * H])].map((t) =>
    tf.variable(t),
  );
  const weights = {
    kernel: vars[0] as tf.Tensor2D,
    recurrentKernel: vars[1] as tf.Tensor2D,
    bias: vars[2] as tf.Tensor1D,
  };
  const probe = tf.randomNormal([B, T, H]);
  const loss = () => tf.sum<tf.Scalar>(tf.mul(lstmFused(x, weights).outputs, probe));
  const inference = medianMs(() => tf.tidy(() => void loss().dataSync()), reps, 3, WINDOW_MS);
  const forwards: number[] = [];
  const total = medianMs(
    () =>
      tf.tidy(() => {
        const t0 = performance.now();
        const { grads } = tf.variableGrads(() => {
          const l = loss();
          l.dataSync();
          forwards.push(performance.now() - t0);
          return l;
        }, vars);
        Object.values(grads)[0].dataSync();
      }),
    reps,
    3,
    WINDOW_MS,
  );
  const forward = median(forwards.slice(Math.floor(forwards.length / 2))); // the warm-up is the first half or less
  const dZT = tf.randomNormal([4 * H, T * B]);
  const operands = tf.randomNormal([T * B, I + H + 1]);
  const kernel = tf.getKernel(LSTM_SEQUENCE_KERNELS.weightGradient, tf.getBackend());
  const product = () =>
    kernel
      ? tf.engine().runKernel<tf.Tensor>(LSTM_SEQUENCE_KERNELS.weightGradient, { dZT, operands }, {})
      : tf.matMul(dZT, operands);
  const weightGradients = medianMs(
    () => tf.tidy(() => void tf.slice(product(), [0, 0], [1, 1]).dataSync()),
    reps,
    3,
    WINDOW_MS,
  );
  const backward = total - forward;
  return { inference, forward, backward, weightGradients, backwardLoop: backward - weightGradients };
}

/**
 * Where a bidirectional layer's training step goes, side by side in one process: one direction; both directions as
 * HandLSTM runs them (the backward one on the reversed sequence, its outputs reversed back, then concatenated);
 * and both directions without the reversals and the concatenation (each on x as it is, each output into the loss).
 * Rounds interleave the three; each time is the median of its rounds' medians.
 */
export function splitBidirectional(workload: WorkloadName, reps: number, rounds = 3) {
  const w = WORKLOADS[workload];
  const [B, T, I, H] = [w.batch, w.steps, w.features, w.hidden];
  const x = tf.randomNormal<tf.Rank.R3>([B, T, I]);
  const direction = () => {
    const v = [tf.randomNormal([I, 4 * H], 0, 0.1), tf.randomNormal([H, 4 * H], 0, 0.1), tf.zeros([4 * H])];
    const vars = v.map((t) => tf.variable(t));
    const weights = {
      kernel: vars[0] as tf.Tensor2D,
      recurrentKernel: vars[1] as tf.Tensor2D,
      bias: vars[2] as tf.Tensor1D,
    };
    return { vars, weights };
  };
  const [fw, bw] = [direction(), direction()];
  const probe = tf.randomNormal([B, T, 2 * H]);
  const [half, other] = tf.split(probe, 2, 2);
  const uni = () => tf.sum<tf.Scalar>(tf.mul(lstmFused(x, fw.weights).outputs, half));
  const bi = () => {
    const forward = lstmFused(x, fw.weights).outputs;
    const backward = lstmFused(tf.reverse(x, 1), bw.weights).outputs;
    return tf.sum<tf.Scalar>(tf.mul(tf.concat([forward, tf.reverse(backward, 1)], 2), probe));
  };
  const twoPlain = (): tf.Scalar =>
    tf.add<tf.Scalar>(
      tf.sum<tf.Scalar>(tf.mul(lstmFused(x, fw.weights).outputs, half)),
      tf.sum<tf.Scalar>(tf.mul(lstmFused(x, bw.weights).outputs, other)),
    );
  const step = (loss: () => tf.Scalar, vars: tf.Variable[]) => () =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(loss, vars);
      Object.values(grads)[0].dataSync();
    });
  const infer = (loss: () => tf.Scalar) => () => tf.tidy(() => void loss().dataSync());
  const both = [...fw.vars, ...bw.vars];
  const cases = {
    'uni train': step(uni, fw.vars),
    'bi train (as HandLSTM)': step(bi, both),
    'bi train, no reverse/concat': step(twoPlain, both),
    'uni infer': infer(uni),
    'bi infer (as HandLSTM)': infer(bi),
    'bi infer, no reverse/concat': infer(twoPlain),
  };
  // each bi case also with the stock Reverse kernel, to see what ours saves
  const stockReverse = (f: () => void) => () => {
    const restore = withStockKernel('Reverse');
    try {
      f();
    } finally {
      restore();
    }
  };
  const all: Record<string, () => void> = {
    ...cases,
    'bi train, stock Reverse': stockReverse(cases['bi train (as HandLSTM)']),
    'bi infer, stock Reverse': stockReverse(cases['bi infer (as HandLSTM)']),
  };
  const times = new Map<string, number[]>(Object.keys(all).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++)
    for (const [name, f] of Object.entries(all)) times.get(name)!.push(medianMs(f, reps, 3, WINDOW_MS));
  return Object.fromEntries([...times].map(([k, v]) => [k, median(v)]));
}

if (process.argv[1]?.endsWith('split.ts') && process.argv[2] === 'bi') {
  const workload = (process.argv[3] ?? 'W1') as WorkloadName;
  // two threads: what lstm-train's "auto" gives the fused kernel on this machine
  const { wasmThreads } = await selectBackend('wasm', 'fixed', Number(process.argv[5] ?? 2));
  const s = splitBidirectional(workload, Number(process.argv[4] ?? 9));
  console.log(
    `hand-fused LSTM layer, ${workload}, bidirectional against one direction, wasm, ${wasmThreads} thread(s):`,
  );
  for (const [name, ms] of Object.entries(s)) console.log(`  ${name.padEnd(30)} ${ms.toFixed(1).padStart(6)} ms`);
} else if (process.argv[1]?.endsWith('split.ts')) {
  const workload = (process.argv[2] ?? 'W1') as WorkloadName;
  const threads = process.argv[4] === undefined ? 'auto' : Number(process.argv[4]);
  const { wasmThreads } = await selectBackend('wasm', 'fixed', threads);
  const s = splitFusedStep(workload, Number(process.argv[3] ?? 9));
  const line = (label: string, ms: number) => console.log(`  ${label.padEnd(34)} ${ms.toFixed(1).padStart(6)} ms`);
  console.log(
    `hand-fused LSTM layer, ${workload}, one batch of ${WORKLOADS[workload].batch} ` +
      `(no head, no optimizer), wasm, ${wasmThreads} thread(s):`,
  );
  line('inference (no tape)', s.inference);
  line('training: forward (taped)', s.forward);
  line('training: backward', s.backward);
  line('  backward loop (one kernel, and glue)', s.backwardLoop);
  line('  weight-gradient product', s.weightGradients);
}
