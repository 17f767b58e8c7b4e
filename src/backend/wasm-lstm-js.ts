// The fused LSTM's steps as JavaScript loops around the stock kernels: the sequence kernels' path for hidden sizes
// that are not a multiple of 4 (the SIMD cell's rows are whole lane groups), or when the cell is not built.
import type { TensorInfo } from '@tensorflow/tfjs';
import type { ForwardTrace, SequenceBuffers } from '../models/lstm-sequence-kernels.js';
import { runStock, viewOf, type StockKernel, type WasmBackend } from './wasm-backend.js';

/**
 * Same equations as lstm-fused.ts and lstm-cell.wat, one step at a time: the stock BatchMatMul (XNNPACK), Add and
 * Sigmoid kernels called directly, with tanh(c) = 2σ(2c) − 1 keeping the transcendental work in the Sigmoid kernel,
 * and the rest in plain loops over heap views.
 */

type Inputs = Record<string, TensorInfo | undefined>;
/** A sequence's sizes. */
export interface SequenceDims {
  time: number;
  batch: number;
  hidden: number;
}

function call(stock: StockKernel, backend: WasmBackend, name: string, inputs: Record<string, TensorInfo>): TensorInfo {
  return runStock(stock, backend, name, inputs, { transposeA: false, transposeB: false });
}

// The elementwise loops, as small top-level functions of typed arrays so V8 optimises them well.
// Layout: s [B, 4H] row-major with gate blocks i, f, g, o; state arrays [B, H]; `*At` arguments are offsets into
// whole-sequence buffers.

/** c = f⊙c_{t-1} + i⊙g with g = 2σ(2z_g) − 1; also 2c, the argument of tanh(c) = 2σ(2c) − 1. */
function cellUpdate(
  s: Float32Array,
  cPrev: Float32Array,
  c: Float32Array,
  twoC: Float32Array,
  batch: number,
  hidden: number,
): void {
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * hidden;
    for (let j = 0, k = b * hidden; j < hidden; j++, k++) {
      const cNew = s[row + hidden + j] * cPrev[k] + s[row + j] * (2 * s[row + 2 * hidden + j] - 1);
      c[k] = cNew;
      twoC[k] = 2 * cNew;
    }
  }
}

/** One step's place: step t of the sequence. */
type StepDims = SequenceDims & { t: number };

interface OutputArrays {
  s: Float32Array; // σ(z) [B, 4H]
  tanhC: Float32Array; // σ(2c) on entry, tanh(c) on return [B, H]
  h: Float32Array; // out [B, H]
  c: Float32Array; // the new c [B, H]; the carried one at padding on return
  hPrev: Float32Array;
  cPrev: Float32Array;
  mask?: Float32Array; // [B, T]
}

/** tanh(c) = 2σ(2c) − 1 (written over σ(2c)) and h = o⊙tanh(c); at padded steps (mask [B, T] 0) h and c carry over. */
function cellOutput(a: OutputArrays, { t, time, batch, hidden }: StepDims): void {
  const { s, tanhC, h, c, hPrev, cPrev, mask } = a;
  for (let b = 0; b < batch; b++) {
    const o = b * 4 * hidden + 3 * hidden;
    const real = mask === undefined || mask[b * time + t] > 0.5;
    for (let j = 0, k = b * hidden; j < hidden; j++, k++) {
      const tc = 2 * tanhC[k] - 1;
      tanhC[k] = tc;
      h[k] = real ? s[o + j] * tc : hPrev[k];
      if (!real) c[k] = cPrev[k];
    }
  }
}

/** Copies h [B, H] into step t of outputs [B, T, H]. */
function writeOutputs(h: Float32Array, outputs: Float32Array, { t, time, batch, hidden }: StepDims): void {
  for (let b = 0; b < batch; b++) outputs.set(h.subarray(b * hidden, (b + 1) * hidden), (b * time + t) * hidden);
}

interface BackwardArrays {
  dOutputs: Float32Array; // [B, T, H]
  dhNext: Float32Array; // [B, H]
  dcIn: Float32Array; // [B, H]
  gates: Float32Array; // [T, B, 4H], step t at gatesAt
  tanhC: Float32Array; // [T, B, H], step t at stateAt
  cPrev: Float32Array; // c_{t-1} [B, H] at cPrevAt
  cPrevAt: number;
  keep?: Float32Array; // [B, T]
  dz: Float32Array; // out [B, 4H]
  dZT: Float32Array; // out [4H, T·B], step t's columns written
  dcPrev: Float32Array; // out [B, H]
  dhPass?: Float32Array; // out [B, H], zeros on entry; only with keep
}

/** dz_t (w.r.t. the unscaled pre-activations) into dz and its columns of dZᵀ, and dc_{t-1}; see lstm-fused.ts. */
function cellBackward(a: BackwardArrays, t: number, time: number, batch: number, hidden: number): void {
  const { dOutputs, dhNext, dcIn, gates, tanhC, cPrev, cPrevAt, keep, dz, dZT, dcPrev, dhPass } = a;
  const stateAt = t * batch * hidden;
  const columns = time * batch; // of dZᵀ
  for (let b = 0; b < batch; b++) {
    const row = (t * batch + b) * 4 * hidden; // in gates
    const out = (b * time + t) * hidden; // dOutputs[b, t]
    const real = keep === undefined || keep[b * time + t] > 0.5;
    for (let j = 0, k = b * hidden; j < hidden; j++, k++) {
      const g = row + j;
      const dh = dOutputs[out + j] + dhNext[k];
      // A padded step hands dh and dc to the previous step unchanged and contributes no dz.
      if (!real) dhPass![k] = dh;
      const i = gates[g];
      const f = gates[g + hidden];
      const sg = gates[g + 2 * hidden];
      const o = gates[g + 3 * hidden];
      const tc = tanhC[stateAt + k];
      const u = real ? dcIn[k] + dh * o * (1 - tc * tc) : 0; // everything reaching c_t
      const dzI = u * (2 * sg - 1) * i * (1 - i); // dz_i = u⊙g⊙σ'
      const dzF = u * cPrev[cPrevAt + k] * f * (1 - f); // dz_f = u⊙c_{t-1}⊙σ'
      const dzG = u * i * 4 * sg * (1 - sg); // dz_g = u⊙i⊙(1 − g²)
      const dzO = real ? dh * tc * o * (1 - o) : 0; // dz_o = dh⊙tanh(c)⊙σ'
      const d = b * 4 * hidden + j; // (b, j) in dz
      dz[d] = dzI;
      dz[d + hidden] = dzF;
      dz[d + 2 * hidden] = dzG;
      dz[d + 3 * hidden] = dzO;
      const e = j * columns + t * batch + b; // (j, t·B + b) in dZᵀ
      dZT[e] = dzI;
      dZT[e + hidden * columns] = dzF;
      dZT[e + 2 * hidden * columns] = dzG;
      dZT[e + 3 * hidden * columns] = dzO;
      dcPrev[k] = real ? u * f : dcIn[k];
    }
  }
}

/** Where h_t goes in operands [T·B, I + H + 1]: the index of step t + 1's H_prev block, and the row width (floats). */
function hNextAt(operands: TensorInfo, t: number, batch: number, hidden: number): [number, number] {
  const width = operands.shape[1];
  return [(t + 1) * batch * width + width - 1 - hidden, width];
}

/** Every step forward into `buffers` (outputs, and the trace when there is one); returns the last h and c. */
export function jsForwardSteps(
  stock: StockKernel,
  backend: WasmBackend,
  inputs: Inputs,
  buffers: SequenceBuffers<TensorInfo>,
  dims: SequenceDims,
): TensorInfo[] {
  const { xFlat, projected } = projectInputs(stock, backend, inputs);
  if (buffers.trace) fillOperands(backend, buffers.trace.operands, xFlat, dims);
  const zeros = () => {
    const z = backend.makeOutput([dims.batch, dims.hidden], 'float32');
    viewOf(backend)(z).fill(0);
    return z;
  };
  let [h, c] = [zeros(), zeros()];
  for (let t = 0; t < dims.time; t++) {
    const next = jsForward(stock, { ...inputs, projected, hPrev: h, cPrev: c }, backend, buffers, { ...dims, t });
    backend.disposeData(h.dataId);
    backend.disposeData(c.dataId);
    [h, c] = next;
  }
  for (const t of [xFlat, projected]) backend.disposeData(t.dataId);
  return [h, c];
}

/** X time-major [T·B, I] and x_t·U + b for every step [T·B, 4H], from the stock Transpose and _FusedMatMul. */
function projectInputs(stock: StockKernel, backend: WasmBackend, inputs: Inputs) {
  const { x, kernel, bias } = inputs as Record<string, TensorInfo>;
  const [batch, time, input] = x.shape;
  const as = (t: TensorInfo, shape: number[]) => ({ ...t, shape }); // the same data, another shape
  const xFlat = runStock(stock, backend, 'Transpose', { x }, { perm: [1, 0, 2] }); // [T, B, I]
  const matMul = { a: as(xFlat, [1, time * batch, input]), b: as(kernel, [1, ...kernel.shape]), bias };
  const attrs = { transposeA: false, transposeB: false, activation: 'linear' };
  const projected = runStock(stock, backend, '_FusedMatMul', matMul, attrs); // [1, T·B, 4H]
  return { xFlat: as(xFlat, [time * batch, input]), projected: as(projected, [time * batch, kernel.shape[1]]) };
}

/** operands [T·B, I + H + 1] = [X | H_prev | 1]: X, h_{-1} = 0 and the ones; each step but the last adds its h. */
function fillOperands(backend: WasmBackend, operands: TensorInfo, xFlat: TensorInfo, { time, batch }: SequenceDims) {
  const [input, width] = [xFlat.shape[1], operands.shape[1]];
  const [x, ops] = [xFlat, operands].map(viewOf(backend));
  for (let r = 0; r < time * batch; r++) {
    ops.set(x.subarray(r * input, (r + 1) * input), r * width);
    ops[r * width + width - 1] = 1;
    if (r < batch) ops.fill(0, r * width + input, r * width + width - 1);
  }
}

/** Step t forward, into its part of `buffers`; returns the new h and c. */
function jsForward(
  stock: StockKernel,
  inputs: Inputs,
  backend: WasmBackend,
  buffers: SequenceBuffers<TensorInfo>,
  dims: StepDims,
): TensorInfo[] {
  const { projected, hPrev, cPrev, recurrent, mask } = inputs as Record<string, TensorInfo>;
  const { t, batch, hidden } = dims;
  const gateSize = batch * 4 * hidden;
  const view = viewOf(backend);
  const xp = backend.makeOutput([batch, 4 * hidden], 'float32'); // x_t·U + b: a copy of the step's rows
  view(xp).set(view(projected).subarray(t * gateSize, (t + 1) * gateSize));
  let z = xp;
  if (t > 0) {
    const hv = call(stock, backend, 'BatchMatMul', { a: hPrev, b: recurrent }); // h_{t-1}·V
    z = call(stock, backend, 'Add', { a: xp, b: hv }); // the Add kernel (SIMD) beats a JS loop
    backend.disposeData(hv.dataId);
    backend.disposeData(xp.dataId);
  }
  const s = call(stock, backend, 'Sigmoid', { x: z }); // σ(z)  [B, 4H]
  backend.disposeData(z.dataId);
  const [h, c, twoC] = [0, 1, 2].map(() => backend.makeOutput([batch, hidden], 'float32'));
  cellUpdate(view(s), view(cPrev), view(c), view(twoC), batch, hidden);
  const tanhC = call(stock, backend, 'Sigmoid', { x: twoC }); // σ(2c), turned into tanh(c) by cellOutput
  backend.disposeData(twoC.dataId);
  // The heap may have moved with each allocation: views are taken anew after the last one.
  const [sV, tanhV, hV, cV] = [s, tanhC, h, c].map(view);
  const maskV = mask === undefined ? undefined : view(mask);
  cellOutput({ s: sV, tanhC: tanhV, h: hV, c: cV, hPrev: view(hPrev), cPrev: view(cPrev), mask: maskV }, dims);
  writeOutputs(hV, view(buffers.outputs), dims);
  if (buffers.trace) writeTrace(backend, buffers.trace, { s: sV, tanhC: tanhV, h: hV, c: cV }, dims);
  backend.disposeData(s.dataId);
  backend.disposeData(tanhC.dataId);
  return [h, c];
}

/** Step t's part of the trace: s, tanh(c) and c, and h into step t + 1's H_prev block of the operands. */
function writeTrace(
  backend: WasmBackend,
  trace: ForwardTrace<TensorInfo>,
  step: { s: Float32Array; tanhC: Float32Array; h: Float32Array; c: Float32Array },
  { t, time, batch, hidden }: StepDims,
): void {
  const view = viewOf(backend);
  const stateAt = t * batch * hidden;
  view(trace.gates).set(step.s, t * batch * 4 * hidden);
  view(trace.tanhC).set(step.tanhC, stateAt);
  view(trace.cs).set(step.c, stateAt);
  if (t === time - 1) return;
  const [operands, [at, width]] = [view(trace.operands), hNextAt(trace.operands, t, batch, hidden)];
  for (let b = 0; b < batch; b++) operands.set(step.h.subarray(b * hidden, (b + 1) * hidden), at + b * width);
}

/** Every step back, t = T − 1 … 0, each writing dz_t into its columns of dZT. */
export function jsBackwardSteps(
  stock: StockKernel,
  backend: WasmBackend,
  inputs: Inputs,
  dZT: TensorInfo,
  { time, batch, hidden }: SequenceDims,
): void {
  const { dOutputs, dhLast, dcLast, gates, tanhC, cs, recurrentT, mask } = inputs as Record<string, TensorInfo>;
  let [dh, dc] = [dhLast, dcLast]; // the gradients reaching h_t and c_t; the kernel's inputs until replaced
  const owned = (x: TensorInfo) => x !== dhLast && x !== dcLast;
  for (let t = time - 1; t >= 0; t--) {
    const dcPrev = backend.makeOutput([batch, hidden], 'float32');
    const dz = backend.makeOutput([batch, 4 * hidden], 'float32'); // dz_t, for the matMul
    const dhPass = mask === undefined ? undefined : new Float32Array(batch * hidden); // dh handed on at padding
    const view = viewOf(backend);
    cellBackward(
      {
        dOutputs: view(dOutputs),
        dhNext: view(dh),
        dcIn: view(dc),
        gates: view(gates),
        tanhC: view(tanhC),
        cPrev: t === 0 ? new Float32Array(batch * hidden) : view(cs),
        cPrevAt: t === 0 ? 0 : (t - 1) * batch * hidden,
        keep: mask === undefined ? undefined : view(mask),
        dz: view(dz),
        dZT: view(dZT),
        dcPrev: view(dcPrev),
        dhPass,
      },
      t,
      time,
      batch,
      hidden,
    );
    const dhPrev = dhPrevOf(stock, backend, t, dz, recurrentT);
    if (dhPass !== undefined) {
      const dv = view(dhPrev);
      for (let k = 0; k < dv.length; k++) dv[k] += dhPass[k];
    }
    for (const x of [dh, dc]) if (owned(x)) backend.disposeData(x.dataId);
    [dh, dc] = [dhPrev, dcPrev];
  }
  for (const x of [dh, dc]) if (owned(x)) backend.disposeData(x.dataId);
}

/** dh_{t-1} = dz_t·Vᵀ [B, H] (zero at t = 0: h_{-1} is a constant, its gradient unused); disposes dz. */
function dhPrevOf(
  stock: StockKernel,
  backend: WasmBackend,
  t: number,
  dz: TensorInfo,
  recurrentT: TensorInfo,
): TensorInfo {
  let dhPrev: TensorInfo;
  if (t === 0) {
    dhPrev = backend.makeOutput([dz.shape[0], recurrentT.shape[1]], 'float32');
    viewOf(backend)(dhPrev).fill(0);
  } else dhPrev = call(stock, backend, 'BatchMatMul', { a: dz, b: recurrentT });
  backend.disposeData(dz.dataId);
  return dhPrev;
}
