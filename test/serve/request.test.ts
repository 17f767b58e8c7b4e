// request.ts and answers.ts on their own: bodies read in chunks equal one read, limits refused by name, and error
// messages clipped to a few KB whatever they quote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { clip, errorBody } from '../../src/serve/answers.js';
import { BodyError, csvRows, jsonRows, MAX_DEPTH, parseJson, TooWideError } from '../../src/serve/request.js';

test('a CSV read 32 KB at a time gives the rows of one read, quotes across the chunks included', async () => {
  const lines = Array.from({ length: 6000 }, (_, i) => `${i},"a ""quoted"", cell ${'x'.repeat(i % 50)}",${i / 7}`);
  const text = `id,note,value\n${lines.join('\r\n')}\n`;
  assert.ok(text.length > 100_000);
  const once = parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true });
  assert.deepEqual(await csvRows(text, 1000), once);
});

test('columns past the limit are a 413 that names the count; a CSV error is a body error', async () => {
  const wide = `${Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',')}\n`;
  await assert.rejects(csvRows(wide, 1000), (e) => e instanceof TooWideError && /found 1001/.test(e.message));
  await assert.rejects(jsonRows({ rows: [{ a: 1, b: 2, c: 3 }] }, 2), TooWideError);
  await assert.rejects(csvRows('a,b\n1,2,3\n', 10), (e) => e instanceof BodyError && /^CSV: /.test(e.problems[0]));
});

test('JSON nested past MAX_DEPTH is refused before it is parsed; brackets inside strings do not count', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.deepEqual(parseJson(deep(MAX_DEPTH)), JSON.parse(deep(MAX_DEPTH)));
  assert.throws(() => parseJson(deep(MAX_DEPTH + 1)), /at most 16 levels of nesting/);
  assert.deepEqual(parseJson(`{"a": "${'['.repeat(100)}\\"["}`), { a: `${'['.repeat(100)}"[` });
});

test('rows and csv together, and rows that are no objects, are named (a count past the first ten)', async () => {
  await assert.rejects(jsonRows({ rows: [{}], csv: 'a' }, 10), /expected either "rows" .* or "csv" .*, got both/);
  const error = await jsonRows({ rows: Array(25).fill(5) }, 10).catch((e: BodyError) => e);
  assert.ok(error instanceof BodyError);
  assert.equal(error.problems.length + error.omitted, 25);
  const body = errorBody(error.message, error.problems, error.omitted);
  assert.equal(body.problems!.length, 11);
  assert.equal(body.problems![10], '… and 15 more');
  assert.match(body.problems![0], /^rows\[0\]: expected an object, got 5$/);
});

test('clip quotes an excerpt of a long value and its length, and cuts the whole at 1,000 characters', () => {
  const cell = 'x'.repeat(5_000_000);
  assert.equal(
    clip(`column "value": expected a number, found "${cell}"`),
    `column "value": expected a number, found "${'x'.repeat(39)}…" (5000000 characters)`,
  );
  assert.equal(clip(`(the row has ${'k'.repeat(300)}, b)`), `(the row has ${'k'.repeat(40)}… (300 characters), b)`);
  const many = clip(Array.from({ length: 500 }, (_, i) => `"c${i}"`).join(', '));
  assert.ok(many.length < 1100 && many.endsWith('(cut at 1000 characters)'), many.slice(-80));
  assert.equal(clip('short "quoted \\" inside" stays'), 'short "quoted \\" inside" stays');
});
