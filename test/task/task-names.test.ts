// Whatever differs between forecast and classify is a member of Task: no code outside src/task compares a task's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Files allowed to compare a task name (none: predict.js reads which parts preprocess.json holds). */
const EXEMPT = new Set<string>();

const COMPARISON =
  /[!=]==\s*'(forecast|classify)'|'(forecast|classify)'\s*[!=]==|\btask\s*[!=]==|[!=]==\s*\w*\.?task\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

test('the pattern finds a comparison with a task name, either way round, and not a lookup by the task', () => {
  for (const line of ["if (cfg.task === 'forecast')", "'classify' !== p.task", 'a.task !== b', 'x === data.task'])
    assert.match(line, COMPARISON, line);
  for (const line of ['const task = taskOf(cfg.task);', 'LOADERS[cfg.task]', "own(data, 'forecast')"])
    assert.doesNotMatch(line, COMPARISON, line);
});

test('no file outside src/task compares a task name: the difference is a member of Task', () => {
  const found = sourceFiles(SRC)
    .map((file) => relative(SRC, file).split('\\').join('/'))
    .filter((file) => !file.startsWith('task/') && !EXEMPT.has(file))
    .flatMap((file) =>
      readFileSync(join(SRC, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (COMPARISON.test(line) ? [`src/${file}:${i + 1}: ${line.trim()}`] : [])),
    );
  assert.deepEqual(found, []);
});
