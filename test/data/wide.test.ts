import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCfg, csv, loadText, rejectsWith } from './helpers.js';

const labels = ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'];
const none = { normalize: 'none', split: { train: 0.5, val: 0.25, test: 0.25 } };

test('named columns <feature>_<t> in any order become time-major steps', async () => {
  // Columns deliberately out of order; row i holds p_t = 10 i + t, q_t = -(10 i + t).
  const header = 'q_1,label,p_0,id,q_0,p_2,p_1,q_2';
  const rows = labels.map((l, i) => [
    -(10 * i + 1),
    l,
    10 * i,
    `r${i}`,
    -10 * i,
    10 * i + 2,
    10 * i + 1,
    -(10 * i + 2),
  ]);
  const ds = await loadText(csv(header, rows), classifyCfg({ steps: 3, ...none }));
  assert.deepEqual(ds.featureNames, ['q', 'p']); // bases in order of first appearance (q_1 comes first)
  const b = ds.splits.all.batch([3]);
  assert.deepEqual([b.steps, b.features], [3, 2]);
  assert.deepEqual(Array.from(b.x), [-30, 30, -31, 31, -32, 32]);
  assert.deepEqual(Array.from(b.y), [1]);
  assert.equal(b.mask, undefined);
  assert.deepEqual(ds.splits.all.ids, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(ds.masked, false);

  const listed = await loadText(csv(header, rows), classifyCfg({ steps: 3, features: ['p', 'q'], ...none }));
  assert.deepEqual(Array.from(listed.splits.all.batch([3]).x), [30, -30, 31, -31, 32, -32]);
});

test('without the naming pattern: all non-label numeric columns, time-major, count a multiple of steps', async () => {
  const rows = labels.map((l, i) => [i, 100 + i, i + 0.5, 100.5 + i, l]); // u0, v0, u1, v1
  const ds = await loadText(csv('u,v,w,z,label', rows), classifyCfg({ steps: 2, ...none }));
  assert.deepEqual(ds.featureNames, ['u', 'v']);
  assert.deepEqual(Array.from(ds.splits.all.batch([2]).x), [2, 102, 2.5, 102.5]);
});

test('when neither way fits, the error says what was expected and what was found', async () => {
  const rows = labels.map((l, i) => [i, i, i, l]);
  await rejectsWith(
    loadText(csv('u,v,w,label', rows), classifyCfg({ steps: 2 })),
    'data.csv:1: ',
    'named <feature>_<step> with step 0..1',
    'multiple of steps=2',
    'found 3 numeric columns: u, v, w',
  );
  const named = labels.map((l, i) => [i, i, l]);
  await rejectsWith(
    loadText(csv('x_0,x_1,label', named), classifyCfg({ steps: 3, features: ['x'] })),
    'data.csv:1: ',
    'column "x_2"',
  );
});

test('the scaler is fitted on the training rows only, over all steps', async () => {
  // Values grow with the row, so train-only statistics differ from all-row ones.
  const rows = labels.map((l, i) => [i, 2 * i, l]);
  const ds = await loadText(
    csv('x_0,x_1,label', rows),
    classifyCfg({ steps: 2, split: { train: 0.5, val: 0.25, test: 0.25 } }),
    { seed: 5 },
  );
  const train = ds.splits.train.ids as number[];
  const values = train.flatMap((i) => [i, 2 * i]);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(ds.fitted.featureScaler.offset[0] - mean) < 1e-12);
  assert.notEqual(ds.fitted.featureScaler.offset[0], 5.25); // the mean of all 8 rows
});
