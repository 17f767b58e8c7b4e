// The CSV reader on real files: typed columns, quoting and blank lines, and errors that name their line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { located, locateRows, readTable, RowError, type ReadPlan } from '../../src/data/csv.js';
import { rejectsWith, writeCsv } from './helpers.js';

const all =
  (kind: 'number' | 'text') =>
  (header: string[]): ReadPlan => ({ columns: header.map((name) => ({ name, kind })) });

/** readTable, with a RowError turned into the DataError a user sees (as loadDataset does). */
async function read(path: string, file: string, plan: (h: string[]) => ReadPlan) {
  try {
    return await readTable(path, file, plan);
  } catch (e) {
    throw e instanceof RowError ? await located(e, path, file) : e;
  }
}

test('reads the columns asked for, skipping blank lines, spanning quoted newlines, trimming cells', async () => {
  const { path } = writeCsv('ok.csv', 'a,b\n1,2\n\n"x\ny",3\n 4 , 5 \n   \n');
  const t = await read(path, 'ok.csv', all('text'));
  assert.deepEqual(t.header, ['a', 'b']);
  assert.equal(t.rows, 3);
  const a = t.text('a');
  assert.deepEqual(
    Array.from(a.codes, (c) => a.levels[c]),
    ['1', 'x\ny', '4'],
  );
  const numbers = await read(path, 'ok.csv', (h) => ({ columns: [{ name: h[1], kind: 'number' }] }));
  assert.deepEqual(Array.from(numbers.numbers('b')), [2, 3, 5]);
  // data rows 0, 1, 2 start on lines 2, 4 (after the blank line) and 6 (the quoted newline spans 4 and 5)
  assert.deepEqual(await locateRows(path, [0, 1, 2, -1]), [2, 4, 6, 1]);
});

test('candidate columns stay numbers while they hold numbers; a text cell drops one', async () => {
  const { path } = writeCsv('c.csv', 't,v,name,empty\n0,1.5,x,\n1,,y,\n2,-3e2,7,\n');
  const t = await read(path, 'c.csv', (h) => ({ columns: [], candidates: h }));
  assert.deepEqual(t.numeric, ['t', 'v']);
  assert.deepEqual(Array.from(t.numbers('v')), [1.5, NaN, -300]);
});

test('a non-numeric cell in a number column names file:line:column and the value', async () => {
  const { path } = writeCsv('n.csv', 'a,b\n1,2\n\n3,abc\n');
  await rejectsWith(read(path, 'n.csv', all('number')), 'n.csv:4:2: ', 'column "b": expected a number, found "abc"');
});

test('a missing file is a DataError naming it', async () => {
  const { dir } = writeCsv('other.csv', 'a\n1\n');
  await rejectsWith(
    read(join(dir, 'nope.csv'), 'nope.csv', all('text')),
    'nope.csv:',
    'expected a CSV file, found none',
  );
});

test('an empty file is a DataError', async () => {
  const { path } = writeCsv('empty.csv', '');
  await rejectsWith(read(path, 'empty.csv', all('text')), 'empty.csv: ', 'found an empty file');
  const { path: blank } = writeCsv('blank.csv', '\n\n');
  await rejectsWith(read(blank, 'blank.csv', all('text')), 'blank.csv: ', 'found an empty file');
});

test('a header without rows is a DataError', async () => {
  const { path } = writeCsv('h.csv', 'a,b,c\n');
  await rejectsWith(
    read(path, 'h.csv', all('text')),
    'h.csv:1: ',
    'expected data rows after the header, found only the header',
  );
});

test('a ragged row names its line and both column counts', async () => {
  const { path } = writeCsv('r.csv', 'a,b,c\n1,2,3\n4,5\n');
  const e = await rejectsWith(read(path, 'r.csv', all('text')), 'r.csv:3: ', 'expected 3 columns', 'found 2');
  assert.equal(e.where, 'r.csv:3');
  const { path: wide } = writeCsv('w.csv', 'a,b\n1,2\n3,4\n5,6,7\n');
  await rejectsWith(read(wide, 'w.csv', all('text')), 'w.csv:4: ', 'expected 2 columns', 'found 3');
});

test('malformed CSV and duplicate or empty header names are DataErrors with a line', async () => {
  const { path } = writeCsv('q.csv', 'a,b\n"1,2\n');
  await rejectsWith(read(path, 'q.csv', all('text')), 'q.csv:', 'expected valid CSV');
  const { path: dup } = writeCsv('d.csv', 'a,b,a\n1,2,3\n');
  await rejectsWith(read(dup, 'd.csv', all('text')), 'd.csv:1:3: ', 'unique column names', '"a"');
  const { path: empty } = writeCsv('e.csv', 'a,,c\n1,2,3\n');
  await rejectsWith(read(empty, 'e.csv', all('text')), 'e.csv:1:2: ', 'expected a column name');
});

test('Windows line endings and a byte-order mark are read like plain LF files', async () => {
  const { path } = writeCsv('crlf.csv', '\uFEFFa,b\r\n1,2\r\n3,4\r\n');
  const t = await read(path, 'crlf.csv', all('number'));
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(
    [Array.from(t.numbers('a')), Array.from(t.numbers('b'))],
    [
      [1, 3],
      [2, 4],
    ],
  );
  assert.deepEqual(await locateRows(path, [0, 1]), [2, 3]);
});

// A file with no quote is read from its bytes (csv-plain.ts); the same file with its header quoted goes through
// csv-parse. Both must give the same table, cell for cell, and the same error for the same bad row.
const PLAIN_CASES: [string, string][] = [
  ['numbers of every kind', 'a,b,c\n1,-2.5,3e2\n0.1,,+4\n-0,1234567890123456,  7 \n.5,5.,-0.000001\n'],
  ['CRLF lines, a BOM, blank lines and a last line with no newline', '\ufeffa,b\r\n1,2\r\n\r\n  \r\n3,4'],
  ['text beside numbers, non-ASCII included', 'a,b\nzürich,1\nbern,2\n zürich ,3\n'],
];
const quotedHeader = (text: string) => text.replace(/^(\ufeff?)([^,\r\n]+)/, '$1"$2"');

for (const [name, text] of PLAIN_CASES)
  test(`a plain file reads as csv-parse reads it: ${name}`, async () => {
    const plain = writeCsv('plain.csv', text).path;
    const parsed = writeCsv('parsed.csv', quotedHeader(text)).path;
    const kinds = (h: string[]): ReadPlan => ({
      columns: h.map((n) => ({ name: n, kind: n === 'a' && text.includes('zürich') ? 'text' : 'number' })),
    });
    const [p, q] = [await read(plain, 'p.csv', kinds), await read(parsed, 'q.csv', kinds)];
    assert.deepEqual(p.header, q.header);
    assert.equal(p.rows, q.rows);
    for (const h of p.header)
      if (h === 'a' && text.includes('zürich')) assert.deepEqual(p.text(h), q.text(h));
      else assert.deepEqual(Array.from(p.numbers(h)), Array.from(q.numbers(h)));
  });

test('a plain file names the same line as csv-parse for a bad cell and for a ragged row', async () => {
  for (const text of ['a,b\n1,2\n\n3,x\n', 'a,b\n1,2\r\n3\r\n']) {
    const plain = writeCsv('plain.csv', text).path;
    const parsed = writeCsv('parsed.csv', quotedHeader(text)).path;
    const message = async (path: string) =>
      (
        await read(path, 'f.csv', all('number')).then(
          () => assert.fail('expected an error'),
          (e: Error) => e,
        )
      ).message;
    assert.equal(await message(plain), await message(parsed));
  }
});
