// The rows of the batch (or of dZᵀ) shared out between this thread and worker threads on the same wasm heap, for the SIMD cell's entries.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { argList, cellFile, type CellArgs } from './lstm-cell-simd.js';

/**
 * Why: an LSTM's rows never meet, so a thread can run its rows' recurrence from the first step to the last alone.
 * Splitting the matMul of every step over XNNPACK's pool instead pays a wake-up and a wait per step, and leaves the
 * step's elementwise work on one thread. Here each worker thread instantiates the shared-memory build of the cell on
 * the threaded wasm build's heap (a SharedArrayBuffer) and waits on its control block: the main thread writes an
 * entry and its arguments there, wakes the worker, runs its own rows, then waits for the worker's (Atomics, so a
 * whole sequence costs one hand-over per thread and none per step).
 */

export type RowEntry = 'forwardSequence' | 'backwardSequence' | 'weightGradient';
const ENTRIES: RowEntry[] = ['forwardSequence', 'backwardSequence', 'weightGradient'];
// control[0]: IDLE, WORK (posted), DONE or FAILED (by the worker), STOP; row-worker.cjs uses the same numbers
const [IDLE, WORK, FAILED, STOP] = [0, 1, 3, 4];
const ARGS = 3; // control[1] entry index, control[2] argument count, then the arguments
const MAX_ARGS = 32;
/** Fewer rows than this a thread are not worth a hand-over. */
const MIN_ROWS = 4;

interface RowWorker {
  worker: Worker;
  control: Int32Array;
  port: MessagePort;
}

const WORKER_SCRIPT = fileURLToPath(new URL('../../src/backend/row-worker.cjs', import.meta.url));
const pools = new WeakMap<WebAssembly.Memory, RowWorker[]>();

/**
 * Starts `count` worker threads on this shared memory (none when it is not shared or the cell is not built), and
 * resolves once each has its instance of the cell. Should a worker fail to start, there are none: the sequences
 * then run on this thread alone, slower but the same.
 */
export async function startRowWorkers(memory: WebAssembly.Memory, count: number): Promise<void> {
  const wasmFile = cellFile(memory);
  if (count < 1 || !(memory.buffer instanceof SharedArrayBuffer) || !existsSync(wasmFile)) return;
  const workers = Array.from({ length: count }, () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * (ARGS + MAX_ARGS)));
    const { port1, port2 } = new MessageChannel();
    const workerData = { wasmFile, memory, control: control.buffer, port: port2, entries: ENTRIES };
    const worker = new Worker(WORKER_SCRIPT, { workerData, transferList: [port2], execArgv: [] });
    return { worker, control, port: port1 };
  });
  const ready = ({ worker, port }: RowWorker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error('a row worker exited while starting')));
      port.once('message', () => resolve());
    });
  try {
    await Promise.all(workers.map(ready));
  } catch {
    for (const { worker } of workers) void worker.terminate();
    return;
  }
  for (const { worker, port } of workers) {
    worker.unref(); // an idle worker waits in Atomics.wait: it must not keep Node alive
    port.unref();
  }
  pools.set(memory, workers);
}

/** Ends the workers of this memory (when its backend goes away). */
export function stopRowWorkers(memory: WebAssembly.Memory): void {
  for (const { control } of pools.get(memory) ?? []) {
    Atomics.store(control, 0, STOP);
    Atomics.notify(control, 0);
  }
  pools.delete(memory);
}

/** The threads a sequence entry runs on for this memory: this one and its workers. */
export function rowThreads(memory: WebAssembly.Memory): number {
  return 1 + (pools.get(memory)?.length ?? 0);
}

/**
 * Runs `entry` over rows 0 … rows − 1 (of the batch, or of dZᵀ): blocks of whole multiples of 4 rows to each thread,
 * the first block on this one. `args(rowStart, rowEnd, part)` gives a part's arguments (part: the thread's index, for
 * its scratch).
 */
export function runOverRows<E extends RowEntry>(
  memory: WebAssembly.Memory,
  run: (args: CellArgs<E>) => number,
  entry: E,
  rows: number,
  args: (rowStart: number, rowEnd: number, part: number) => CellArgs<E>,
): void {
  const workers = pools.get(memory) ?? [];
  const parts = Math.max(1, Math.min(1 + workers.length, Math.floor(rows / MIN_ROWS)));
  const chunk = Math.ceil(rows / parts / 4) * 4;
  const busy: RowWorker[] = [];
  for (let part = 1; part * chunk < rows; part++) {
    const w = workers[part - 1];
    const list = argList(entry, args(part * chunk, Math.min(rows, (part + 1) * chunk), part));
    w.control.set([ENTRIES.indexOf(entry), list.length, ...list], 1);
    Atomics.store(w.control, 0, WORK);
    Atomics.notify(w.control, 0);
    busy.push(w);
  }
  run(args(0, Math.min(rows, chunk), 0));
  const failures = busy.map(waitFor).filter((m) => m !== undefined);
  if (failures.length > 0) throw new Error(`the LSTM ${entry} failed on a worker thread: ${failures.join('; ')}`);
}

/** Waits for a worker's part; its error message if it failed. */
function waitFor({ control, port }: RowWorker): string | undefined {
  let state: number;
  while ((state = Atomics.load(control, 0)) === WORK) Atomics.wait(control, 0, WORK);
  Atomics.store(control, 0, IDLE);
  return state === FAILED ? String(receiveMessageOnPort(port)?.message ?? 'no message') : undefined;
}
