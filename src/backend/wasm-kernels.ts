// Our replacements for the wasm backend's slow kernels (Slice/Unpack/SplitV, transposed matMuls, Tanh), installable and removable.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm'; // registers the stock wasm kernels we wrap
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { runStock, type StockKernel, type WasmBackend } from './wasm-backend.js';
import { lstmSequenceKernelConfigs } from './wasm-lstm-sequence.js';

/**
 * Why these exist (profile of tfjs-backend-wasm 4.22, pinned exactly in package.json because we rely on its
 * internals: `dataIdMap`, `makeOutput`, `typedArrayFromHeap`, `disposeData`):
 * - Slice calls `readSync`, which copies the WHOLE input out of the wasm heap on every call; Unpack and SplitV
 *   are built from it, so taking one time step out of [64, 28, 512] copies all of it. We read a view instead.
 * - BatchMatMul/_FusedMatMul with a transposed operand run many times slower than transposing first, and tfjs's
 *   matMul gradient uses exactly those forms. We transpose explicitly (the Transpose kernel) and then multiply.
 * - Tanh is much slower than Sigmoid on wasm; tanh(x) = 2σ(2x) − 1, within float32 rounding.
 * (bench/README.md has the measurements.)
 * - Identity (tf.clone, customGrad's save) copies the whole tensor; sharing the data is enough.
 * - Reverse is ~20× slower than an elementwise op of the same size; copying mirrored runs is not.
 * Besides, whole LSTM sequences as single kernels for lstmFused (wasm-lstm-sequence.ts).
 * Each replacement produces the same values as the cpu backend (test/backend/wasm-kernels.test.ts).
 */

type Args = { inputs: Record<string, TensorInfo>; attrs?: Record<string, unknown>; backend: WasmBackend };
type Stock = StockKernel;

const WASM = 'wasm';

/** Copies `x[begin : begin+size]` into a fresh output, reading x through a heap view (no whole-tensor copy). */
function sliceFromHeap(backend: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype); // may grow the heap: take views only after this
  const n = tf.util.sizeFromShape(size);
  if (n === 0) return out;
  const xVals = backend.typedArrayFromHeap(x);
  const outVals = backend.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  const rank = x.shape.length;
  // The trailing dims that are taken whole merge into one contiguous run of `run` elements starting at dim `d`.
  let d = rank - 1;
  while (d > 0 && size[d] === x.shape[d]) d--;
  const run = rank === 0 ? 1 : size[d] * (d + 1 < rank ? strides[d] : 1);
  const idx = begin.slice(0, d); // odometer over the dims before d
  const base = (d < rank ? begin[d] : 0) * (d + 1 < rank ? strides[d] : 1);
  for (let o = 0; o < n; o += run) {
    let off = base;
    for (let k = 0; k < d; k++) off += idx[k] * strides[k];
    outVals.set(xVals.subarray(off, off + run), o);
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k] < begin[k] + size[k]) break;
      idx[k] = begin[k];
    }
  }
  return out;
}

function slice(stock: Stock): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs.x;
    if (x.dtype === 'string') return stock('Slice')(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs!.begin as number[], attrs!.size as number[]);
    return sliceFromHeap(backend, x, begin, size);
  };
}

/** Consecutive pieces of `x` along `axis`, of the given sizes (each copied through a heap view). */
function piecesAlong(backend: WasmBackend, x: TensorInfo, axis: number, sizes: number[]): TensorInfo[] {
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[axis] = s;
    const piece = sliceFromHeap(backend, x, begin, size);
    begin[axis] += s;
    return piece;
  });
}

function unpack(stock: Stock): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const value = inputs.value;
    if (value.dtype === 'string') return stock('Unpack')(args);
    const axis = tf.util.parseAxisParam(attrs!.axis as number, value.shape)[0];
    const outShape = value.shape.filter((_, i) => i !== axis);
    const ones = new Array<number>(value.shape[axis]).fill(1);
    return piecesAlong(backend, value, axis, ones).map((p) => ({ dataId: p.dataId, dtype: p.dtype, shape: outShape }));
  };
}

function splitV(stock: Stock): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs.x;
    if (x.dtype === 'string') return stock('SplitV')(args);
    const axis = tf.util.parseAxisParam(attrs!.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x, attrs!.numOrSizeSplits as number[] | number, axis);
    return piecesAlong(backend, x, axis, sizes);
  };
}

/** Swaps the last two dims of `t` with the stock Transpose kernel (the caller disposes the result). */
function transposeLastTwo(stock: Stock, backend: WasmBackend, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return runStock(stock, backend, 'Transpose', { x: t }, { perm });
}

/** A matMul kernel that hands the stock kernel only untransposed operands (transposing them explicitly first). */
function untransposedMatMul(name: 'BatchMatMul' | '_FusedMatMul', stock: Stock): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const temps: TensorInfo[] = [];
    const prepared = (t: TensorInfo, transposed: boolean) => {
      if (!transposed) return t;
      const tt = transposeLastTwo(stock, backend, t);
      temps.push(tt);
      return tt;
    };
    const bias = inputs.bias;
    let flatBias: TensorInfo | undefined;
    if (bias != null && bias.shape.length > 1 && bias.shape.slice(0, -1).every((d) => d === 1)) {
      // The stock kernel takes a rank-1 bias only (checked against the heap record's shape): copy to a [n] tensor.
      const n = tf.util.sizeFromShape(bias.shape);
      flatBias = sliceFromHeap(backend, { ...bias, shape: [n] }, [0], [n]);
      temps.push(flatBias);
    }
    const a = prepared(inputs.a, transposeA);
    const b = prepared(inputs.b, transposeB);
    const newInputs = { ...inputs, a, b, ...(flatBias ? { bias: flatBias } : {}) };
    const out = stock(name)({
      inputs: newInputs,
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  };
}

/**
 * tanh(x) = 2σ(2x) − 1 = σ(2x) − σ(−2x), from the fast Sigmoid kernel (the second form needs no constant tensor):
 * Add(x, x) → Neg → Sigmoid, Sigmoid → Sub.
 */
function tanh(stock: Stock): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as Args;
    const x = inputs.x;
    if (x.dtype !== 'float32') return stock('Tanh')(args);
    const run = (name: string, ins: Record<string, TensorInfo>) => runStock(stock, backend, name, ins);
    const twoX = run('Add', { a: x, b: x });
    const minusTwoX = run('Neg', { x: twoX });
    const up = run('Sigmoid', { x: twoX }); // σ(2x)
    const down = run('Sigmoid', { x: minusTwoX }); // σ(−2x) = 1 − σ(2x)
    const out = run('Sub', { a: up, b: down });
    for (const t of [twoX, minusTwoX, up, down]) backend.disposeData(t.dataId);
    return out;
  };
}

/**
 * Identity (what tf.clone runs, and with it every customGrad's save()) shares the input's data, as the cpu backend
 * does, instead of copying the whole tensor: tfjs tensors are immutable, so a second reference is enough.
 */
function identity(stock: Stock): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as Args;
    const x = inputs.x;
    if (x.dtype === 'string') return stock('Identity')(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * Reverse (a bidirectional LSTM reverses its input, its outputs and their gradients along time) copies runs of the
 * trailing dims that are not reversed, each from its mirrored place: the stock kernel was ~20× an Add of the same size.
 */
function reverse(stock: Stock): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs.x;
    if (x.dtype === 'string') return stock('Reverse')(args);
    const rank = x.shape.length;
    const dims = new Set(tf.util.parseAxisParam(attrs!.dims as number | number[], x.shape));
    const out = backend.makeOutput(x.shape, x.dtype); // may grow the heap: take views only after this
    const n = tf.util.sizeFromShape(x.shape);
    if (n === 0) return out;
    const xVals = backend.typedArrayFromHeap(x);
    const outVals = backend.typedArrayFromHeap(out);
    const strides = tf.util.computeStrides(x.shape);
    const last = Math.max(-1, ...dims); // the dims after it are copied whole, as one run
    const run = last < 0 ? n : last + 1 < rank ? strides[last] : 1;
    const idx = new Array<number>(Math.max(0, last + 1)).fill(0); // odometer over dims 0 … last
    for (let o = 0; o < n; o += run) {
      let from = 0;
      for (let k = 0; k <= last; k++)
        from += (dims.has(k) ? x.shape[k] - 1 - idx[k] : idx[k]) * (k + 1 < rank ? strides[k] : 1);
      outVals.set(xVals.subarray(from, from + run), o);
      for (let k = last; k >= 0; k--) {
        if (++idx[k] < x.shape[k]) break;
        idx[k] = 0;
      }
    }
    return out;
  };
}

const FIXES: Record<string, (stock: Stock) => KernelFunc> = {
  Identity: identity,
  Reverse: reverse,
  Slice: slice,
  Unpack: unpack,
  SplitV: splitV,
  BatchMatMul: (stock) => untransposedMatMul('BatchMatMul', stock),
  _FusedMatMul: (stock) => untransposedMatMul('_FusedMatMul', stock),
  Tanh: tanh,
};

/** The stock configs we replaced, kept to restore them; null while the stock kernels are in place. */
let saved: Map<string, KernelConfig> | null = null;
/** Kernels we added that have no stock counterpart. */
let added: string[] = [];

function stockConfig(name: string): KernelConfig {
  const config = tf.getKernel(name, WASM);
  if (config === undefined)
    throw new Error(`the wasm backend has no ${name} kernel: is @tensorflow/tfjs-backend-wasm 4.22.0 installed?`);
  return config;
}

/**
 * Registers our kernels for the 'wasm' backend in place of the stock ones (idempotent). Each keeps the stock
 * kernel's setupFunc, so it also works when installed before the backend initialises.
 */
export function installFixedWasmKernels(): void {
  if (saved !== null) return;
  const stocks = new Map<string, KernelConfig>();
  for (const name of [...Object.keys(FIXES), 'Transpose', 'Sigmoid', 'Add', 'Sub', 'Neg'])
    stocks.set(name, stockConfig(name));
  const stock: Stock = (name) => stocks.get(name)!.kernelFunc;
  saved = new Map();
  for (const [name, fix] of Object.entries(FIXES)) {
    const config = stocks.get(name)!;
    saved.set(name, config);
    tf.unregisterKernel(name, WASM);
    tf.registerKernel({ ...config, kernelFunc: fix(stock) });
  }
  for (const config of lstmSequenceKernelConfigs(stock)) {
    tf.registerKernel(config);
    added.push(config.kernelName);
  }
}

/** Puts the stock wasm kernels back (idempotent): `--stock-kernels`, and for side-by-side comparisons. */
export function restoreStockWasmKernels(): void {
  if (saved === null) return;
  for (const [name, config] of saved) {
    tf.unregisterKernel(name, WASM);
    tf.registerKernel(config);
  }
  for (const name of added) tf.unregisterKernel(name, WASM);
  added = [];
  saved = null;
}

/** For side-by-side measurements: the stock kernel `name` in place of ours until the returned function is called. */
export function withStockKernel(name: string): () => void {
  const stock = saved?.get(name);
  const ours = tf.getKernel(name, WASM);
  if (stock === undefined || ours === undefined) return () => undefined;
  tf.unregisterKernel(name, WASM);
  tf.registerKernel(stock);
  return () => {
    tf.unregisterKernel(name, WASM);
    tf.registerKernel(ours);
  };
}

/** Whether our kernels are the ones registered now. */
export function fixedWasmKernelsInstalled(): boolean {
  return saved !== null;
}
