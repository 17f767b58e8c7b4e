// One whole LSTM time step (forward, and backward) as a single wasm kernel: the fused kernel's per-step ops in one dispatch.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { LSTM_STEP_KERNELS } from '../models/lstm-fused.js';

/**
 * Why: a step of lstmFused is ~11 tfjs ops forward and ~8 backward on [batch, H] tensors. On wasm each op costs
 * ~15–20 µs of dispatch, more than its arithmetic, so at W1's sizes the ops, not the matMuls, dominated the step.
 * Here a step is one kernel: the stock BatchMatMul and Sigmoid kernels (XNNPACK) called directly, and the cheap
 * elementwise arithmetic in plain loops over the wasm heap. tanh(c) = 2σ(2c) − 1 keeps the transcendental work
 * in the Sigmoid kernel. Same equations as lstm-fused.ts (there, the portable op version); same tests.
 */

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}
type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: Record<string, unknown>; backend: WasmBackend };
export type StockKernel = (name: string) => KernelFunc;

function call(stock: StockKernel, backend: WasmBackend, name: string, inputs: Record<string, TensorInfo>): TensorInfo {
  return stock(name)({ inputs, backend, attrs: { transposeA: false, transposeB: false } } as never) as TensorInfo;
}

// The elementwise loops, as small top-level functions of typed arrays so V8 optimises them well.
// Layout: s [B, 4H] row-major with gate blocks i, f, g, o; state arrays [B, H].

/** c = f⊙c_{t-1} + i⊙g with g = 2σ(2z_g) − 1; also 2c, the argument of tanh(c) = 2σ(2c) − 1. */
function cellUpdate(s: Float32Array, cPrev: Float32Array, c: Float32Array, twoC: Float32Array, batch: number, hidden: number): void {
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * hidden;
    for (let j = 0, k = b * hidden; j < hidden; j++, k++) {
      const cNew = s[row + hidden + j] * cPrev[k] + s[row + j] * (2 * s[row + 2 * hidden + j] - 1);
      c[k] = cNew;
      twoC[k] = 2 * cNew;
    }
  }
}

/** tanh(c) = 2σ(2c) − 1 and h = o⊙tanh(c); at padded rows (keep 0) h and c carry over. */
function cellOutput(s: Float32Array, sig2c: Float32Array, tanhC: Float32Array, h: Float32Array, c: Float32Array, hPrev: Float32Array, cPrev: Float32Array, keep: Float32Array | undefined, batch: number, hidden: number): void {
  for (let b = 0; b < batch; b++) {
    const o = b * 4 * hidden + 3 * hidden;
    const real = keep === undefined || keep[b] > 0.5;
    for (let j = 0, k = b * hidden; j < hidden; j++, k++) {
      const tc = 2 * sig2c[k] - 1;
      tanhC[k] = tc;
      h[k] = real ? s[o + j] * tc : hPrev[k];
      if (!real) c[k] = cPrev[k];
    }
  }
}

interface BackwardArrays {
  dOut: Float32Array;
  dhNext?: Float32Array;
  dcIn: Float32Array;
  s: Float32Array;
  tanhC: Float32Array;
  cPrev: Float32Array;
  keep?: Float32Array;
  dz: Float32Array; // out
  dcPrev: Float32Array; // out
  dhPass: Float32Array; // out, used only with keep
}

/** dz_t (w.r.t. the unscaled pre-activations) and dc_{t-1}, from the equations in lstm-fused.ts. */
function cellBackward(a: BackwardArrays, batch: number, hidden: number): void {
  const { dOut, dhNext, dcIn, s, tanhC, cPrev, keep, dz, dcPrev, dhPass } = a;
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * hidden;
    const m = keep === undefined || keep[b] > 0.5 ? 1 : 0;
    for (let j = 0, k = b * hidden; j < hidden; j++, k++) {
      const g = row + j;
      const dh = dhNext === undefined ? dOut[k] : dOut[k] + dhNext[k];
      const i = s[g];
      const f = s[g + hidden];
      const sg = s[g + 2 * hidden];
      const o = s[g + 3 * hidden];
      const tc = tanhC[k];
      const u = dcIn[k] + dh * o * (1 - tc * tc); // everything reaching c_t
      dz[g] = m * u * (2 * sg - 1) * i * (1 - i); // dz_i = u⊙g⊙σ'
      dz[g + hidden] = m * u * cPrev[k] * f * (1 - f); // dz_f = u⊙c_{t-1}⊙σ'
      dz[g + 2 * hidden] = m * u * i * 4 * sg * (1 - sg); // dz_g = u⊙i⊙(1 − g²)
      dz[g + 3 * hidden] = m * dh * tc * o * (1 - o); // dz_o = dh⊙tanh(c)⊙σ'
      dcPrev[k] = m ? u * f : dcIn[k];
      if (keep !== undefined) dhPass[k] = m ? 0 : dh;
    }
  }
}

function viewOf(backend: WasmBackend) {
  return (t: TensorInfo) => backend.typedArrayFromHeap({ ...t, shape: [tf.util.sizeFromShape(t.shape)] });
}

/**
 * Inputs xp [B, 4H] (x_t·U + b), hPrev, cPrev [B, H], recurrent V [H, 4H] (g blocks pre-scaled by 2), optional
 * keep [B] (1 real step, 0 padding). attrs.first: h_{-1} = 0, skip the matMul. Outputs h, c, s = σ(z) [B, 4H], tanh c.
 */
function forwardStep(stock: StockKernel): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const { xp, hPrev, cPrev, recurrent, keep } = inputs as Record<string, TensorInfo>;
    const [batch, hidden] = cPrev.shape;
    let z = xp;
    if (!attrs.first) {
      const hv = call(stock, backend, 'BatchMatMul', { a: hPrev, b: recurrent }); // h_{t-1}·V
      z = call(stock, backend, 'Add', { a: xp, b: hv }); // x_t·U + b + h_{t-1}·V
      backend.disposeData(hv.dataId);
    }
    const s = call(stock, backend, 'Sigmoid', { x: z }); // σ(z)  [B, 4H]
    if (z !== xp) backend.disposeData(z.dataId);
    const [h, c, tanhC, twoC] = [0, 1, 2, 3].map(() => backend.makeOutput([batch, hidden], 'float32'));
    const view = viewOf(backend);
    cellUpdate(view(s), view(cPrev), view(c), view(twoC), batch, hidden);
    const sig2c = call(stock, backend, 'Sigmoid', { x: twoC }); // σ(2c); the heap may move: views are taken anew
    backend.disposeData(twoC.dataId);
    const keepRow = keep === undefined ? undefined : view(keep);
    cellOutput(view(s), view(sig2c), view(tanhC), view(h), view(c), view(hPrev), view(cPrev), keepRow, batch, hidden);
    backend.disposeData(sig2c.dataId);
    return [h, c, s, tanhC];
  };
}

/**
 * Inputs dOut, dhNext?, dcIn [B, H] (gradient reaching h_t from the output and from step t+1, and reaching c_t),
 * s [B, 4H], tanhC, cPrev [B, H], recurrentT Vᵀ [4H, H], keep? [B]. Outputs dz [B, 4H] (w.r.t. the unscaled
 * pre-activations), dhPrev = dz·Vᵀ (+ dh at padding), dcPrev.
 */
function backwardStep(stock: StockKernel): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as Args;
    const { dOut, dhNext, dcIn, s, tanhC, cPrev, recurrentT, keep } = inputs;
    const [batch, hidden] = dcIn!.shape;
    const dz = backend.makeOutput([batch, 4 * hidden], 'float32');
    const dcPrev = backend.makeOutput([batch, hidden], 'float32');
    const dhPass = backend.makeOutput([batch, keep === undefined ? 0 : hidden], 'float32'); // dh handed on at padding
    const view = viewOf(backend);
    const maybe = (t: TensorInfo | undefined) => (t === undefined ? undefined : view(t));
    cellBackward({
      dOut: view(dOut!), dhNext: maybe(dhNext), dcIn: view(dcIn!), s: view(s!), tanhC: view(tanhC!), cPrev: view(cPrev!),
      keep: maybe(keep), dz: view(dz), dcPrev: view(dcPrev), dhPass: view(dhPass),
    }, batch, hidden);
    const dhPrev = call(stock, backend, 'BatchMatMul', { a: dz, b: recurrentT! }); // dz·Vᵀ  [B, H]
    if (keep !== undefined) {
      const [dv, pv] = [dhPrev, dhPass].map(view);
      for (let k = 0; k < dv.length; k++) dv[k] += pv[k];
    }
    backend.disposeData(dhPass.dataId);
    return [dz, dhPrev, dcPrev];
  };
}

export function lstmStepKernelConfigs(stock: StockKernel): KernelConfig[] {
  return [
    { kernelName: LSTM_STEP_KERNELS.forward, backendName: 'wasm', kernelFunc: forwardStep(stock) },
    { kernelName: LSTM_STEP_KERNELS.backward, backendName: 'wasm', kernelFunc: backwardStep(stock) },
  ];
}
