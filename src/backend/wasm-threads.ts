// Runs tfjs's multi-threaded wasm build in Node: XNNPACK's thread pool on worker_threads, which tfjs enables only in browsers.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import workerThreads, { type WorkerOptions } from 'node:worker_threads';
import { MAX_WASM_THREADS, type ModelConfig, type WasmThreads } from '../config/schema.js';
import { startRowWorkers, stopRowWorkers } from './row-threads.js';

/**
 * Why: tfjs-backend-wasm ships a threaded SIMD build, but its Node path never uses it (WASM_HAS_MULTITHREAD_SUPPORT
 * is false under Node, tfjs issue #3830), so matMuls run on one core. Its pieces work in Node when started by hand:
 * - the emscripten factory in wasm-out/tfjs-backend-wasm-threaded-simd.js, given real file paths for the .wasm,
 *   for the main script (each pthread re-evaluates it) and for the pthread worker (wasm-pthread-worker.cjs);
 * - the same `module.tfjs` bridge tfjs's own init() builds, then tfjs's BackendWasm on top of it, registered
 *   under the name 'wasm' so every wasm kernel (stock and ours) applies unchanged.
 * The backend caps XNNPACK's pool at `emscripten_num_logical_cores() / 2` (it assumes two hyperthreads per core),
 * read once while the module starts; `os.cpus()` is what that reads under Node, so we report 2 × threads for
 * that moment. Relies on tfjs-backend-wasm 4.22 internals (the version is pinned exactly in package.json).
 */

const require = createRequire(import.meta.url);
const WASM_OUT = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
const MAIN_SCRIPT = join(WASM_OUT, 'tfjs-backend-wasm-threaded-simd.js');
// src/backend/ and dist/backend/ are both two levels below the package root; the worker ships in src/.
const WORKER_SCRIPT = fileURLToPath(new URL('../../src/backend/wasm-pthread-worker.cjs', import.meta.url));

/**
 * 'auto': the machine's cores (at most 4) for the fused hand kernel, whose sequences and weight gradients run on
 * row threads (row-threads.ts, one per core) that share out the batch's rows; 1 for every other model, whose many
 * small ops each pay XNNPACK's pool's wake-up and run slower on threads (`npm run bench` and bench/README.md measure
 * both).
 */
export type ThreadsFor = Pick<ModelConfig, 'impl' | 'kernel'>;

export function resolveThreads(threads: WasmThreads, model?: ThreadsFor): number {
  const fused = model?.impl === 'hand' && model.kernel === 'fused';
  const n = threads !== 'auto' ? threads : fused ? Math.min(os.availableParallelism(), 4) : 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(n)));
}

interface EmscriptenModule {
  wasmMemory: WebAssembly.Memory;
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { runningWorkers: { unref(): void }[]; unusedWorkers: { terminate(): Promise<number> }[] };
  tfjs?: Record<string, (...a: number[]) => number>;
}

/** A pthread's Worker without this process's `--import`/loader flags: the worker script is plain CommonJS. */
class PthreadWorker extends workerThreads.Worker {
  constructor(file: string | URL, options: WorkerOptions = {}) {
    super(file, { ...options, execArgv: [] });
  }
}

async function startThreadedModule(threads: number): Promise<EmscriptenModule> {
  const factory = require(MAIN_SCRIPT) as (config: object) => Promise<EmscriptenModule>;
  // While the factory runs: the core count it reads, and the Worker class it takes (and keeps, as global.Worker).
  const [cpus, Worker] = [os.cpus, workerThreads.Worker];
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  (workerThreads as { Worker: typeof Worker }).Worker = PthreadWorker;
  let module: EmscriptenModule;
  try {
    module = await factory({
      locateFile: (file: string) => (file.endsWith('.worker.js') ? WORKER_SCRIPT : join(WASM_OUT, file)),
      mainScriptUrlOrBlob: MAIN_SCRIPT,
    });
  } finally {
    os.cpus = cpus;
    (workerThreads as { Worker: typeof Worker }).Worker = Worker;
  }
  // The bridge tfjs's own init() builds (backend_wasm.ts), which BackendWasm calls.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

type Factory = () => tf.KernelBackend | Promise<tf.KernelBackend>;
interface Registry {
  registryFactory: Record<string, { factory: Factory; priority: number }>;
}

let stockFactory: { factory: Factory; priority: number } | undefined;
let current = 1; // threads of the registered 'wasm' backend; tfjs registers its single-threaded one on import
let threadedMemory: WebAssembly.Memory | undefined; // the heap of the threaded backend last started
let registrations = 0; // a threaded backend still starting when another is registered stops its own row workers

/**
 * Makes the 'wasm' backend use `threads` threads from its next initialisation on: XNNPACK's pool and as many row
 * threads for the LSTM sequences (1: tfjs's own single-threaded build, and no row threads). Call before
 * `tf.setBackend('wasm')`; switching drops an initialised wasm backend and its tensors.
 */
export function registerWasmBackend(threads: number): void {
  if (threads === current) return;
  const registry = tf.engine() as unknown as Registry;
  stockFactory ??= registry.registryFactory.wasm;
  tf.removeBackend('wasm');
  if (threadedMemory) stopRowWorkers(threadedMemory);
  threadedMemory = undefined;
  const registration = ++registrations;
  if (threads === 1) {
    tf.registerBackend('wasm', stockFactory.factory, stockFactory.priority);
  } else {
    tf.registerBackend(
      'wasm',
      async () => {
        const module = await startThreadedModule(threads);
        setThreadsCount(threads);
        const backend = new BackendWasm(module as never); // creates XNNPACK's pool: threads − 1 running workers
        // Emscripten keeps running pthreads referenced, so the pool's idle workers would keep Node alive forever.
        for (const worker of module.PThread.runningWorkers) worker.unref();
        // The build pre-starts 8 workers (each a V8 isolate with the module); the pool took what it needs, and
        // emscripten starts a new one should a thread ever be created later. The rest only cost memory.
        for (const worker of module.PThread.unusedWorkers) void worker.terminate();
        module.PThread.unusedWorkers.length = 0;
        // The LSTM sequence kernels' own threads, one per core beside this one, on the same heap (row-threads.ts).
        await startRowWorkers(module.wasmMemory, threads - 1);
        if (registration === registrations) threadedMemory = module.wasmMemory;
        else stopRowWorkers(module.wasmMemory); // replaced while it started
        return backend;
      },
      stockFactory.priority,
    );
  }
  current = threads;
}
