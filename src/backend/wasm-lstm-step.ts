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
    const view = (t: TensorInfo) => backend.typedArrayFromHeap({ ...t, shape: [tf.util.sizeFromShape(t.shape)] });
    const h4 = 4 * hidden;
    {
      const [sv, cp, cv, tv] = [s, cPrev, c, twoC].map(view);
      for (let b = 0; b < batch; b++)
        for (let j = 0; j < hidden; j++) {
          const k = b * hidden + j;
          const g = b * h4 + j;
          const cNew = sv[g + hidden] * cp[k] + sv[g] * (2 * sv[g + 2 * hidden] - 1); // f⊙c + i⊙g, g = 2σ(2z_g) − 1
          cv[k] = cNew;
          tv[k] = 2 * cNew;
        }
    }
    const sig2c = call(stock, backend, 'Sigmoid', { x: twoC }); // σ(2c)
    backend.disposeData(twoC.dataId);
    const [sv, cp, cv, qv, tcv, hv, hp] = [s, cPrev, c, sig2c, tanhC, h, hPrev].map(view); // the heap may have moved
    const kv = keep === undefined ? undefined : view(keep);
    for (let b = 0; b < batch; b++) {
      const real = kv === undefined || kv[b] > 0.5;
      for (let j = 0; j < hidden; j++) {
        const k = b * hidden + j;
        const tc = 2 * qv[k] - 1; // tanh(c)
        tcv[k] = tc;
        if (real) hv[k] = sv[b * h4 + 3 * hidden + j] * tc; // o⊙tanh(c)
        else {
          hv[k] = hp[k]; // padding: h and c carried over
          cv[k] = cp[k];
        }
      }
    }
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
    const n = batch * hidden;
    const dz = backend.makeOutput([batch, 4 * hidden], 'float32');
    const dcPrev = backend.makeOutput([batch, hidden], 'float32');
    const dhPass = backend.makeOutput([batch, keep === undefined ? 0 : hidden], 'float32'); // dh handed on at padding
    const view = (t: TensorInfo) => backend.typedArrayFromHeap({ ...t, shape: [tf.util.sizeFromShape(t.shape)] });
    const [zv, dcp, pass, dov, dci, sv, tcv, cpv] = [dz, dcPrev, dhPass, dOut!, dcIn!, s!, tanhC!, cPrev!].map(view);
    const dhn = dhNext === undefined ? undefined : view(dhNext);
    const kv = keep === undefined ? undefined : view(keep);
    const h4 = 4 * hidden;
    for (let b = 0; b < batch; b++) {
      const m = kv === undefined || kv[b] > 0.5 ? 1 : 0;
      for (let j = 0; j < hidden; j++) {
        const k = b * hidden + j;
        const g = b * h4 + j;
        const dh = dhn === undefined ? dov[k] : dov[k] + dhn[k];
        const i = sv[g];
        const f = sv[g + hidden];
        const sg = sv[g + 2 * hidden];
        const o = sv[g + 3 * hidden];
        const tc = tcv[k];
        const u = dci[k] + dh * o * (1 - tc * tc); // everything reaching c_t
        zv[g] = m * u * (2 * sg - 1) * i * (1 - i); // dz_i = u⊙g⊙σ'
        zv[g + hidden] = m * u * cpv[k] * f * (1 - f); // dz_f = u⊙c_{t-1}⊙σ'
        zv[g + 2 * hidden] = m * u * i * 4 * sg * (1 - sg); // dz_g = u⊙i⊙(1 − g²)
        zv[g + 3 * hidden] = m * dh * tc * o * (1 - o); // dz_o = dh⊙tanh(c)⊙σ'
        dcp[k] = m ? u * f : dci[k];
        if (kv !== undefined) pass[k] = m ? 0 : dh;
      }
    }
    const dhPrev = call(stock, backend, 'BatchMatMul', { a: dz, b: recurrentT! }); // dz·Vᵀ  [B, H]
    if (keep !== undefined) {
      const [dv, pv] = [dhPrev, dhPass].map((t) => backend.typedArrayFromHeap({ ...t, shape: [n] }));
      for (let k = 0; k < n; k++) dv[k] += pv[k];
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
