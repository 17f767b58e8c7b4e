// A thread of src/backend/row-threads.ts: runs the SIMD cell's entries on chunks of rows it takes from a shared
// counter, on the wasm heap it shares with the main thread, each time the control block says so. Plain CommonJS.
'use strict';
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');

const { wasmFile, memory, control, next: nextChunk, port, entries } = workerData;
const [WORK, DONE, FAILED, STOP] = [1, 2, 3, 4]; // row-threads.ts's states
// control[1 … 7]: the entry's index in `entries`, its argument count, where rowStart and rowEnd are among the
// arguments, rows a chunk, rows in all, this worker's first chunk (then the next one left); the arguments from 8
const ARGS = 8;
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)), { env: { memory } });
const run = entries.map((name) => instance.exports[name]);
const ctl = new Int32Array(control);
const next = new Int32Array(nextChunk); // the next chunk of rows, shared with every thread
port.postMessage('ready');

function nextJob() {
  for (;;) {
    const state = Atomics.load(ctl, 0);
    if (state === WORK || state === STOP) return state;
    Atomics.wait(ctl, 0, state);
  }
}

while (nextJob() === WORK) {
  const [entry, count, startAt, endAt, chunk, rows, first] = ctl.subarray(1, 8);
  const args = Array.from(ctl.subarray(ARGS, ARGS + count));
  let done = DONE;
  try {
    for (let c = first; c * chunk < rows; c = Atomics.add(next, 0, 1)) {
      [args[startAt], args[endAt]] = [c * chunk, Math.min(rows, (c + 1) * chunk)];
      run[entry](...args);
    }
  } catch (error) {
    port.postMessage(String(error));
    done = FAILED;
  }
  Atomics.store(ctl, 0, done);
  Atomics.notify(ctl, 0);
}
port.close();
