// The SIMD cell's loader: named entries, and a build from another lstm-cell.wat refused rather than run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CELL_PARAMS, loadSimdCell } from '../../src/backend/lstm-cell-simd.js';

const BUILT = join(import.meta.dirname, '..', '..', 'dist', 'wasm');

function copyOfBuild(): { dir: URL; params: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-wasm-'));
  cpSync(BUILT, dir, { recursive: true });
  return { dir: pathToFileURL(`${dir}/`), params: join(dir, 'lstm-cell.params.json') };
}

test('the built cell transposes a block through its named entry', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const cell = loadSimdCell(memory);
  assert.ok(cell, 'npm run build compiled dist/wasm');
  const heap = new Float32Array(memory.buffer);
  const [rows, cols] = [2, 4];
  heap.set([1, 2, 3, 4, 5, 6, 7, 8], 0); // src [2, 4] at byte 0
  cell.transpose({ src: 0, rows, cols, dst: 64, dstStride: 4 * rows }); // dst [4, 2] at byte 64
  assert.deepEqual(Array.from(heap.subarray(16, 24)), [1, 5, 2, 6, 3, 7, 4, 8]);
});

test('a build whose entries take other parameters, or whose names are unknown, is refused', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const swapped = copyOfBuild();
  const built = JSON.parse(readFileSync(swapped.params, 'utf8'));
  assert.deepEqual(built, CELL_PARAMS, 'the build wrote the names lstm-cell.wat declares');
  const forwardSequence = [...built.forwardSequence];
  [forwardSequence[0], forwardSequence[1]] = [forwardSequence[1], forwardSequence[0]]; // same count, another order
  writeFileSync(swapped.params, JSON.stringify({ ...built, forwardSequence }));
  assert.throws(
    () => loadSimdCell(memory, swapped.dir),
    /does not match src\/backend\/lstm-cell\.wat \(forwardSequence should take x, input,/,
  );
  const unnamed = copyOfBuild();
  rmSync(unnamed.params);
  assert.throws(() => loadSimdCell(memory, unnamed.dir), /built: "unknown"\): run npm run build/);
});
