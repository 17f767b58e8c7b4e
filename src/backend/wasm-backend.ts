// The parts of tfjs-backend-wasm's BackendWasm our kernels touch (4.22, pinned), and how they call a stock kernel.
import type * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';

export interface WasmBackend {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[]; dtype: string } };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  /** a view of the tensor's data in the wasm heap (valid until the next allocation may move the heap) */
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
  /** the emscripten module: the threaded build exports its memory as wasmMemory, the other as asm.memory */
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** Byte offset of a tensor's data in the wasm heap; 0 (never a tensor's offset) for none. */
export function heapOffset(backend: WasmBackend, t: TensorInfo | undefined): number {
  return t === undefined ? 0 : backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** The stock kernel of a name, as registered before our replacements. */
export type StockKernel = (name: string) => KernelFunc;

/** Runs a stock kernel on tensor infos of this backend; the caller disposes the result. */
export function runStock(
  stock: StockKernel,
  backend: WasmBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
): TensorInfo {
  return stock(name)({ inputs, backend, attrs } as never) as TensorInfo;
}

/** A function that views a float32 tensor's data in the heap (each view valid until the next allocation). */
export function viewOf(backend: WasmBackend): (t: TensorInfo) => Float32Array {
  return (t) => backend.typedArrayFromHeap(t) as Float32Array;
}
