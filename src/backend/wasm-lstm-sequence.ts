// The fused LSTM's whole sequence, forward or backward, as one wasm kernel: every step's work in one dispatch.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { bufferList, LSTM_SEQUENCE_KERNELS, type SequenceBuffers } from '../models/lstm-sequence-kernels.js';
import { loadSimdCell, type SimdCell } from './lstm-cell-simd.js';
import { rowThreads, runOverRows } from './row-threads.js';
import { heapOffset, viewOf, type StockKernel, type WasmBackend } from './wasm-backend.js';
import { jsBackwardSteps, jsForwardSteps, type SequenceDims } from './wasm-lstm-js.js';

/**
 * Why: a step of lstmFused is about a dozen tfjs ops on [batch, H] tensors each way, and on wasm each op's dispatch
 * costs more than its arithmetic at W1's sizes; one kernel per step still paid a dispatch and XNNPACK's thread
 * hand-over per step, and ran the step's elementwise work on one thread. Here the whole loop over time is one call
 * into our SIMD code (lstm-cell.wat: the product with V by its own matMul tiles, then the cells), run on each
 * thread's share of the batch (row-threads.ts). When the hidden size is not a multiple of 4 (or the cell is not
 * built), wasm-lstm-js.ts runs the steps with the stock kernels and JavaScript loops instead. Same equations as
 * lstm-fused.ts (there, the portable op version); same tests.
 */

type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: Record<string, unknown>; backend: WasmBackend };

const simdCells = new WeakMap<WasmBackend, SimdCell | null>();

/** The backend's heap: the threaded build exports it as wasmMemory, the other as asm.memory. */
function memoryOf(backend: WasmBackend): WebAssembly.Memory | undefined {
  return backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
}

/** The SIMD cell on this backend's heap, for rows of `hidden` floats (a multiple of 4), if it is built. */
function simdCell(backend: WasmBackend, hidden: number): SimdCell | undefined {
  if (hidden % 4 !== 0) return undefined;
  if (!simdCells.has(backend)) {
    const memory = memoryOf(backend);
    simdCells.set(backend, (memory && loadSimdCell(memory)) ?? null);
  }
  return simdCells.get(backend) ?? undefined;
}

/** Whether the sequence kernels run the SIMD cell on the current wasm backend for this hidden size (tests, bench). */
export function simdCellInUse(backend: unknown, hidden: number): boolean {
  return (backend as Partial<WasmBackend>).wasm !== undefined && simdCell(backend as WasmBackend, hidden) !== undefined;
}

/** The threads a SIMD sequence runs on for the current wasm backend (1, or 1 + its row workers). */
export function sequenceThreads(backend: unknown): number {
  const memory = (backend as Partial<WasmBackend>).wasm && memoryOf(backend as WasmBackend);
  return memory ? rowThreads(memory) : 1;
}

/**
 * The whole-sequence buffers a forward pass fills step by step: outputs, and with a trace (given xFlat [T·B, I])
 * gates, tanhC, operands and cs. operands [T·B, I + H + 1] = [X | H_prev | 1], the right side of the
 * weight-gradient matMul, starts as X, h_{-1} = 0 and the ones; each step but the last writes its h into it.
 */
function forwardBuffers(backend: WasmBackend, { time, batch, hidden }: SequenceDims, xFlat?: TensorInfo) {
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

/**
 * Inputs projected [T·B, 4H] (x·U + b for every step, time-major), recurrent V [H, 4H] (g blocks pre-scaled by 2),
 * optional mask [B, T] (1 real step, 0 padding), and with a trace xFlat [T·B, I]. attrs: time, trace. Outputs h, c
 * [B, H] (the last state), then the buffers in bufferList's order: outputs [B, T, H], and with a trace gates,
 * tanhC, operands and cs.
 */
function forwardSequence(stock: StockKernel): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const { projected, recurrent, xFlat } = inputs as Record<string, TensorInfo>;
    const [time, trace] = [attrs.time as number, attrs.trace as boolean];
    const hidden = recurrent.shape[0];
    const dims = { time, batch: projected.shape[0] / time, hidden };
    const buffers = forwardBuffers(backend, dims, trace ? xFlat : undefined);
    const cell = simdCell(backend, hidden);
    const [h, c] = cell
      ? simdForward(cell, backend, inputs, buffers, dims)
      : jsForwardSteps(stock, backend, inputs, buffers, dims);
    return [h, c, ...bufferList(buffers)];
  };
}

/** forwardSequence with the SIMD cell, on every row thread; returns the last h and c. */
function simdForward(
  cell: SimdCell,
  backend: WasmBackend,
  { projected, recurrent, mask }: Args['inputs'],
  buffers: SequenceBuffers<TensorInfo>,
  { time, batch, hidden }: SequenceDims,
): TensorInfo[] {
  const memory = memoryOf(backend)!;
  const make = (floats: number[]) => backend.makeOutput(floats, 'float32');
  const [h, c] = [make([batch, hidden]), make([batch, hidden])];
  const vp = make([cell.packedFloats({ k: hidden, n: 4 * hidden })]);
  const scratchFloats = cell.scratchFloats({ hidden });
  const scratch = make([rowThreads(memory) * scratchFloats]);
  const p = (x?: TensorInfo) => heapOffset(backend, x);
  cell.pack({ src: p(recurrent), k: hidden, n: 4 * hidden, dst: p(vp) });
  const trace = buffers.trace;
  const width = trace ? trace.operands.shape[1] : 0;
  const fixed = {
    ...{ projected: p(projected), vp: p(vp), mask: p(mask), time, batch, hidden },
    ...{ outputs: p(buffers.outputs), hOut: p(h), cOut: p(c) },
    ...{ gates: p(trace?.gates), tanhC: p(trace?.tanhC), cs: p(trace?.cs), width },
    operandsH: trace ? p(trace.operands) + 4 * (width - 1 - hidden) : 0, // row 0's H_prev block
  };
  runOverRows(memory, cell.forwardSequence, 'forwardSequence', batch, (rowStart, rowEnd, part) => ({
    ...fixed,
    ...{ rowStart, rowEnd, scratch: p(scratch) + 4 * part * scratchFloats },
  }));
  for (const x of [vp, scratch]) backend.disposeData(x.dataId);
  return [h, c];
}

/**
 * Inputs dOutputs [B, T, H] (the gradient reaching every output), dhLast and dcLast [B, H] (reaching the last h and
 * c), the forward's gates [T, B, 4H], tanhC and cs [T, B, H], recurrentT Vᵀ [4H, H], mask? [B, T]. attrs: time.
 * Output dZT = dZᵀ [4H, T·B], dz_t of row b in column t·B + b: the weight gradients multiply all of it at once.
 */
function backwardSequence(stock: StockKernel): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const time = attrs.time as number;
    const [batch, hidden] = inputs.dcLast!.shape;
    const dZT = backend.makeOutput([4 * hidden, time * batch], 'float32');
    const cell = simdCell(backend, hidden);
    if (cell) simdBackward(cell, backend, inputs, dZT, { time, batch, hidden });
    else jsBackwardSteps(stock, backend, inputs, dZT, { time, batch, hidden });
    return [dZT];
  };
}

/** backwardSequence with the SIMD cell, on every row thread, into dZT. */
function simdBackward(
  cell: SimdCell,
  backend: WasmBackend,
  inputs: Args['inputs'],
  dZT: TensorInfo,
  { time, batch, hidden }: SequenceDims,
): void {
  const { dOutputs, dhLast, dcLast, gates, tanhC, cs, recurrentT, mask } = inputs;
  const memory = memoryOf(backend)!;
  const make = (floats: number[]) => backend.makeOutput(floats, 'float32');
  const [dh, dc] = [make([batch, hidden]), make([batch, hidden])]; // the gradients reaching h_t and c_t
  const vtp = make([cell.packedFloats({ k: 4 * hidden, n: hidden })]);
  const scratchFloats = cell.scratchFloats({ hidden });
  const scratch = make([rowThreads(memory) * scratchFloats]);
  const p = (x?: TensorInfo) => heapOffset(backend, x);
  cell.pack({ src: p(recurrentT), k: 4 * hidden, n: hidden, dst: p(vtp) });
  const fixed = {
    ...{ dOutputs: p(dOutputs), dhLast: p(dhLast), dcLast: p(dcLast) },
    ...{ gates: p(gates), tanhC: p(tanhC), cs: p(cs), vtp: p(vtp), mask: p(mask), time, batch, hidden },
    ...{ dZT: p(dZT), dh: p(dh), dc: p(dc) },
  };
  runOverRows(memory, cell.backwardSequence, 'backwardSequence', batch, (rowStart, rowEnd, part) => ({
    ...fixed,
    ...{ rowStart, rowEnd, scratch: p(scratch) + 4 * part * scratchFloats },
  }));
  for (const x of [dh, dc, vtp, scratch]) backend.disposeData(x.dataId);
}

export function lstmSequenceKernelConfigs(stock: StockKernel): KernelConfig[] {
  return [
    { kernelName: LSTM_SEQUENCE_KERNELS.forward, backendName: 'wasm', kernelFunc: forwardSequence(stock) },
    { kernelName: LSTM_SEQUENCE_KERNELS.backward, backendName: 'wasm', kernelFunc: backwardSequence(stock) },
  ];
}
