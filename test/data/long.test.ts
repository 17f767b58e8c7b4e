import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCfg, csv, loadText, rejectsWith } from './helpers.js';

// Sequences of different lengths, rows shuffled in the file; x = 10 * seq + step, so every cell is recognisable.
const lengths = [3, 1, 2, 3, 2, 1];
const labelOf = (s: number) => (s % 2 === 0 ? 'even' : 'odd');
const steps = lengths.flatMap((len, s) =>
  Array.from({ length: len }, (_, t) => [`s${s}`, t, 10 * s + t, -t, labelOf(s)]),
);
const shuffled = [...steps].reverse(); // later steps come first in the file: the order column must put them back
const cfg = (o: Record<string, unknown> = {}) =>
  classifyCfg({
    layout: 'long',
    sequenceId: 'seq',
    orderBy: 'step',
    normalize: 'none',
    split: { train: 0.5, val: 0.5, test: 0 },
    ...o,
  });

test('long layout: sequences ordered by orderBy, padded at the end with zeros, with a mask', async () => {
  const ds = await loadText(csv('seq,step,x,y,label', shuffled), cfg());
  assert.equal(ds.masked, true);
  assert.equal(ds.steps, 3);
  assert.deepEqual(ds.featureNames, ['x', 'y']); // seq, step and label are not features
  assert.deepEqual(ds.fitted.classes, ['even', 'odd']);
  // Ids in order of first appearance in the (reversed) file.
  assert.deepEqual(ds.splits.all.ids, ['s5', 's4', 's3', 's2', 's1', 's0']);
  const b = ds.splits.all.batch([1, 4, 2]); // s4 (2 steps), s1 (1 step), s3 (3 steps)
  assert.deepEqual(Array.from(b.x), [40, 0, 41, -1, 0, 0, 10, 0, 0, 0, 0, 0, 30, 0, 31, -1, 32, -2]);
  assert.deepEqual(Array.from(b.mask!), [1, 1, 0, 1, 0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(b.y), [0, 1, 1]);
  assert.equal(ds.summary.rows, steps.length);
});

test('without orderBy, file order is time order; the order column is then an ordinary feature', async () => {
  const ds = await loadText(csv('seq,step,x,y,label', steps), cfg({ orderBy: undefined, features: ['x'] }));
  assert.deepEqual(Array.from(ds.splits.all.batch([0]).x), [0, 1, 2]);
  const all = await loadText(csv('seq,step,x,y,label', steps), cfg({ orderBy: undefined }));
  assert.deepEqual(all.featureNames, ['step', 'x', 'y']);
});

test('padding is ignored when fitting the scaler, and stays 0 after scaling', async () => {
  const ds = await loadText(csv('seq,step,x,y,label', steps), cfg({ normalize: 'minmax', features: ['x'] }));
  const train = new Set(ds.splits.train.ids);
  const xs = steps.filter((r) => train.has(r[0] as string)).map((r) => r[2] as number);
  assert.equal(ds.fitted.featureScaler.offset[0], Math.min(...xs));
  assert.equal(ds.fitted.featureScaler.scale[0], Math.max(...xs) - Math.min(...xs));
  const z = await loadText(csv('seq,step,x,y,label', steps), cfg({ normalize: 'zscore', features: ['x'] }));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(
    mean > 0 && Math.abs(z.fitted.featureScaler.offset[0] - mean) < 1e-12,
    'padding zeros would pull the mean down',
  );
  const b = z.splits.all.batch([z.splits.all.ids.indexOf('s1')]); // one real step, two padding steps
  assert.ok(Math.abs(b.x[0] - (10 - mean) / z.fitted.featureScaler.scale[0]) < 1e-5);
  assert.deepEqual(Array.from(b.x.subarray(1)), [0, 0]);
});

test('a label that changes within a sequence is a DataError naming the line', async () => {
  const bad = steps.map((r, i) => (i === 2 ? [r[0], r[1], r[2], r[3], 'odd'] : r)); // s0 step 2, file line 4
  await rejectsWith(
    loadText(csv('seq,step,x,y,label', bad), cfg()),
    'data.csv:4:5: ',
    'sequence "s0"',
    'expected the same label on every row ("even", as on line 2)',
    'found "odd"',
  );
});
