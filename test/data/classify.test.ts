import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classList } from '../../src/data/classify.js';
import { loadDataset } from '../../src/data/load.js';
import { classifyCfg, csv, loadText, rejectsWith, writeCsv } from './helpers.js';

test('classes are sorted unique labels; numeric labels sort numerically', () => {
  assert.deepEqual(classList(['b', 'a', 'B', 'a']), ['B', 'a', 'b']);
  assert.deepEqual(classList(['10', '2', '-1', '2']), ['-1', '2', '10']);
  assert.deepEqual(classList(['10', '2', 'x']), ['10', '2', 'x']);
});

// 40 sequences of 2 steps, 3 classes with numeric labels.
const rows = Array.from({ length: 40 }, (_, i) => [i, i * i, ['10', '2', '7'][i % 3]]);
const text = csv('x_0,x_1,label', rows);

test('labels map to class indices; summary counts classes per split', async () => {
  const ds = await loadText(text, classifyCfg({ steps: 2 }), { seed: 3 });
  assert.deepEqual(ds.fitted.classes, ['2', '7', '10']);
  assert.equal(ds.outputSize, 3);
  const b = ds.splits.all.batch([0, 1, 2]);
  assert.deepEqual(Array.from(b.y), [2, 0, 1]);
  assert.ok(b.y instanceof Int32Array);
  const counts = ds.summary.classCounts!;
  for (const c of ds.fitted.classes)
    assert.equal(counts.train[c] + counts.val[c] + counts.test[c], rows.filter((r) => r[2] === c).length);
  assert.deepEqual(ds.summary.sizes, {
    train: ds.splits.train.size,
    val: ds.splits.val.size,
    test: ds.splits.test.size,
  });
  assert.equal(ds.splits.train.size + ds.splits.val.size + ds.splits.test.size, 40);
});

test('with fitted transforms: same data and seed reproduce the exact splits; nothing is refitted', async () => {
  const first = await loadText(text, classifyCfg({ steps: 2 }), { seed: 9 });
  const fitted = { featureScaler: first.fitted.featureScaler, classes: first.fitted.classes };
  const again = await loadText(text, classifyCfg({ steps: 2 }), { seed: 9, fitted });
  for (const part of ['train', 'val', 'test', 'all'] as const)
    assert.deepEqual(again.splits[part].ids, first.splits[part].ids, part);
  assert.deepEqual(again.splits.test.batch([0, 1]), first.splits.test.batch([0, 1]));
  const other = await loadText(text, classifyCfg({ steps: 2 }), { seed: 10 });
  assert.notDeepEqual(other.splits.test.ids, first.splits.test.ids);

  // New data with only some classes (and too few for a fresh split) still loads under the stored classes.
  const small = csv('x_0,x_1,label', [
    [1, 1, '7'],
    [2, 4, '7'],
    [3, 9, '2'],
  ]);
  const ds = await loadText(small, classifyCfg({ steps: 2 }), { seed: 9, fitted });
  assert.deepEqual(ds.fitted.classes, ['2', '7', '10']);
  assert.deepEqual(Array.from(ds.splits.all.batch([0, 1, 2]).y), [1, 1, 0]);
  assert.equal(ds.fitted.featureScaler, first.fitted.featureScaler);
});

test('a label not seen in training is a DataError at its cell', async () => {
  const fitted = {
    featureScaler: { kind: 'none' as const, columns: ['x'], offset: [0], scale: [1] },
    classes: ['2', '7', '10'],
  };
  const bad = csv('x_0,x_1,label', [
    [1, 1, '7'],
    [2, 4, '3'],
    [3, 9, '2'],
  ]);
  const { path } = writeCsv('new.csv', bad);
  await rejectsWith(
    loadDataset(classifyCfg({ steps: 2 }), { baseDir: '/nowhere', seed: 1, fitted, pathOverride: path }),
    'new.csv:3:3: ',
    'expected a label the model was trained on ("2", "7", "10")',
    'found "3"',
  );
});

test('with fitted transforms the feature columns come from the stored scaler', async () => {
  const fitted = {
    featureScaler: { kind: 'none' as const, columns: ['y'], offset: [0], scale: [1] },
    classes: ['2', '7', '10'],
  };
  await rejectsWith(loadText(text, classifyCfg({ steps: 2 }), { fitted }), 'data.csv:1: ', 'column "y_0"');
});
