import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest } from '../../src/data/columns.js';
import { classifyCfg, csv, forecastCfg, loadText, rejectsWith } from './helpers.js';

const series = (n: number, bad?: [number, string]) =>
  csv(
    't,value,aux',
    Array.from({ length: n }, (_, i) => [i, bad && bad[0] === i ? bad[1] : i * 0.5, i % 3]),
  );

test('a non-numeric cell names file:line:column, the column, and the value', async () => {
  // Data row 5 is file line 6; "value" is the 2nd column.
  const e = await rejectsWith(
    loadText(series(40, [4, 'abc']), forecastCfg({ targets: ['value'], features: ['value', 'aux'], window: 4 })),
    'data.csv:6:2: ',
    'column "value"',
    'expected a number',
    'found "abc"',
  );
  assert.match(e.where, /data\.csv:6:2$/);
});

test('a non-numeric cell in a wide classify row names its cell', async () => {
  const text = csv('x_0,x_1,label', [
    [1, 2, 'a'],
    [3, 'oops', 'b'],
    [5, 6, 'a'],
    [7, 8, 'b'],
  ]);
  await rejectsWith(
    loadText(text, classifyCfg({ steps: 2, features: ['x'] })),
    'data.csv:3:2: ',
    'column "x_1"',
    'found "oops"',
  );
});

test("a missing column is named, with the file's columns and a did-you-mean", async () => {
  await rejectsWith(
    loadText(series(40), forecastCfg({ targets: ['valeu'], window: 4 })),
    'data.csv:1: ',
    'target column "valeu"',
    'did you mean "value"?',
    't, value, aux',
  );
  const e = await rejectsWith(
    loadText(series(40), forecastCfg({ targets: ['value'], features: ['zzz'], window: 4 })),
    'feature column "zzz"',
  );
  assert.ok(!e.message.includes('did you mean'));
  const long = csv('seq,x,label', [
    ['s1', 1, 'a'],
    ['s1', 2, 'a'],
  ]);
  await rejectsWith(
    loadText(long, classifyCfg({ layout: 'long', sequenceId: 'sequence' })),
    'sequence id column "sequence"',
    'did you mean "seq"?',
  );
  await rejectsWith(
    loadText(long, classifyCfg({ layout: 'long', sequenceId: 'seq', label: 'class' })),
    'label column "class"',
  );
});

test('closest finds near names only', () => {
  assert.equal(closest('Value', ['t', 'value']), 'value');
  assert.equal(closest('temperature', ['t', 'temprature']), 'temprature');
  assert.equal(closest('abc', ['xyz', 'value']), undefined);
});
