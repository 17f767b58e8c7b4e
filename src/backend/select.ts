// Chooses the tfjs backend: tensorflow (tfjs-node, optional) when it loads, else wasm, else cpu.
import * as tf from '@tensorflow/tfjs';
import type { Backend, WasmThreads } from '../config/schema.js';
import type { ThreadsFor } from './wasm-threads.js';
import { UsageError } from '../errors.js';

export interface BackendChoice {
  /** the backend in use: 'tensorflow' | 'wasm' | 'cpu' */
  name: string;
  /** why auto did not get the native backend, in our words (said once by the CLI) */
  note?: string;
  wasmKernels?: 'fixed' | 'stock';
  /** wasm: threads in use (XNNPACK's pool, and as many row threads for the fused LSTM's sequences) */
  wasmThreads?: number;
}

/** Loads tfjs-node if it is installed; false when it is absent or its native library cannot load. */
async function loadNodeBackend(): Promise<boolean> {
  if (tf.findBackend('tensorflow')) return true;
  try {
    // A variable specifier keeps TypeScript from requiring the optional package's types.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return tf.findBackend('tensorflow') !== null;
  } catch {
    return false;
  }
}

/** Starts the wasm backend with its threads and our kernels or the stock ones; the threads in use, or 0. */
async function useWasm(kernels: 'fixed' | 'stock', threads: WasmThreads, model?: ThreadsFor): Promise<number> {
  const { registerWasmBackend, resolveThreads } = await import('./wasm-threads.js');
  registerWasmBackend(resolveThreads(threads, model));
  if (!(await tf.setBackend('wasm'))) return 0;
  await tf.ready();
  const { installFixedWasmKernels, restoreStockWasmKernels } = await import('./wasm-kernels.js');
  if (kernels === 'fixed') installFixedWasmKernels();
  else restoreStockWasmKernels();
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  return getThreadsCount();
}

/**
 * Selects and initialises a backend. tfjs's own console banner ("install our node backend") is silenced by
 * production mode; when auto falls back, `note` says so once in our words.
 */
export async function selectBackend(
  requested: Backend,
  wasmKernels: 'fixed' | 'stock' = 'fixed',
  wasmThreads: WasmThreads = 'auto',
  model?: ThreadsFor,
): Promise<BackendChoice> {
  tf.enableProdMode();
  if (requested === 'tensorflow' || requested === 'auto') {
    if (await loadNodeBackend()) {
      await tf.setBackend('tensorflow');
      await tf.ready();
      return { name: 'tensorflow' };
    }
    if (requested === 'tensorflow')
      throw new UsageError(
        '--backend tensorflow: expected @tensorflow/tfjs-node to load, but it is not installed',
        'install it with `npm install @tensorflow/tfjs-node` (it downloads libtensorflow), or use --backend wasm',
      );
  }
  if (requested === 'wasm' || requested === 'auto') {
    const threads = await useWasm(wasmKernels, wasmThreads, model);
    if (threads > 0)
      return {
        name: 'wasm',
        wasmKernels,
        wasmThreads: threads,
        note:
          requested === 'auto' ? 'tfjs-node (optional, native) is not installed: using the wasm backend' : undefined,
      };
    if (requested === 'wasm') throw new UsageError('--backend wasm: the wasm backend failed to initialise');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return {
    name: 'cpu',
    note: requested === 'auto' ? 'neither tfjs-node nor wasm could start: using the slow cpu backend' : undefined,
  };
}
