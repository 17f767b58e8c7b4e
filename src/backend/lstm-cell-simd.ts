// The SIMD LSTM cell (lstm-cell.wat, compiled into dist/wasm by `npm run build`), instantiated on tfjs's wasm heap.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Each entry's parameters by name, in the order lstm-cell.wat declares them. Every one is a byte offset into the
 * wasm heap (0 where a pointer is optional) or a count; see the .wat for what each holds.
 */
export const CELL_PARAMS = {
  forwardSequence: [
    ...['x', 'input', 'wp', 'bias', 'mask'],
    ...['time', 'batch', 'hidden', 'rowStart', 'rowEnd'],
    ...['outputs', 'hOut', 'cOut'],
    ...['gates', 'tanhC', 'cs', 'operands', 'scratch'],
  ],
  backwardSequence: [
    ...['dOutputs', 'dhLast', 'dcLast', 'gates', 'tanhC', 'cs', 'vtp', 'mask'],
    ...['time', 'batch', 'hidden', 'rowStart', 'rowEnd'],
    ...['dZT', 'dh', 'dc', 'scratch'],
  ],
  weightGradient: ['dZT', 'packed', 'rows', 'width', 'rowStart', 'rowEnd', 'out'],
  pack: ['dst', 'n', 'w1', 'k1', 'w2', 'k2'],
  packedFloats: ['k', 'n'],
  scratchFloats: ['hidden'],
  transpose: ['src', 'rows', 'cols', 'dst', 'dstStride'],
} as const satisfies Record<string, readonly string[]>;

export type CellEntry = keyof typeof CELL_PARAMS;
/** An entry's arguments as a named object: complete by construction, so a call cannot leave one out. */
export type CellArgs<E extends CellEntry> = Record<(typeof CELL_PARAMS)[E][number], number>;

export type SimdCell = { [E in CellEntry]: (args: CellArgs<E>) => number };

/** An entry's arguments in the order the .wat declares them (what a raw call, or a worker thread, takes). */
export function argList<E extends CellEntry>(name: E, args: CellArgs<E>): number[] {
  const order: readonly (typeof CELL_PARAMS)[E][number][] = CELL_PARAMS[name];
  return order.map((k) => args[k]);
}

// From src/backend (tsx) and from dist/backend (the built CLI) alike, two levels up is the package root.
const WASM_DIR = new URL('../../dist/wasm/', import.meta.url);

type RawEntry = (...args: number[]) => number;

/**
 * A module built from another lstm-cell.wat would take the arguments it knows and silently compute wrong steps: its
 * entries' parameter names, written beside it by the build, must be ours, in our order.
 */
function checkBuilt(file: string, dir: URL, exports: Record<string, unknown>): Record<CellEntry, RawEntry> {
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
  return exports as Record<CellEntry, RawEntry>;
}

/**
 * The cell on this memory (the threaded build's is shared, and needs the shared variant), or undefined when the
 * module is not built (run `npm run build`): the sequence kernels then use their JavaScript loops.
 */
export function loadSimdCell(memory: WebAssembly.Memory, dir = WASM_DIR): SimdCell | undefined {
  const file = cellFile(memory, dir);
  if (!existsSync(file)) return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), { env: { memory } });
  const raw = checkBuilt(file, dir, instance.exports);
  const named =
    <E extends CellEntry>(name: E) =>
    (args: CellArgs<E>) =>
      raw[name](...argList(name, args));
  return Object.fromEntries(Object.keys(CELL_PARAMS).map((name) => [name, named(name as CellEntry)])) as SimdCell;
}

/** The build for this memory: the threaded wasm build's memory is shared, and needs the shared variant. */
export function cellFile(memory: WebAssembly.Memory, dir = WASM_DIR): string {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  return fileURLToPath(new URL(shared ? 'lstm-cell-shared.wasm' : 'lstm-cell.wasm', dir));
}
