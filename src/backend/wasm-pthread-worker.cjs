// The script each wasm pthread (a worker_threads Worker) runs. tfjs-backend-wasm ships emscripten's pthread
// worker only as a string (browsers load it from a Blob URL, which Node's Worker cannot), so this file
// evaluates that string with the CommonJS globals it expects. Started by src/backend/wasm-threads.ts.
'use strict';
const vm = require('node:vm');
const {
  wasmWorkerContents,
} = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');

globalThis.require = require;
globalThis.__filename = __filename;
// The string's "\n" escapes became real newlines when tfjs embedded it in a template literal; put them back.
vm.runInThisContext(wasmWorkerContents.replace(/\n/g, '\\n'), {
  filename: 'tfjs-backend-wasm-threaded-simd.worker.js',
});
