import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/errors.js';
import { chronologicalSegments, stratifiedSplit } from '../../src/data/split.js';
import { classifyCfg, csv, loadText, rejectsWith } from './helpers.js';

const f = { train: 0.7, val: 0.15, test: 0.15 };

test('chronological segments cover every row once, in order', () => {
  assert.deepEqual(chronologicalSegments(100, f), { train: [0, 70], val: [70, 85], test: [85, 100] });
  assert.deepEqual(chronologicalSegments(11, { train: 0.7, val: 0.3, test: 0 }), {
    train: [0, 8],
    val: [8, 11],
    test: [11, 11],
  });
});

// 60 of class 0, 30 of class 1, 10 of class 2, interleaved.
const labels = Array.from({ length: 100 }, (_, i) => (i % 10 === 9 ? 2 : i % 3 === 0 ? 1 : 0));
const classes = ['a', 'b', 'c'];
const counts = (idx: number[]) => classes.map((_, c) => idx.filter((i) => labels[i] === c).length);

test('stratified: each class is split in the train/val/test proportions, and every index is used once', () => {
  const s = stratifiedSplit(labels, classes, f, 3, { file: 'x.csv', strict: true });
  const total = counts([...s.train, ...s.val, ...s.test]);
  total.forEach((n, c) => {
    assert.equal(counts(s.train)[c], Math.round(n * 0.7), `class ${c} train`);
    assert.equal(counts(s.train)[c] + counts(s.val)[c], Math.round(n * 0.85), `class ${c} train+val`);
  });
  assert.deepEqual(
    [...s.train, ...s.val, ...s.test].sort((x, y) => x - y),
    labels.map((_, i) => i),
  );
  for (const part of [s.train, s.val, s.test])
    assert.deepEqual(
      part,
      [...part].sort((x, y) => x - y),
      'data order',
    );
});

test('stratified: the same seed gives the same split, another seed another', () => {
  const one = stratifiedSplit(labels, classes, f, 7, { file: 'x.csv', strict: true });
  assert.deepEqual(stratifiedSplit(labels, classes, f, 7, { file: 'x.csv', strict: true }), one);
  assert.notDeepEqual(stratifiedSplit(labels, classes, f, 8, { file: 'x.csv', strict: true }).test, one.test);
});

test('stratified: a tiny class still gets one example in train and one in val', () => {
  const few = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
  const s = stratifiedSplit(few, ['a', 'b'], f, 1, { file: 'x.csv', strict: true });
  assert.deepEqual([s.train.filter((i) => few[i] === 1).length, s.val.filter((i) => few[i] === 1).length], [1, 1]);
});

test('a class too small for train and val is a DataError naming it and its count; lenient mode keeps it', () => {
  const few = [0, 0, 0, 0, 1];
  assert.throws(
    () => stratifiedSplit(few, ['a', 'b'], f, 1, { file: 'x.csv', strict: true }),
    (e: unknown) =>
      e instanceof DataError && e.message.includes('class "b" has 1 example') && e.message.startsWith('x.csv: '),
  );
  const s = stratifiedSplit(few, ['a', 'b'], f, 1, { file: 'x.csv', strict: false });
  assert.ok(s.train.includes(4));
});

test('through loadDataset: too few of a class, and a single-class label column', async () => {
  const rows = (labs: string[]) =>
    csv(
      'x_0,x_1,label',
      labs.map((l, i) => [i, i + 1, l]),
    );
  await rejectsWith(
    loadText(rows(['a', 'a', 'a', 'b', 'a']), classifyCfg({ steps: 2 })),
    'data.csv: ',
    'class "b" has 1 example',
    'at least 2',
  );
  await rejectsWith(
    loadText(rows(['a', 'a', 'a', 'a']), classifyCfg({ steps: 2 })),
    'data.csv: ',
    'expected at least 2 classes',
    'found 1 ("a")',
  );
});
