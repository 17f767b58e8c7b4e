// The fast LSTM: one activation for all four gates, a lean loop over time, hand-written backprop through time.
import * as tf from '@tensorflow/tfjs';
import { buffersOf, LSTM_SEQUENCE_KERNELS, type ForwardTrace } from './lstm-sequence-kernels.js';
import type { LstmResult, LstmSequenceFn, LstmWeights } from './types.js';

/**
 * Computes the same function as `lstmReference` (gate order i, f, g, o; padded steps carry h and c over), organised
 * for speed:
 *
 *   XP  = X·U + b                        one matMul for every step at once        [time*batch, 4H]
 *   z_t = XP_t + h_{t-1}·V                one matMul per step, V kept on the right   [batch, 4H]
 *   s_t = σ(z_t ⊙ k)  with k = 2 on the g block, 1 elsewhere, so that g_t = 2·s_g − 1 = tanh(z_g): one
 *         activation op for all four gates (the factor 2 is folded into U, V and b once per call).
 *   c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
 *
 * Backward through time (hand-written, see trainingPath), with dz_t the gradient w.r.t. the unscaled pre-activations:
 *   u_t      = dc_t + dh_t ⊙ o ⊙ (1 − tanh²(c_t))                  the whole gradient reaching c_t
 *   dz_t     = [u, u, u, dh]_t ⊙ [g, c_{t-1}, i, tanh c_t]_t ⊙ σ'_t    (σ' = s(1−s)·k², one tensor for all steps)
 *   dh_{t-1} = dz_t·Vᵀ,   dc_{t-1} = u_t ⊙ f_t
 * and after the loop, large matMuls over all steps: [dU | dV | db]ᵀ = dZᵀ·[X | H_prev | 1], and dX = dZ·Uᵀ.
 * A padded step (mask 0) passes dh and dc straight through and contributes no dz.
 *
 * Operands are transposed explicitly before multiplying: on the wasm backend a matMul with a transposed operand
 * is many times slower than a transpose followed by a plain matMul. Where the backend registers the sequence
 * kernels (wasm, src/backend/wasm-lstm-sequence.ts), the forward loop (the projection included), the backward loop
 * and the weight-gradient product are each one kernel; elsewhere they are the tfjs ops below.
 */
export const lstmFused: LstmSequenceFn = (x, weights, mask) =>
  // A named scope: the engine looks a custom op's gradient up by its scope name, which must not be a kernel's.
  tf.tidy('lstmFused', () => {
    const maskF = mask === undefined ? undefined : tf.cast<tf.Tensor2D>(mask, 'float32'); // the sequence kernels read floats
    return gradientIsRecorded() ? trainingPath(x, weights, maskF) : forward(x, weights, maskF, false).result;
  });

function sequenceKernelsAvailable(): boolean {
  return tf.getKernel(LSTM_SEQUENCE_KERNELS.forward, tf.getBackend()) !== undefined;
}

/** True while a gradient tape records ops (inside tf.grad / optimizer.minimize / model.fit), false in predict. */
export function gradientIsRecorded(): boolean {
  return (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn(); // tfjs-core 4.22 (pinned)
}

type Trace = ForwardTrace<tf.Tensor> & {
  operands: tf.Tensor2D;
  gates: tf.Tensor3D;
  tanhC: tf.Tensor3D;
  cs: tf.Tensor3D;
};

/** The gate scale k: 2 on the g block, 1 on i, f, o.  [4H] */
function gateScale(hidden: number): tf.Tensor1D {
  const k = new Float32Array(4 * hidden).fill(1);
  k.fill(2, 2 * hidden, 3 * hidden);
  return tf.tensor1d(k);
}

/** Runs the recurrence; with `trace`, also keeps what backprop needs. Padding in `mask` carries state over. */
function forward(x: tf.Tensor3D, w: LstmWeights, mask: tf.Tensor2D | undefined, trace: boolean) {
  const [batch, time, input] = x.shape;
  const hidden = w.recurrentKernel.shape[0];
  const k = gateScale(hidden);
  const kernel = tf.mul<tf.Tensor2D>(w.kernel, k); // [input, 4H]
  const recurrent = tf.mul<tf.Tensor2D>(w.recurrentKernel, k); // [H, 4H]
  const bias = tf.mul<tf.Tensor1D>(w.bias, k); // [4H]
  if (sequenceKernelsAvailable()) return kernelForward(x, { kernel, recurrentKernel: recurrent, bias }, mask, trace);
  const xFlat = tf.reshape<tf.Rank.R2>(tf.transpose(x, [1, 0, 2]), [time * batch, input]); // [time*batch, input]
  const projected = tf.fused.matMul({ a: xFlat, b: kernel, bias }); // [time*batch, 4H]
  const xps = tf.unstack(tf.reshape(projected, [time, batch, 4 * hidden])) as tf.Tensor2D[]; // time × [batch, 4H]
  const keeps = mask === undefined ? undefined : stepMasks(mask, hidden);
  let h = tf.zeros<tf.Rank.R2>([batch, hidden]);
  let c = tf.zeros<tf.Rank.R2>([batch, hidden]);
  const hs: tf.Tensor2D[] = [];
  const cs: tf.Tensor2D[] = [];
  const gates: tf.Tensor2D[] = [];
  const tanhCs: tf.Tensor2D[] = [];
  for (let t = 0; t < time; t++) {
    const step = lstmStep(xps[t], h, c, recurrent, t === 0, keeps?.[t]);
    ({ h, c } = step);
    hs.push(h);
    if (trace) {
      cs.push(c);
      gates.push(step.s);
      tanhCs.push(step.tanhC);
    }
  }
  // Time-major concat + one transpose: on wasm, concat copies one run per (row, piece), so gluing the steps along
  // time directly would copy batch×time small runs; and tf.stack adds an expandDims per piece.
  const stack3 = (ts: tf.Tensor2D[]) => tf.reshape<tf.Rank.R3>(tf.concat(ts), [time, ...ts[0].shape]);
  const hsTimeMajor = stack3(hs); // [time, batch, H]
  const outputs = tf.transpose(hsTimeMajor, [1, 0, 2]); // [batch, time, H]
  const result: LstmResult = { outputs, h, c };
  if (!trace) return { result, trace: undefined };
  const hPrev = tf.concat([tf.zeros([1, batch, hidden]), tf.slice(hsTimeMajor, 0, time - 1)]); // h_{t-1}  [time, batch, H]
  const operands = tf.concat<tf.Tensor2D>(
    [xFlat, tf.reshape(hPrev, [time * batch, hidden]), tf.ones([time * batch, 1])],
    1,
  );
  const traced: Trace = { operands, gates: stack3(gates), tanhC: stack3(tanhCs), cs: stack3(cs) };
  return { result, trace: traced };
}

/**
 * The loop of forward() as one registered kernel (src/backend/wasm-lstm-sequence.ts), with the same results, given
 * the scaled weights: it projects the inputs itself and fills the outputs [batch, time, H] and the trace, so
 * nothing is stacked, transposed or concatenated around it.
 */
function kernelForward(x: tf.Tensor3D, scaled: LstmWeights, mask: tf.Tensor2D | undefined, trace: boolean) {
  const { kernel, recurrentKernel: recurrent, bias } = scaled;
  const inputs: tf.NamedTensorMap = { x, kernel, recurrent, bias, ...(mask ? { mask } : {}) };
  const [h, c, ...buffers] = tf.engine().runKernel<tf.Tensor[]>(LSTM_SEQUENCE_KERNELS.forward, inputs, { trace });
  const { outputs, trace: traced } = buffersOf(buffers);
  const result: LstmResult = { outputs: outputs as tf.Tensor3D, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
  return { result, trace: traced as Trace | undefined };
}

/** Per-step "is a real step" masks, broadcast to [batch, H] so tf.where can pick between new and carried state. */
function stepMasks(mask: tf.Tensor2D, hidden: number): tf.Tensor2D[] {
  const [batch, time] = mask.shape;
  const real = tf.greater(tf.transpose(mask), 0.5); // [time, batch]
  return tf.unstack(tf.broadcastTo(tf.reshape(real, [time, batch, 1]), [time, batch, hidden])) as tf.Tensor2D[];
}

/** One time step from the equations above; the first step skips h_{-1}·V (h_{-1} = 0). */
function lstmStep(
  xp: tf.Tensor2D,
  hPrev: tf.Tensor2D,
  cPrev: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  first: boolean,
  keep?: tf.Tensor,
) {
  const z = first ? xp : tf.add(xp, tf.matMul(hPrev, recurrent)); // [batch, 4H] (g block pre-scaled by 2)
  const s = tf.sigmoid(z) as tf.Tensor2D; // [batch, 4H]
  const [inputGate, forgetGate, halfCandidate, outputGate] = tf.split(s, 4, 1); // 4 × [batch, H]
  const cellCandidate = tf.sub(tf.add(halfCandidate, halfCandidate), 1); // g = 2σ(2z_g) − 1 = tanh(z_g)
  const cNew = tf.add<tf.Tensor2D>(tf.mul(forgetGate, cPrev), tf.mul(inputGate, cellCandidate)); // [batch, H]
  const tanhC = tf.tanh<tf.Tensor2D>(cNew); // [batch, H]
  const hNew = tf.mul<tf.Tensor2D>(outputGate, tanhC); // [batch, H]
  if (keep === undefined) return { h: hNew, c: cNew, s, tanhC };
  const real = keep as tf.Tensor2D; // [batch, H] bool
  return { h: tf.where<tf.Tensor2D>(real, hNew, hPrev), c: tf.where<tf.Tensor2D>(real, cNew, cPrev), s, tanhC };
}

/** The engine's op-with-gradient entry (what tf.customGrad uses), reached directly for two things customGrad lacks. */
type GradientMap = Record<string, () => tf.Tensor>;
interface KernelFuncEngine {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor[];
    backwardsFunc: (dys: tf.Tensor[], saved: tf.Tensor[]) => GradientMap;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor[];
}

/**
 * The taped path: one op on the tape whose gradient is our backward(). Like tf.customGrad, but through the engine
 * call customGrad itself uses (tfjs-core pinned at 4.22), because that (a) allows several outputs (outputs, h, c),
 * and (b) takes each input's gradient as a thunk that the engine calls only when that input needs it: dX is
 * skipped for a first layer, whose input is data.
 */
function trainingPath(x: tf.Tensor3D, weights: LstmWeights, mask: tf.Tensor2D | undefined): LstmResult {
  const engine = tf.engine() as unknown as KernelFuncEngine;
  const [outputs, h, c] = engine.runKernelFunc({
    inputs: { x, kernel: weights.kernel, recurrentKernel: weights.recurrentKernel, bias: weights.bias },
    forwardFunc: (_backend, save) => {
      const { result, trace: t } = forward(x, weights, mask, true);
      if (t === undefined) throw new Error('lstmFused: forward kept no trace for the backward pass');
      save([t.operands, t.gates, t.tanhC, t.cs, weights.kernel, weights.recurrentKernel, ...(mask ? [mask] : [])]);
      return [result.outputs, result.h, result.c];
    },
    backwardsFunc: (dys, saved) => backward(dys, saved, x.shape),
  });
  return { outputs: outputs as tf.Tensor3D, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
}

/** Per-step factors of the backward recurrence, computed for all steps at once.  time × [batch, ·] each */
function backwardFactors(gates: tf.Tensor3D, tanhC: tf.Tensor3D, cs: tf.Tensor3D, mask: tf.Tensor | undefined) {
  const [time, batch, hidden] = tanhC.shape;
  const [i, f, halfG, o] = tf.split(gates, 4, 2); // 4 × [time, batch, H]
  const g = tf.sub(tf.add(halfG, halfG), 1);
  const cPrev = tf.concat([tf.zeros([1, batch, hidden]), tf.slice(cs, 0, time - 1)]); // [time, batch, H]
  // ∂act/∂z: i(1−i), f(1−f), o(1−o), and for g = 2σ(2z) − 1: 4·s_g(1−s_g) = 1 − g². That is s(1−s)·k².
  const dAct = tf.mul(tf.mul(gates, tf.sub(1, gates)), tf.square(gateScale(hidden))); // [time, batch, 4H]
  let pd = tf.mul(tf.concat([g, cPrev, i, tanhC], 2), dAct); // [time, batch, 4H]
  const q = tf.mul(o, tf.sub(1, tf.square(tanhC))); // [time, batch, H]   ∂h/∂c through h = o·tanh(c)
  if (mask === undefined) return { pd: unstack2(pd), q: unstack2(q), f: unstack2(f) };
  const m = tf.cast(tf.greater(tf.reshape(tf.transpose(mask), [time, batch, 1]), 0.5), 'float32'); // [time, batch, 1], 1 a real step
  pd = tf.mul(pd, m);
  return { pd: unstack2(pd), q: unstack2(q), f: unstack2(tf.mul(f, m)), pass: unstack2(tf.sub(1, m)) };
}

function unstack2(t: tf.Tensor): tf.Tensor2D[] {
  return tf.unstack(t) as tf.Tensor2D[];
}

/**
 * Backprop through time: the lean loop for dz_t, then the weight and bias gradients from one matMul,
 * [dU | dV | db]ᵀ = dZᵀ·[X | H_prev | 1], and dX lazily. (On the op path dZᵀ on the left keeps the big operand off
 * XNNPACK's packed right side, which measured faster than H_prevᵀ·dZ; on wasm the product is one kernel.)
 */
function backward(dys: tf.Tensor[], saved: tf.Tensor[], xShape: number[]): GradientMap {
  const [operands, gates, tanhC, cs, kernel, recurrentKernel, mask] = saved as [
    tf.Tensor2D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor2D | undefined,
  ];
  const [batch, time, input] = xShape;
  const hidden = recurrentKernel.shape[0];
  const [dOutputs, dhLast, dcLast] = dys as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
  const recurrentT = tf.transpose(recurrentKernel); // [4H, H], kept on the right in the loop
  const steps = { gates, tanhC, cs, mask };
  const dZT = sequenceKernelsAvailable()
    ? kernelBackward(dOutputs, dhLast, dcLast, steps, recurrentT)
    : tf.transpose<tf.Tensor2D>(tf.concat(opBackwardLoop(dOutputs, dhLast, dcLast, steps, recurrentT))); // [4H, time*batch]
  // operands [X | H_prev | 1]: the column of ones makes the same matMul sum dZ over all rows, the bias gradient.
  const product = sequenceKernelsAvailable()
    ? tf.engine().runKernel<tf.Tensor2D>(LSTM_SEQUENCE_KERNELS.weightGradient, { dZT, operands }, {})
    : tf.matMul(dZT, operands);
  const dParams = tf.transpose(product); // [input+H+1, 4H]
  const [dKernel, dRecurrent, dBias] = tf.split(dParams, [input, hidden, 1]); // [input, 4H], [H, 4H], [1, 4H]
  const dx = () => {
    // dZ·Uᵀ after transposing dZᵀ back: U·dZᵀ (no transpose) measured no faster, as dZᵀ is then the packed operand
    const dxFlat = tf.matMul(tf.transpose(dZT), tf.transpose(kernel)); // [time*batch, input]
    return tf.transpose(tf.reshape(dxFlat, [time, batch, input]), [1, 0, 2]); // [batch, time, input]
  };
  return {
    x: dx,
    kernel: () => dKernel,
    recurrentKernel: () => dRecurrent,
    bias: () => tf.reshape(dBias, [4 * hidden]),
  };
}

type Factors = ReturnType<typeof backwardFactors>;
interface SavedSteps {
  gates: tf.Tensor3D;
  tanhC: tf.Tensor3D;
  cs: tf.Tensor3D;
  mask?: tf.Tensor2D;
}

/** dz_t for t = time−1 … 0 with tfjs ops (the portable path). */
function opBackwardLoop(
  dOutputs: tf.Tensor3D,
  dhLast: tf.Tensor2D,
  dcLast: tf.Tensor2D,
  saved: SavedSteps,
  recurrentT: tf.Tensor,
): tf.Tensor2D[] {
  const dOut = tf.unstack(tf.transpose(dOutputs, [1, 0, 2])) as tf.Tensor2D[]; // time × [batch, H] (contiguous slices)
  dOut[dOut.length - 1] = tf.add(dOut[dOut.length - 1], dhLast); // h is the last output
  const factors = backwardFactors(saved.gates, saved.tanhC, saved.cs, saved.mask);
  let dh: tf.Tensor2D | undefined;
  let dc = dcLast;
  const dzs = new Array<tf.Tensor2D>(dOut.length);
  for (let t = dOut.length - 1; t >= 0; t--) {
    ({ dz: dzs[t], dh, dc } = tf.tidy(() => backwardStep(t, dOut[t], dh, dc, factors, recurrentT)));
  }
  return dzs;
}

/** dZᵀ [4H, time*batch] from one registered kernel (src/backend/wasm-lstm-sequence.ts), for all steps back. */
function kernelBackward(
  dOutputs: tf.Tensor3D,
  dhLast: tf.Tensor2D,
  dcLast: tf.Tensor2D,
  saved: SavedSteps,
  recurrentT: tf.Tensor,
): tf.Tensor2D {
  const { gates, tanhC, cs, mask } = saved;
  const inputs: tf.NamedTensorMap = {
    dOutputs,
    dhLast,
    dcLast,
    gates,
    tanhC,
    cs,
    recurrentT,
    ...(mask ? { mask } : {}),
  };
  const [dZT] = tf.engine().runKernel<tf.Tensor[]>(LSTM_SEQUENCE_KERNELS.backward, inputs, { time: tanhC.shape[0] });
  return dZT as tf.Tensor2D;
}

/** One step back: dh_t, dc_t → dz_t, dh_{t-1}, dc_{t-1} (see the equations at the top). */
function backwardStep(
  t: number,
  dOut: tf.Tensor2D,
  dhNext: tf.Tensor2D | undefined,
  dcIn: tf.Tensor2D,
  fs: Factors,
  recurrentT: tf.Tensor,
) {
  const dh = dhNext === undefined ? dOut : tf.add(dOut, dhNext); // [batch, H]
  const u = tf.add(dcIn, tf.mul(dh, fs.q[t])); // [batch, H]
  const dz = tf.mul<tf.Tensor2D>(tf.concat([u, u, u, dh], 1), fs.pd[t]); // [batch, 4H]
  let dhPrev = t === 0 ? undefined : tf.matMul<tf.Tensor2D>(dz, recurrentT); // [batch, H]
  let dcPrev = tf.mul<tf.Tensor2D>(u, fs.f[t]); // [batch, H]
  if ('pass' in fs && fs.pass !== undefined) {
    // A padded step hands dh and dc to the previous step unchanged (its own dz is zero through pd).
    if (dhPrev !== undefined) dhPrev = tf.add<tf.Tensor2D>(dhPrev, tf.mul(dh, fs.pass[t]));
    dcPrev = tf.add<tf.Tensor2D>(dcPrev, tf.mul(dcIn, fs.pass[t]));
  }
  return { dz, dh: dhPrev, dc: dcPrev };
}
