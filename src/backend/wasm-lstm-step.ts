// One whole LSTM time step (forward, and backward) as a single wasm kernel: the fused kernel's per-step ops in one dispatch.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { bufferList, LSTM_STEP_KERNELS, type ForwardTrace, type StepBuffers } from '../models/lstm-step-kernels.js';
import { heapOffset, runStock, type StockKernel, type WasmBackend } from './wasm-backend.js';
import { loadSimdCell, type SimdCell } from './lstm-cell-simd.js';

/**
 * Why: a step of lstmFused is about a dozen tfjs ops on [batch, H] tensors each way. On wasm each op's dispatch
 * costs more than its arithmetic, so at W1's sizes the ops, not the matMuls, dominated the step (bench/README.md).
 * Here a step is one kernel: the stock BatchMatMul kernel (XNNPACK) called directly, and all the elementwise work
 * in one pass of our SIMD cell (lstm-cell.wat) over the wasm heap (with a mask, backward adds the dh handed on at
 * padding with the stock Add kernel). When the hidden size is not a multiple of 4
 * (or the cell is not built), the stock Add and Sigmoid kernels and plain JavaScript loops do that part instead,
 * with tanh(c) = 2σ(2c) − 1 keeping the transcendental work in the Sigmoid kernel. Same equations as
 * lstm-fused.ts (there, the portable op version); same tests.
 */

type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: Record<string, unknown>; backend: WasmBackend };

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

/** One step's place: step t of `time`, `batch` rows of `hidden` units. */
interface StepDims {
  t: number;
  time: number;
  batch: number;
  hidden: number;
}

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

const simdCells = new WeakMap<WasmBackend, SimdCell | null>();

/** The SIMD cell on this backend's heap, for rows of `hidden` floats (a multiple of 4), if it is built. */
function simdCell(backend: WasmBackend, hidden: number): SimdCell | undefined {
  if (hidden % 4 !== 0) return undefined;
  if (!simdCells.has(backend)) {
    const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
    simdCells.set(backend, (memory && loadSimdCell(memory)) ?? null);
  }
  return simdCells.get(backend) ?? undefined;
}

/** Whether the step kernels run the SIMD cell on the current wasm backend for this hidden size (for tests, bench). */
export function simdCellInUse(backend: unknown, hidden: number): boolean {
  return (backend as Partial<WasmBackend>).wasm !== undefined && simdCell(backend as WasmBackend, hidden) !== undefined;
}

function viewOf(backend: WasmBackend) {
  return (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array; // every tensor here is float32
}

/**
 * The whole-sequence buffers a forward pass fills step by step: outputs, and with a trace (given xFlat [T·B, I])
 * gates, tanhC, operands and cs. operands [T·B, I + H + 1] = [X | H_prev | 1], the right side of the
 * weight-gradient matMul, starts as X, h_{-1} = 0 and the ones; each step but the last writes its h into it.
 */
function forwardBuffers(backend: WasmBackend, { time, batch, hidden }: StepDims, xFlat?: TensorInfo) {
  const make = (shape: number[]) => backend.makeOutput(shape, 'float32');
  const outputs = make([batch, time, hidden]);
  if (xFlat === undefined) return { outputs };
  const input = xFlat.shape[1];
  const width = input + hidden + 1;
  const operands = make([time * batch, width]);
  const [x, ops] = [xFlat, operands].map(viewOf(backend));
  for (let r = 0; r < time * batch; r++) {
    ops.set(x.subarray(r * input, (r + 1) * input), r * width);
    ops[r * width + input + hidden] = 1;
    if (r < batch) ops.fill(0, r * width + input, r * width + input + hidden);
  }
  const [gates, tanhC, cs] = [
    [time, batch, 4 * hidden],
    [time, batch, hidden],
    [time, batch, hidden],
  ].map(make);
  return { outputs, trace: { gates, tanhC, operands, cs } };
}

/** The buffers step 0 made, handed back to a later step by name. */
function buffersIn(inputs: Args['inputs'], trace: boolean): StepBuffers<TensorInfo> {
  const { outputs, gates, tanhC, operands, cs } = inputs;
  if (outputs === undefined) throw new Error('a forward step after step 0 without its outputs buffer');
  if (!trace) return { outputs };
  if (!(gates && tanhC && operands && cs)) throw new Error('a traced forward step after step 0 without its trace');
  return { outputs, trace: { gates, tanhC, operands, cs } };
}

/** Where h_t goes in operands [T·B, I + H + 1]: the index of step t + 1's H_prev block, and the row width (floats). */
function hNextAt(operands: TensorInfo, t: number, batch: number, hidden: number): [number, number] {
  const width = operands.shape[1];
  return [(t + 1) * batch * width + width - 1 - hidden, width];
}

/**
 * Inputs projected [T·B, 4H] (x·U + b for every step, time-major), hPrev, cPrev [B, H], recurrent V [H, 4H] (g
 * blocks pre-scaled by 2), optional mask [B, T] (1 real step, 0 padding), at t = 0 with a trace xFlat [T·B, I], and
 * from step 1 on the buffers step 0 made (StepBuffers, by name). attrs: t, time, trace. Outputs h, c [B, H], and at
 * t = 0 (h_{-1} = 0: no matMul) the buffers too. Each step writes its part of the buffers in place: our kernel
 * alone ever holds them before the last step, and gluing per-step tensors together afterwards cost more than the
 * step's elementwise work.
 */
function forwardStep(stock: StockKernel): KernelFunc {
  return (args) => {
    const a = args as unknown as Args;
    const { cPrev } = a.inputs as Record<string, TensorInfo>;
    const [batch, hidden] = cPrev.shape;
    const [t, time, trace] = [a.attrs.t as number, a.attrs.time as number, a.attrs.trace as boolean];
    const dims = { t, time, batch, hidden };
    const fresh = t === 0 ? forwardBuffers(a.backend, dims, trace ? a.inputs.xFlat : undefined) : undefined;
    const buffers = fresh ?? buffersIn(a.inputs, trace);
    const cell = simdCell(a.backend, hidden);
    const [h, c] = cell !== undefined ? simdForward(cell, stock, a, buffers, dims) : jsForward(stock, a, buffers, dims);
    return [h, c, ...(fresh ? bufferList(fresh) : [])];
  };
}

/** forwardStep with the stock Add and Sigmoid kernels and JavaScript loops (any hidden size); returns h and c. */
function jsForward(stock: StockKernel, { inputs, backend }: Args, buffers: StepBuffers<TensorInfo>, dims: StepDims) {
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

/**
 * Inputs dOutputs [B, T, H] (the gradient reaching every output), dhNext [B, H] (reaching h_t from step t+1, or
 * from the final h), dcIn [B, H] (reaching c_t), the forward's gates [T, B, 4H], tanhC and cs [T, B, H], recurrentT
 * Vᵀ [4H, H], mask? [B, T], and from the second call on dZT [4H, T·B]. attrs: t, time. Outputs dhPrev = dz·Vᵀ
 * (+ dh at padding; zero at t = 0, no matMul), dcPrev, and at the first call (t = T − 1) dZT = dZᵀ, whose columns
 * of step t each call writes in place: the weight gradients multiply all of it at once, with nothing to glue
 * together or transpose.
 */
function backwardStep(stock: StockKernel): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const { dOutputs, dhNext, dcIn, gates, tanhC, cs, recurrentT, mask } = inputs as Record<string, TensorInfo>;
    const [t, time] = [attrs.t as number, attrs.time as number];
    const [batch, hidden] = dcIn.shape;
    const fresh = inputs.dZT === undefined ? [backend.makeOutput([4 * hidden, time * batch], 'float32')] : [];
    const dZT = inputs.dZT ?? fresh[0];
    const dcPrev = backend.makeOutput([batch, hidden], 'float32');
    const dz = backend.makeOutput([batch, 4 * hidden], 'float32'); // dz_t, for the matMul
    const cell = simdCell(backend, hidden);
    if (cell !== undefined)
      return [simdBackward(cell, stock, args as unknown as Args, dz, dZT, dcPrev), dcPrev, ...fresh];
    const dhPass = mask === undefined ? undefined : new Float32Array(batch * hidden); // dh handed on at padding
    const view = viewOf(backend);
    const cPrev = t === 0 ? new Float32Array(batch * hidden) : view(cs);
    cellBackward(
      {
        dOutputs: view(dOutputs),
        dhNext: view(dhNext),
        dcIn: view(dcIn),
        gates: view(gates),
        tanhC: view(tanhC),
        cPrev,
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
    return [dhPrev, dcPrev, ...fresh];
  };
}

/** forwardStep with the SIMD cell, into `buffers` (outputs, and the trace when there is one); returns h and c. */
function simdForward(
  cell: SimdCell,
  stock: StockKernel,
  { inputs, backend }: Args,
  buffers: StepBuffers<TensorInfo>,
  { t, time, batch, hidden }: StepDims,
): TensorInfo[] {
  const { projected, hPrev, cPrev, recurrent, mask } = inputs as Record<string, TensorInfo>;
  const [gateSize, stateSize] = [batch * 4 * hidden, batch * hidden];
  const hv = t === 0 ? undefined : call(stock, backend, 'BatchMatMul', { a: hPrev, b: recurrent }); // h_{t-1}·V
  const [h, c] = [0, 1].map(() => backend.makeOutput([batch, hidden], 'float32'));
  const trace = buffers.trace;
  // s and tanh(c) go into step t of the trace, or without one into scratch tensors
  const scratch = trace
    ? []
    : [backend.makeOutput([batch, 4 * hidden], 'float32'), backend.makeOutput([batch, hidden], 'float32')];
  const p = (x?: TensorInfo) => heapOffset(backend, x);
  const [s, tanhC, cs] = trace
    ? [p(trace.gates) + 4 * t * gateSize, p(trace.tanhC) + 4 * t * stateSize, p(trace.cs) + 4 * t * stateSize]
    : [p(scratch[0]), p(scratch[1]), 0];
  const [hNext, width] = trace && t < time - 1 ? hNextAt(trace.operands, t, batch, hidden) : [-1, 0];
  const hNextBytes = trace && hNext >= 0 ? p(trace.operands) + 4 * hNext : 0;
  const xp = p(projected) + 4 * t * gateSize;
  const [hOut, cOut, outputs] = [p(h), p(c), p(buffers.outputs)];
  const state = { hv: p(hv), xp, cPrev: p(cPrev), hPrev: p(hPrev), mask: p(mask) };
  cell.forward({
    ...state,
    t,
    time,
    batch,
    hidden,
    hOut,
    cOut,
    outputs,
    s,
    tanhC,
    hNext: hNextBytes,
    hStride: 4 * width,
    cs,
  });
  for (const x of [hv, ...scratch]) if (x !== undefined) backend.disposeData(x.dataId);
  return [h, c];
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

/** backwardStep with the SIMD cell: dz_t, then its transpose into step t's columns of dZᵀ; returns dhPrev. */
function simdBackward(
  cell: SimdCell,
  stock: StockKernel,
  { inputs, attrs, backend }: Args,
  dz: TensorInfo,
  dZT: TensorInfo,
  dcPrev: TensorInfo,
): TensorInfo {
  const { dOutputs, dhNext, dcIn, gates, tanhC, cs, recurrentT, mask } = inputs as Record<string, TensorInfo>;
  const [t, time] = [attrs.t as number, attrs.time as number];
  const [batch, hidden] = dcIn.shape;
  const [gateSize, stateSize] = [batch * 4 * hidden, batch * hidden];
  const dhPass = mask === undefined ? undefined : backend.makeOutput([batch, hidden], 'float32'); // dh handed on at padding
  const p = (x?: TensorInfo) => heapOffset(backend, x);
  const [gatesAt, tanhCAt] = [p(gates) + 4 * t * gateSize, p(tanhC) + 4 * t * stateSize];
  const cPrev = t === 0 ? 0 : p(cs) + 4 * (t - 1) * stateSize;
  const grads = { dOutputs: p(dOutputs), dhNext: p(dhNext), dcIn: p(dcIn) };
  const outs = { dz: p(dz), dcPrev: p(dcPrev), dhPass: p(dhPass) };
  cell.backward({ ...grads, gates: gatesAt, tanhC: tanhCAt, cPrev, mask: p(mask), t, time, batch, hidden, ...outs });
  // dz_t [B, 4H] into its columns of dZᵀ [4H, T·B]: rows 4·T·B bytes apart, step t's columns from t·B on
  cell.transpose({
    src: p(dz),
    rows: batch,
    cols: 4 * hidden,
    dst: p(dZT) + 4 * t * batch,
    dstStride: 4 * time * batch,
  });
  const dhPrev = dhPrevOf(stock, backend, t, dz, recurrentT);
  if (dhPass === undefined) return dhPrev;
  if (t === 0) {
    backend.disposeData(dhPass.dataId);
    return dhPrev;
  }
  const withPass = call(stock, backend, 'Add', { a: dhPrev, b: dhPass }); // + dh handed on at padding
  backend.disposeData(dhPrev.dataId);
  backend.disposeData(dhPass.dataId);
  return withPass;
}

export function lstmStepKernelConfigs(stock: StockKernel): KernelConfig[] {
  return [
    { kernelName: LSTM_STEP_KERNELS.forward, backendName: 'wasm', kernelFunc: forwardStep(stock) },
    { kernelName: LSTM_STEP_KERNELS.backward, backendName: 'wasm', kernelFunc: backwardStep(stock) },
  ];
}
