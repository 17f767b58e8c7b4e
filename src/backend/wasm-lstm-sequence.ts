// The fused LSTM's whole sequence, forward or backward, and its weight gradients' product, as one wasm kernel each.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { bufferList, LSTM_SEQUENCE_KERNELS, type SequenceBuffers } from '../models/lstm-sequence-kernels.js';
import { loadSimdCell, type CellArgs, type SimdCell } from './lstm-cell-simd.js';
import { rowThreads, runOverRows } from './row-threads.js';
import { heapOffset, runStock, type StockKernel, type WasmBackend } from './wasm-backend.js';
import { jsBackwardSteps, jsForwardSteps, type SequenceDims } from './wasm-lstm-js.js';

/**
 * Why: a step of lstmFused is about a dozen tfjs ops on [batch, H] tensors each way, and on wasm each op's dispatch
 * costs more than its arithmetic at W1's sizes; one kernel per step still paid a dispatch and XNNPACK's thread
 * hand-over per step, and ran the step's elementwise work on one thread. Here the whole loop over time is one call
 * into our SIMD code (lstm-cell.wat: the products with [U; V] forward and Vᵀ backward by its own matMul tiles, then
 * the cells), run on chunks of the batch's rows on every thread (row-threads.ts). When the hidden size is not a
 * multiple of 4 (or the cell is not built), wasm-lstm-js.ts runs the steps with the stock kernels and JavaScript
 * loops instead. Same equations as lstm-fused.ts (there, the portable op version); same tests.
 */

type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: Record<string, unknown>; backend: WasmBackend };

const simdCells = new WeakMap<WasmBackend, SimdCell | null>();

/** The backend's heap: the threaded build exports it as wasmMemory, the other as asm.memory. */
function memoryOf(backend: WasmBackend): WebAssembly.Memory | undefined {
  return backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
}

/** The SIMD cell on this backend's heap, for rows of `hidden` floats (a multiple of 4), if it is built. */
function simdCell(backend: WasmBackend, hidden: number): SimdCell | undefined {
  return hidden % 4 === 0 ? cellOn(backend) : undefined;
}

/** The SIMD cell on this backend's heap, if it is built (its matMul tiles take any shape). */
function cellOn(backend: WasmBackend): SimdCell | undefined {
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
 * The whole-sequence buffers a forward pass fills step by step: outputs, and with a trace gates, tanhC, operands
 * and cs. operands [T·B, I + H + 1] = [X | H_prev | 1] is the right side of the weight-gradient matMul.
 */
function forwardBuffers(backend: WasmBackend, { time, batch, hidden }: SequenceDims, input: number, trace: boolean) {
  const make = (shape: number[]) => backend.makeOutput(shape, 'float32');
  const outputs = make([batch, time, hidden]);
  if (!trace) return { outputs };
  const [gates, tanhC, operands, cs] = [
    [time, batch, 4 * hidden],
    [time, batch, hidden],
    [time * batch, input + hidden + 1],
    [time, batch, hidden],
  ].map(make);
  return { outputs, trace: { gates, tanhC, operands, cs } };
}

/**
 * Inputs x [B, T, I], kernel U [I, 4H], recurrent V [H, 4H], bias b [4H] (all with the g block scaled by 2), and
 * optional mask [B, T] (1 real step, 0 padding). attrs: trace. Outputs h, c [B, H] (the last state), then the
 * buffers in bufferList's order: outputs [B, T, H], and with a trace gates, tanhC, operands and cs.
 */
function forwardSequence(stock: StockKernel): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const { x, recurrent } = inputs as Record<string, TensorInfo>;
    const [batch, time, input] = x.shape;
    if (time === 0) throw new Error('lstmFused: a sequence of no time steps');
    const dims = { time, batch, hidden: recurrent.shape[0] };
    const buffers = forwardBuffers(backend, dims, input, attrs.trace as boolean);
    const cell = simdCell(backend, dims.hidden);
    const [h, c] = disposedOnThrow(backend, bufferList(buffers), () =>
      cell ? simdForward(cell, backend, inputs, buffers, dims) : jsForwardSteps(stock, backend, inputs, buffers, dims),
    );
    return [h, c, ...bufferList(buffers)];
  };
}

/** forwardSequence with the SIMD cell, on every row thread; returns the last h and c. */
function simdForward(
  cell: SimdCell,
  backend: WasmBackend,
  { x, kernel, recurrent, bias, mask }: Args['inputs'],
  buffers: SequenceBuffers<TensorInfo>,
  { time, batch, hidden }: SequenceDims,
): TensorInfo[] {
  const input = x!.shape[2];
  const make = (floats: number[]) => backend.makeOutput(floats, 'float32');
  const [h, c] = [make([batch, hidden]), make([batch, hidden])];
  const wp = make([cell.packedFloats({ k: input + hidden, n: 4 * hidden })]);
  const p = (t?: TensorInfo) => heapOffset(backend, t);
  cell.pack({ dst: p(wp), n: 4 * hidden, w1: p(kernel), k1: input, w2: p(recurrent), k2: hidden });
  const trace = buffers.trace;
  const fixed = {
    ...{ x: p(x), input, wp: p(wp), bias: p(bias), mask: p(mask), time, batch, hidden },
    ...{ outputs: p(buffers.outputs), hOut: p(h), cOut: p(c) },
    ...{ gates: p(trace?.gates), tanhC: p(trace?.tanhC), cs: p(trace?.cs), operands: p(trace?.operands) },
  };
  disposedAfter(backend, [wp], () =>
    disposedOnThrow(backend, [h, c], () => runSequence(cell, backend, 'forwardSequence', fixed)),
  );
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
    disposedOnThrow(backend, [dZT], () =>
      cell
        ? simdBackward(cell, backend, inputs, dZT, { time, batch, hidden })
        : jsBackwardSteps(stock, backend, inputs, dZT, { time, batch, hidden }),
    );
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
  const make = (floats: number[]) => backend.makeOutput(floats, 'float32');
  const [dh, dc] = [make([batch, hidden]), make([batch, hidden])]; // the gradients reaching h_t and c_t
  const vtp = make([cell.packedFloats({ k: 4 * hidden, n: hidden })]);
  const p = (x?: TensorInfo) => heapOffset(backend, x);
  cell.pack({ dst: p(vtp), n: hidden, w1: p(recurrentT), k1: 4 * hidden, w2: 0, k2: 0 });
  const fixed = {
    ...{ dOutputs: p(dOutputs), dhLast: p(dhLast), dcLast: p(dcLast) },
    ...{ gates: p(gates), tanhC: p(tanhC), cs: p(cs), vtp: p(vtp), mask: p(mask), time, batch, hidden },
    ...{ dZT: p(dZT), dh: p(dh), dc: p(dc) },
  };
  disposedAfter(backend, [dh, dc, vtp], () => runSequence(cell, backend, 'backwardSequence', fixed));
}

type SequenceEntry = 'forwardSequence' | 'backwardSequence';
/** A sequence entry's arguments but the row range and the scratch, which runSequence gives each thread. */
type SequenceArgs<E extends SequenceEntry> = Omit<CellArgs<E>, 'rowStart' | 'rowEnd' | 'scratch'> & {
  batch: number;
  hidden: number;
};

/** Runs a sequence entry over the batch's rows on every row thread, each thread with scratch of its own. */
function runSequence<E extends SequenceEntry>(
  cell: SimdCell,
  backend: WasmBackend,
  entry: E,
  fixed: SequenceArgs<E>,
): void {
  const memory = memoryOf(backend)!;
  const floats = cell.scratchFloats({ hidden: fixed.hidden });
  const scratch = backend.makeOutput([rowThreads(memory) * floats], 'float32');
  const at = heapOffset(backend, scratch);
  const run = cell[entry] as (args: CellArgs<E>) => number;
  disposedAfter(backend, [scratch], () =>
    runOverRows(
      memory,
      run,
      entry,
      fixed.batch,
      (rowStart, rowEnd, part) =>
        ({
          ...fixed,
          ...{ rowStart, rowEnd, scratch: at + 4 * part * floats },
        }) as CellArgs<E>,
    ),
  );
}

/**
 * Inputs dZT [4H, R] and operands [R, width] ([X | H_prev | 1], R = T·B). Output dZT·operands [4H, width] (the
 * weight and bias gradients, transposed): our matMul tiles over the row threads, or without the cell the stock
 * BatchMatMul.
 */
function weightGradient(stock: StockKernel): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as Args;
    const { dZT, operands } = inputs as Record<string, TensorInfo>;
    const [[gates, rows], width] = [dZT.shape, operands.shape[1]];
    const cell = cellOn(backend);
    if (cell === undefined) {
      const as3 = (t: TensorInfo) => ({ ...t, shape: [1, ...t.shape] });
      const product = runStock(stock, backend, 'BatchMatMul', { a: as3(dZT), b: as3(operands) });
      return { ...product, shape: [gates, width] };
    }
    const memory = memoryOf(backend)!;
    const out = backend.makeOutput([gates, width], 'float32');
    const packed = backend.makeOutput([cell.packedFloats({ k: rows, n: width })], 'float32');
    const p = (t: TensorInfo) => heapOffset(backend, t);
    cell.pack({ dst: p(packed), n: width, w1: p(operands), k1: rows, w2: 0, k2: 0 });
    const fixed = { dZT: p(dZT), packed: p(packed), rows, width, out: p(out) };
    disposedAfter(backend, [packed], () =>
      disposedOnThrow(backend, [out], () =>
        runOverRows(memory, cell.weightGradient, 'weightGradient', gates, (rowStart, rowEnd) => ({
          ...fixed,
          ...{ rowStart, rowEnd },
        })),
      ),
    );
    return out;
  };
}

/** f(), then the temporaries disposed, whether it returned or threw. */
function disposedAfter<T>(backend: WasmBackend, temporaries: TensorInfo[], f: () => T): T {
  try {
    return f();
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** f(); if it throws, the kernel's outputs made so far are disposed before the error goes on (they reach no one). */
function disposedOnThrow<T>(backend: WasmBackend, outputs: TensorInfo[], f: () => T): T {
  try {
    return f();
  } catch (error) {
    for (const t of outputs) backend.disposeData(t.dataId);
    throw error;
  }
}

export function lstmSequenceKernelConfigs(stock: StockKernel): KernelConfig[] {
  return [
    { kernelName: LSTM_SEQUENCE_KERNELS.forward, backendName: 'wasm', kernelFunc: forwardSequence(stock) },
    { kernelName: LSTM_SEQUENCE_KERNELS.backward, backendName: 'wasm', kernelFunc: backwardSequence(stock) },
    { kernelName: LSTM_SEQUENCE_KERNELS.weightGradient, backendName: 'wasm', kernelFunc: weightGradient(stock) },
  ];
}
