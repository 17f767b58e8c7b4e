// Runs every test/**/*.test.ts with node's built-in test runner (TypeScript through tsx).
// Node 20's --test takes no globs, so the files are listed here. Pass paths or substrings to narrow.
// Two files at a time, one per core: most tests wait on one single-threaded CLI or training loop.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return findTests(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = findTests('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// The tests (and the CLIs they start) make their temporary folders under one of ours, removed at the end.
const scratch = mkdtempSync(join(tmpdir(), 'lstm-train-tests-'));
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    './test/setup.ts',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', TMPDIR: scratch } },
);
rmSync(scratch, { recursive: true, force: true });
process.exit(result.status ?? 1);
