import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { formatNumber, formatTable, toCsv } from '../../src/util/table.js';

test('formatNumber keeps about 4 significant digits without noise', () => {
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(42), '42');
  assert.equal(formatNumber(-3), '-3');
  assert.equal(formatNumber(0.1), '0.1');
  assert.equal(formatNumber(0.123456), '0.1235');
  assert.equal(formatNumber(3.14159), '3.142');
  assert.equal(formatNumber(12.5), '12.5');
  assert.equal(formatNumber(1234.56), '1235');
  assert.equal(formatNumber(0.0012346), '0.001235');
  assert.equal(formatNumber(0.00012346), '1.235e-4');
  assert.equal(formatNumber(0.0001), '1e-4');
  assert.equal(formatNumber(2.5e7), '2.5e7');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(Infinity), 'inf');
  assert.equal(formatNumber(-Infinity), '-inf');
});

test('formatTable right-aligns numeric columns and left-aligns text', () => {
  const out = formatTable(
    ['variant', 'val_loss', 'epochs'],
    [
      ['builtin', 0.012345, 10],
      ['hand-fused', 1.5, 200],
    ],
  );
  const lines = out.split('\n');
  assert.equal(lines.length, 4);
  assert.deepEqual(lines, [
    'variant     val_loss  epochs',
    '----------  --------  ------',
    'builtin      0.01235      10',
    'hand-fused       1.5     200',
  ]);
  // every line but the last column is padded to the same width; nothing trails
  for (const line of lines) assert.equal(line, line.trimEnd());
});

test('formatTable honours explicit alignment, indent, and counts code points for width', () => {
  const out = formatTable(
    ['name', 'n'],
    [
      ['é—x', 1],
      ['ab', null],
    ],
    { align: ['right', 'left'], indent: '  ' },
  );
  assert.deepEqual(out.split('\n'), ['  name  n', '  ----  -', '   é—x  1', '    ab']);
});

test('toCsv quotes fields that need it and round-trips through csv-parse', () => {
  const headers = ['id', 'label', 'value'];
  const rows = [
    [1, 'plain', 0.1],
    [2, 'has,comma', -2.5e-8],
    [3, 'has "quote"', 3],
    [4, 'line\nbreak', NaN],
    [5, ' padded ', null],
  ];
  const csv = toCsv(headers, rows);
  assert.ok(csv.endsWith('\n'));
  assert.ok(csv.includes('"has,comma"'));
  assert.ok(csv.includes('"has ""quote"""'));
  assert.ok(csv.includes('" padded "'));
  assert.ok(csv.split('\n')[1] === '1,plain,0.1', 'plain fields stay unquoted');
  const back = parse(csv, { columns: true }) as unknown as Record<string, string>[];
  assert.equal(back.length, rows.length);
  rows.forEach((row, i) => {
    assert.equal(back[i].label, row[1]);
    assert.equal(back[i].value, row[2] === null ? '' : String(row[2]));
  });
  assert.equal(Number(back[1].value), -2.5e-8, 'numbers keep full precision');
});
