// A thread of src/backend/row-threads.ts: runs the SIMD cell's sequence entries on its share of the batch's rows,
// on the wasm heap it shares with the main thread, each time the control block says so. Plain CommonJS, run as is.
'use strict';
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');

const { wasmFile, memory, control, port, entries } = workerData;
const [WORK, DONE, FAILED, STOP] = [1, 2, 3, 4]; // row-threads.ts's states
const ARGS = 3; // control[1]: the entry's index in `entries`; control[2]: its argument count; the arguments from 3
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)), { env: { memory } });
const run = entries.map((name) => instance.exports[name]);
const ctl = new Int32Array(control);
port.postMessage('ready');

function nextJob() {
  for (;;) {
    const state = Atomics.load(ctl, 0);
    if (state === WORK || state === STOP) return state;
    Atomics.wait(ctl, 0, state);
  }
}

while (nextJob() === WORK) {
  let done = DONE;
  try {
    run[ctl[1]](...ctl.subarray(ARGS, ARGS + ctl[2]));
  } catch (error) {
    port.postMessage(String(error));
    done = FAILED;
  }
  Atomics.store(ctl, 0, done);
  Atomics.notify(ctl, 0);
}
port.close();
