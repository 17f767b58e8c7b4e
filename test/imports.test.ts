// The architecture's one rule, checked on the real source: imports run from the CLI down to util, with no cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGraph, readGraph } from '../scripts/check-imports.js';

const SRC = join(import.meta.dirname, '..', 'src');

test('src/ imports run one way, from cli down to util, and form no cycle', () => {
  const graph = readGraph(SRC);
  assert.ok(graph.size > 50, `read ${graph.size} files`);
  assert.deepEqual(checkGraph(graph), []);
});

test('an upward import, a sideways one, the cycle they make and a folder without a level are each reported', () => {
  const copy = join(mkdtempSync(join(tmpdir(), 'lstm-imports-')), 'src');
  cpSync(SRC, copy, { recursive: true });
  appendFileSync(join(copy, 'data', 'csv.ts'), "\nimport '../train/run.js';\n");
  appendFileSync(join(copy, 'train', 'fit.ts'), "\nimport type { Gates } from '../eval/gates.js';\n");
  mkdirSync(join(copy, 'extras'));
  writeFileSync(join(copy, 'extras', 'x.ts'), "export { taskOf } from '../task/index.js';\n");
  const problems = checkGraph(readGraph(copy));
  assert.ok(problems.includes('data/csv.ts imports train/run.ts: up from data to train'), problems.join('\n'));
  assert.ok(problems.includes('train/fit.ts imports eval/gates.ts: sideways from train to eval'), problems.join('\n'));
  assert.ok(problems.includes('extras/x.ts: room "extras" has no level in LEVELS'), problems.join('\n'));
  const cycle = problems.find((p) => p.startsWith('import cycle: '));
  assert.ok(cycle?.includes('data/csv.ts → train/run.ts'), cycle);
  const files = (cycle ?? '').slice('import cycle: '.length).split(' → ');
  assert.equal(files[0], files.at(-1), 'the cycle is closed');
});
