import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCfg, csv, forecastCfg, loadText, rejectsWith } from './helpers.js';

// 12 rows; row 3 (file line 5) has an empty "a".
const rows = Array.from({ length: 12 }, (_, i) => [i, i === 3 ? '' : 10 * i]);
const text = csv('t,a', rows);
const cfg = (missing: string) =>
  forecastCfg({
    targets: ['a'],
    features: ['a'],
    window: 2,
    horizon: 1,
    split: { train: 0.5, val: 0.5, test: 0 },
    normalize: 'none',
    windowLevel: 'absolute',
    missing,
  });

test('missing: error stops at the empty cell with file:line:column', async () => {
  await rejectsWith(
    loadText(text, cfg('error')),
    'data.csv:5:2: ',
    'column "a"',
    'expected a number, found an empty cell',
  );
});

test('missing: drop removes the row; ids stay the file data-row index', async () => {
  const ds = await loadText(text, cfg('drop'));
  assert.equal(ds.summary.rows, 11);
  assert.equal(ds.summary.droppedRows, 1);
  // Kept rows 0,1,2,4,...,11: the series splits 6/5. The window ending at kept row 2 (data row 2) reads 10, 20.
  assert.deepEqual(ds.splits.train.ids, [1, 2, 4, 5]);
  assert.deepEqual(Array.from(ds.splits.train.batch([2]).x), [20, 40]); // rows 2 and 4: row 3 is gone
  assert.deepEqual(Array.from(ds.splits.train.batch([1]).y), [40]);
});

test('missing: ffill carries the previous value forward', async () => {
  const ds = await loadText(text, cfg('ffill'));
  assert.equal(ds.summary.droppedRows, 0);
  assert.deepEqual(Array.from(ds.splits.train.batch([2]).x), [20, 20]); // rows 2, 3 (filled from row 2)
});

test('missing: ffill with nothing before is an error', async () => {
  const first = csv(
    't,a',
    Array.from({ length: 12 }, (_, i) => [i, i === 0 ? '' : i]),
  );
  await rejectsWith(loadText(first, cfg('ffill')), 'data.csv:2:2: ', 'no earlier value to carry forward');
});

test('wide layout: ffill carries from the previous step of the same row; drop drops the row', async () => {
  const wide = csv('x_0,x_1,x_2,label', [
    [1, '', 3, 'a'],
    [4, 5, 6, 'b'],
    [7, 8, 9, 'a'],
    [1, 2, 3, 'b'],
    ['', 2, 3, 'a'],
    [2, 2, 2, 'b'],
    [3, 3, 3, 'a'],
    [4, 4, 4, 'a'],
  ]);
  const c = (missing: string) =>
    classifyCfg({ steps: 3, normalize: 'none', missing, split: { train: 0.5, val: 0.5, test: 0 } });
  await rejectsWith(loadText(wide, c('ffill')), 'data.csv:6:1: ', 'no earlier value');
  await rejectsWith(loadText(wide, c('error')), 'data.csv:2:2: ', 'column "x_1"', 'empty cell');
  const dropped = await loadText(wide, c('drop'));
  assert.equal(dropped.splits.all.size, 6);
  assert.deepEqual(dropped.splits.all.ids, [1, 2, 3, 5, 6, 7]);
  const noFirstGap = wide.replace('\n,2,3,a', '\n0,2,3,a');
  const filled = await loadText(noFirstGap, c('ffill'));
  assert.deepEqual(Array.from(filled.splits.all.batch([0]).x), [1, 1, 3]);
});

test('long layout: ffill stays within a sequence; an empty label drops its row or stops', async () => {
  const long = csv('seq,step,x,label', [
    ['s1', 0, 1, 'a'],
    ['s1', 1, '', 'a'],
    ['s2', 0, '', 'b'],
    ['s2', 1, 2, 'b'],
    ['s3', 0, 3, 'a'],
    ['s3', 1, 3, 'a'],
    ['s4', 0, 4, 'b'],
  ]);
  const c = (missing: string) =>
    classifyCfg({
      layout: 'long',
      sequenceId: 'seq',
      orderBy: 'step',
      normalize: 'none',
      missing,
      split: { train: 0.5, val: 0.5, test: 0 },
    });
  await rejectsWith(loadText(long, c('ffill')), 'data.csv:4:3: ', 'no earlier value'); // s2 starts empty: not filled from s1
  const dropped = await loadText(long, c('drop'));
  assert.deepEqual(Array.from(dropped.splits.all.batch([0, 1]).mask!), [1, 0, 1, 0]);
  assert.deepEqual(Array.from(dropped.splits.all.batch([1]).x), [2, 0]); // s2 keeps only its step 1
  const emptyLabel = csv('seq,x,label', [
    ['s1', 1, 'a'],
    ['s1', 2, ''],
    ['s2', 1, 'b'],
    ['s3', 1, 'a'],
    ['s4', 1, 'b'],
  ]);
  const c2 = (missing: string) =>
    classifyCfg({ layout: 'long', sequenceId: 'seq', missing, split: { train: 0.5, val: 0.5, test: 0 } });
  await rejectsWith(loadText(emptyLabel, c2('ffill')), 'data.csv:3:3: ', 'column "label"', 'expected a value');
  assert.equal((await loadText(emptyLabel, c2('drop'))).summary.droppedRows, 1);
});

test("NA, NaN, null and N/A are missing values as an empty cell is (data.naValues, pandas' by default)", async () => {
  for (const token of ['NA', 'NaN', 'null', 'N/A', ' NULL ']) {
    const withToken = csv(
      't,a',
      rows.map(([t, a]) => [t, a === '' ? token : a]),
    );
    await rejectsWith(loadText(withToken, cfg('error')), 'data.csv:5:2: ', 'column "a"', 'found an empty cell');
    const dropped = await loadText(withToken, cfg('drop'));
    assert.equal(dropped.summary.droppedRows, 1, token);
    const filled = await loadText(withToken, cfg('ffill'));
    assert.deepEqual(Array.from(filled.splits.train.batch([2]).x), [20, 20], token);
  }
  // a token of the user's own, and none but the empty cell
  const own = csv(
    't,a',
    rows.map(([t, a]) => [t, a === '' ? '-999' : a]),
  );
  const dropped = await loadText(own, forecastCfg({ ...cfg('drop'), naValues: ['-999'] }));
  assert.equal(dropped.summary.droppedRows, 1);
  const strict = csv(
    't,a',
    rows.map(([t, a]) => [t, a === '' ? 'NA' : a]),
  );
  await rejectsWith(loadText(strict, forecastCfg({ ...cfg('drop'), naValues: [] })), 'expected a number, found "NA"');
});
