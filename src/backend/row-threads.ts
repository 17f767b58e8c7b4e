// The rows of the batch (or of dZᵀ) shared out between this thread and worker threads on the same wasm heap, for the SIMD cell's entries.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { argList, CELL_PARAMS, cellFile, type CellArgs } from './lstm-cell-simd.js';

/**
 * Why: an LSTM's rows never meet, so a thread can run its rows' recurrence from the first step to the last alone.
 * Splitting the matMul of every step over XNNPACK's pool instead pays a wake-up and a wait per step, and leaves the
 * step's elementwise work on one thread. Here each worker thread instantiates the shared-memory build of the cell on
 * the threaded wasm build's heap (a SharedArrayBuffer) and waits on its control block: the main thread writes an
 * entry and its arguments there and wakes the worker (Atomics, so a whole sequence costs one hand-over per thread
 * and none per step). Each thread starts on a chunk of rows of its own, then takes chunks from a shared counter
 * until none is left: a thread the machine holds back (a shared machine's neighbours take cores) holds up only its
 * first chunk, and leaves the rest to the others.
 */

export type RowEntry = 'forwardSequence' | 'backwardSequence' | 'weightGradient';
const ENTRIES: RowEntry[] = ['forwardSequence', 'backwardSequence', 'weightGradient'];
// control[0]: IDLE, WORK (posted), DONE or FAILED (by the worker), STOP; row-worker.cjs uses the same numbers
const [IDLE, WORK, FAILED, STOP] = [0, 1, 3, 4];
// control[1 … 7]: entry index, argument count, the positions of rowStart and rowEnd among the arguments, rows a
// chunk, rows in all, the worker's first chunk; the arguments from ARGS on (row-worker.cjs reads the same)
const ARGS = 8;
const MAX_ARGS = 32;
/** Chunks a thread takes on average: enough for another to take over from one held back, few enough to be long. */
const CHUNKS_PER_THREAD = 2;
/** Rows a chunk is a multiple of when it can be: backward, 16 rows are 16 columns of dZᵀ, a 64-byte cache line (when
 * the batch is a multiple of 16 too), so that two threads seldom write into one line (false sharing). */
const LINE_ROWS = 16;

interface RowWorker {
  worker: Worker;
  control: Int32Array;
  port: MessagePort;
}

interface Pool {
  workers: RowWorker[];
  /** the next chunk to take, shared by every thread of the pool */
  next: Int32Array;
}

const WORKER_SCRIPT = fileURLToPath(new URL('../../src/backend/row-worker.cjs', import.meta.url));
const pools = new WeakMap<WebAssembly.Memory, Pool>();

/**
 * Starts `count` worker threads on this shared memory (none when it is not shared or the cell is not built), and
 * resolves once each has its instance of the cell. Should a worker fail to start, there are none: the sequences
 * then run on this thread alone, slower but the same.
 */
export async function startRowWorkers(memory: WebAssembly.Memory, count: number): Promise<void> {
  const wasmFile = cellFile(memory);
  if (count < 1 || !(memory.buffer instanceof SharedArrayBuffer) || !existsSync(wasmFile)) return;
  const next = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: count }, () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * (ARGS + MAX_ARGS)));
    const { port1, port2 } = new MessageChannel();
    const workerData = { wasmFile, memory, control: control.buffer, next: next.buffer, port: port2, entries: ENTRIES };
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
  pools.set(memory, { workers, next });
}

/** Ends the workers of this memory (when its backend goes away). */
export function stopRowWorkers(memory: WebAssembly.Memory): void {
  for (const { control } of pools.get(memory)?.workers ?? []) {
    Atomics.store(control, 0, STOP);
    Atomics.notify(control, 0);
  }
  pools.delete(memory);
}

/** The threads a sequence entry runs on for this memory: this one and its workers. */
export function rowThreads(memory: WebAssembly.Memory): number {
  return 1 + (pools.get(memory)?.workers.length ?? 0);
}

/**
 * Runs `entry` over rows 0 … rows − 1 (of the batch, or of dZᵀ) in chunks of whole multiples of 4 rows: one to each
 * thread (this one, and as many workers as there are chunks after it), then the rest to whichever thread is free. `args(rowStart, rowEnd, part)` gives a chunk's arguments
 * (part: the thread's index, for its scratch).
 */
export function runOverRows<E extends RowEntry>(
  memory: WebAssembly.Memory,
  run: (args: CellArgs<E>) => number,
  entry: E,
  rows: number,
  args: (rowStart: number, rowEnd: number, part: number) => CellArgs<E>,
): void {
  const pool = pools.get(memory);
  const workers = pool?.workers ?? [];
  const chunk = chunkRows(rows, 1 + workers.length);
  const helpers = workers.slice(0, Math.max(0, Math.ceil(rows / chunk) - 1));
  const order: readonly string[] = CELL_PARAMS[entry];
  const header = [
    ENTRIES.indexOf(entry),
    order.length,
    order.indexOf('rowStart'),
    order.indexOf('rowEnd'),
    chunk,
    rows,
  ];
  // Each thread starts on a chunk of its own (this one on chunk 0), then takes the next one left until none is.
  if (pool) Atomics.store(pool.next, 0, 1 + helpers.length);
  helpers.forEach((w, i) => {
    w.control.set([...header, i + 1], 1);
    w.control.set(argList(entry, args(0, 0, i + 1)), ARGS);
    Atomics.store(w.control, 0, WORK);
    Atomics.notify(w.control, 0);
  });
  let taken = 1; // without workers, this thread counts alone
  const take = () => (pool ? Atomics.add(pool.next, 0, 1) : taken++);
  try {
    for (let c = 0; c * chunk < rows; c = take()) run(args(c * chunk, Math.min(rows, (c + 1) * chunk), 0));
  } catch (error) {
    helpers.forEach(waitFor); // a worker still at work must not meet the next call's chunks
    throw error;
  }
  const failures = helpers.map(waitFor).filter((m) => m !== undefined);
  if (failures.length > 0) throw new Error(`the LSTM ${entry} failed on a worker thread: ${failures.join('; ')}`);
}

/** Rows a chunk: all of them on one thread, else about CHUNKS_PER_THREAD chunks a thread, whole lines if it can. */
function chunkRows(rows: number, threads: number): number {
  if (threads === 1) return Math.max(1, rows);
  const even = rows / (threads * CHUNKS_PER_THREAD);
  return even >= LINE_ROWS ? LINE_ROWS * Math.floor(even / LINE_ROWS) : Math.max(4, 4 * Math.floor(even / 4));
}

/** Waits for a worker's part; its error message if it failed. */
function waitFor({ control, port }: RowWorker): string | undefined {
  let state: number;
  while ((state = Atomics.load(control, 0)) === WORK) Atomics.wait(control, 0, WORK);
  Atomics.store(control, 0, IDLE);
  return state === FAILED ? String(receiveMessageOnPort(port)?.message ?? 'no message') : undefined;
}
