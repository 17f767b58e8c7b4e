import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCsv } from '../../src/data/csv.js';
import { rejectsWith, writeCsv } from './helpers.js';

test('reads the header and rows with their 1-based lines, skipping blank lines and spanning quoted newlines', async () => {
  const { path } = writeCsv('ok.csv', 'a,b\n1,2\n\n"x\ny",3\n 4 , 5 \n');
  const t = await readCsv(path, 'ok.csv');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(t.rows, [
    { line: 2, cells: ['1', '2'] },
    { line: 4, cells: ['x\ny', '3'] },
    { line: 6, cells: ['4', '5'] },
  ]);
});

test('a missing file is a DataError naming it', async () => {
  const { dir } = writeCsv('other.csv', 'a\n1\n');
  await rejectsWith(readCsv(join(dir, 'nope.csv'), 'nope.csv'), 'nope.csv:', 'expected a CSV file, found none');
});

test('an empty file is a DataError', async () => {
  const { path } = writeCsv('empty.csv', '');
  await rejectsWith(readCsv(path, 'empty.csv'), 'empty.csv: ', 'found an empty file');
  const { path: blank } = writeCsv('blank.csv', '\n\n');
  await rejectsWith(readCsv(blank, 'blank.csv'), 'blank.csv: ', 'found an empty file');
});

test('a header without rows is a DataError', async () => {
  const { path } = writeCsv('h.csv', 'a,b,c\n');
  await rejectsWith(readCsv(path, 'h.csv'), 'h.csv:1: ', 'expected data rows after the header, found only the header');
});

test('a ragged row names its line and both column counts', async () => {
  const { path } = writeCsv('r.csv', 'a,b,c\n1,2,3\n4,5\n');
  const e = await rejectsWith(readCsv(path, 'r.csv'), 'r.csv:3: ', 'expected 3 columns', 'found 2');
  assert.equal(e.where, 'r.csv:3');
  const { path: wide } = writeCsv('w.csv', 'a,b\n1,2\n3,4\n5,6,7\n');
  await rejectsWith(readCsv(wide, 'w.csv'), 'w.csv:4: ', 'expected 2 columns', 'found 3');
});

test('malformed CSV and duplicate or empty header names are DataErrors with a line', async () => {
  const { path } = writeCsv('q.csv', 'a,b\n"1,2\n');
  await rejectsWith(readCsv(path, 'q.csv'), 'q.csv:', 'expected valid CSV');
  const { path: dup } = writeCsv('d.csv', 'a,b,a\n1,2,3\n');
  await rejectsWith(readCsv(dup, 'd.csv'), 'd.csv:1:3: ', 'unique column names', '"a"');
  const { path: empty } = writeCsv('e.csv', 'a,,c\n1,2,3\n');
  await rejectsWith(readCsv(empty, 'e.csv'), 'e.csv:1:2: ', 'expected a column name');
});

test('Windows line endings and a byte-order mark are read like plain LF files', async () => {
  const { path } = writeCsv('crlf.csv', '\uFEFFa,b\r\n1,2\r\n3,4\r\n');
  const t = await readCsv(path, 'crlf.csv');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(
    t.rows.map((r) => [r.line, ...r.cells]),
    [
      [2, '1', '2'],
      [3, '3', '4'],
    ],
  );
});
