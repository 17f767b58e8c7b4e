// The SIMD LSTM cell (lstm-cell.wat, compiled into dist/wasm by `npm run build`), instantiated on tfjs's wasm heap.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Each entry's parameters by name, in the order lstm-cell.wat declares them. Every one is a byte offset into the
 * wasm heap (0 where a pointer is optional) or a count; see the .wat for what each holds.
 */
export const CELL_PARAMS = {
  forward: [
    ...['hv', 'xp', 'cPrev', 'hPrev', 'mask'],
    ...['t', 'time', 'batch', 'hidden'],
    ...['hOut', 'cOut', 'outputs', 's', 'tanhC', 'hNext', 'hStride', 'cs'],
  ],
  backward: [
    ...['dOutputs', 'dhNext', 'dcIn', 'gates', 'tanhC', 'cPrev', 'mask'],
    ...['t', 'time', 'batch', 'hidden'],
    ...['dz', 'dcPrev', 'dhPass'],
  ],
  transpose: ['src', 'rows', 'cols', 'dst', 'dstStride'],
} as const satisfies Record<string, readonly string[]>;

type Entry = keyof typeof CELL_PARAMS;
/** An entry's arguments as a named object: complete by construction, so a call cannot leave one out. */
export type CellArgs<E extends Entry> = Record<(typeof CELL_PARAMS)[E][number], number>;

export interface SimdCell {
  forward(args: CellArgs<'forward'>): void;
  backward(args: CellArgs<'backward'>): void;
  transpose(args: CellArgs<'transpose'>): void;
}

// From src/backend (tsx) and from dist/backend (the built CLI) alike, two levels up is the package root.
const WASM_DIR = new URL('../../dist/wasm/', import.meta.url);

type RawEntry = (...args: number[]) => void;

/**
 * A module built from another lstm-cell.wat would take the arguments it knows and silently compute wrong steps: its
 * entries' parameter names, written beside it by the build, must be ours, in our order.
 */
function checkBuilt(file: string, dir: URL, exports: Record<string, unknown>): Record<Entry, RawEntry> {
  const paramsFile = fileURLToPath(new URL('lstm-cell.params.json', dir));
  const built = existsSync(paramsFile) ? (JSON.parse(readFileSync(paramsFile, 'utf8')) as Record<string, unknown>) : {};
  for (const [name, params] of Object.entries(CELL_PARAMS)) {
    const fn = exports[name];
    const same = JSON.stringify(built[name]) === JSON.stringify(params);
    if (typeof fn !== 'function' || fn.length !== params.length || !same)
      throw new Error(
        `${file} does not match src/backend/lstm-cell.wat (${name} should take ${params.join(', ')}; ` +
          `built: ${JSON.stringify(built[name] ?? 'unknown')}): run npm run build`,
      );
  }
  return exports as Record<Entry, RawEntry>;
}

/** A named call into a raw entry: the arguments in the declared order. */
function entry<E extends Entry>(raw: RawEntry, name: E): (args: CellArgs<E>) => void {
  const order: readonly (typeof CELL_PARAMS)[E][number][] = CELL_PARAMS[name];
  return (args) => raw(...order.map((k) => args[k]));
}

/**
 * The cell on this memory (the threaded build's is shared, and needs the shared variant), or undefined when the
 * module is not built (run `npm run build`): the step kernels then use their JavaScript loops.
 */
export function loadSimdCell(memory: WebAssembly.Memory, dir = WASM_DIR): SimdCell | undefined {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const file = fileURLToPath(new URL(shared ? 'lstm-cell-shared.wasm' : 'lstm-cell.wasm', dir));
  if (!existsSync(file)) return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), { env: { memory } });
  const raw = checkBuilt(file, dir, instance.exports);
  return {
    forward: entry(raw.forward, 'forward'),
    backward: entry(raw.backward, 'backward'),
    transpose: entry(raw.transpose, 'transpose'),
  };
}
