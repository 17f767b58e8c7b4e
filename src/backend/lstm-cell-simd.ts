// The SIMD LSTM cell (lstm-cell.wat, compiled into dist/wasm by `npm run build`), instantiated on tfjs's wasm heap.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Both calls take byte offsets into the wasm heap (0 where a pointer is optional); see lstm-cell.wat. */
export interface SimdCell {
  forward(
    hv: number,
    xp: number,
    cPrev: number,
    hPrev: number,
    mask: number,
    t: number,
    time: number,
    batch: number,
    hidden: number,
    hOut: number,
    cOut: number,
    outputs: number,
    s: number,
    tanhC: number,
    hNext: number,
    hStride: number,
    cs: number,
  ): void;
  backward(
    dOutputs: number,
    dhNext: number,
    dcIn: number,
    gates: number,
    tanhC: number,
    cPrev: number,
    mask: number,
    t: number,
    time: number,
    batch: number,
    hidden: number,
    dz: number,
    dcPrev: number,
    dhPass: number,
  ): void;
  transpose(src: number, rows: number, cols: number, dst: number, dstStride: number): void;
}

// From src/backend (tsx) and from dist/backend (the built CLI) alike, two levels up is the package root.
const WASM_DIR = new URL('../../dist/wasm/', import.meta.url);

/**
 * The cell on this memory (the threaded build's is shared, and needs the shared variant), or undefined when the
 * module is not built (run `npm run build`): the step kernels then use their JavaScript loops.
 */
export function loadSimdCell(memory: WebAssembly.Memory): SimdCell | undefined {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const file = fileURLToPath(new URL(shared ? 'lstm-cell-shared.wasm' : 'lstm-cell.wasm', WASM_DIR));
  if (!existsSync(file)) return undefined;
  const cell = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), { env: { memory } })
    .exports as unknown as SimdCell;
  // A module built from an older lstm-cell.wat would take the arguments it knows and silently compute wrong steps.
  const arity = { forward: 17, backward: 14, transpose: 5 };
  for (const [name, n] of Object.entries(arity))
    if ((cell as unknown as Record<string, (...a: number[]) => void>)[name]?.length !== n)
      throw new Error(
        `${file} does not match src/backend/lstm-cell.wat (${name} should take ${n} arguments): run npm run build`,
      );
  return cell;
}
