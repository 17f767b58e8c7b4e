import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../src/data/load.js';
import { inverseScaler } from '../../src/data/scaler.js';
import { csv, forecastCfg, loadForecastText, loadText, rejectsWith, writeCsv } from './helpers.js';

// A tiny series whose values identify their row: a = 1.5 i + 1, b = i² mod 7, c = -i.
const N = 20;
const a = (i: number) => 1.5 * i + 1;
const b = (i: number) => (i * i) % 7;
const c = (i: number) => -i;
const tiny = csv(
  't,a,b,c',
  Array.from({ length: N }, (_, i) => [i, a(i), b(i), c(i)]),
);
const cfg = (o: Record<string, unknown> = {}) =>
  forecastCfg({
    features: ['a', 'b'],
    targets: ['a'],
    window: 3,
    horizon: 2,
    split: { train: 0.5, val: 0.25, test: 0.25 },
    normalize: 'none',
    windowLevel: 'absolute',
    ...o,
  });

test('windows and targets are exactly the rows they should be (hand-indexed)', async () => {
  const ds = await loadForecastText(tiny, cfg());
  // Segments: train rows 0..9, val 10..14, test 15..19. A window ending at row e reads rows e-2..e, targets rows
  // e+1 and e+2 (horizon 2: every step ahead up to it), lead by lead.
  assert.deepEqual(ds.splits.train.ids, [2, 3, 4, 5, 6, 7]);
  assert.deepEqual(ds.splits.val.ids, [12]);
  assert.deepEqual(ds.splits.test.ids, [17]);
  assert.deepEqual(
    ds.splits.all.ids,
    Array.from({ length: N - 4 }, (_, k) => k + 2),
  );
  const batch = ds.splits.train.batch([4, 0]);
  assert.equal(batch.batchSize, 2);
  assert.equal(batch.steps, 3);
  assert.equal(batch.features, 2);
  const expectX = [6, 2].flatMap((e) => [e - 2, e - 1, e].flatMap((r) => [a(r), b(r)]));
  assert.deepEqual(Array.from(batch.x), expectX);
  assert.deepEqual(Array.from(batch.y), [a(7), a(8), a(3), a(4)]);
  assert.deepEqual(Array.from(ds.splits.test.batch([0]).y), [a(18), a(19)]);
  assert.deepEqual(Array.from(ds.splits.val.ends), [12]);
  assert.deepEqual(ds.forecast.leads, [1, 2]);
  assert.equal(ds.steps, 3);
  assert.equal(ds.outputSize, 2, 'leads × targets');
  assert.equal(ds.masked, false);
  assert.deepEqual(ds.summary.sizes, { train: 6, val: 1, test: 1 });
});

test('no window input or target crosses a split boundary', async () => {
  const rows = Array.from({ length: 157 }, (_, i) => [Math.sin(i), Math.cos(i / 3)]);
  const ds = await loadText(csv('u,v', rows), forecastCfg({ targets: ['u'], window: 7, horizon: 3 }));
  // 0.7 / 0.85 of 157 rows: train 0..109, val 110..133, test 134..156.
  const segments = { train: [0, 110], val: [110, 133], test: [133, 157] } as const;
  for (const part of ['train', 'val', 'test'] as const) {
    const [start, end] = segments[part];
    const ids = ds.splits[part].ids as number[];
    assert.equal(ids.length, end - start - 7 - 3 + 1, part);
    for (const e of ids) assert.ok(e - 6 >= start && e + 3 < end, `${part} window ending at ${e}`);
  }
});

test('default features are the targets and the other numeric columns, less a time index; targets may be listed', async () => {
  const withText = csv('t,a,b,name', [
    [0, 1, 2, 'x'],
    ...Array.from({ length: 30 }, (_, i) => [i + 1, (i * 7) % 5, i * 2, 'y']),
  ]);
  const ds = await loadText(withText, forecastCfg({ targets: ['b'], window: 2 }));
  assert.deepEqual(ds.featureNames, ['b', 'a'], 't counts up on every row: left out');
  assert.deepEqual(ds.targetNames, ['b']);
  const both = await loadText(tiny, cfg({ features: ['a', 'c'], targets: ['a', 'c'] }));
  assert.deepEqual(both.featureNames, ['a', 'c']);
  assert.deepEqual(Array.from(both.splits.train.batch([0]).y), [a(3), c(3), a(4), c(4)]);
});

test('scalers are fitted on the training rows only, and the target has its own', async () => {
  const ds = await loadText(tiny, cfg({ normalize: 'zscore' }));
  const train = Array.from({ length: 10 }, (_, i) => i);
  const mean = (f: (i: number) => number) => train.reduce((s, i) => s + f(i), 0) / train.length;
  const std = (f: (i: number) => number) =>
    Math.sqrt(train.reduce((s, i) => s + (f(i) - mean(f)) ** 2, 0) / train.length);
  assert.deepEqual(ds.fitted.featureScaler.columns, ['a', 'b']);
  assert.ok(Math.abs(ds.fitted.featureScaler.offset[0] - mean(a)) < 1e-12);
  assert.ok(Math.abs(ds.fitted.featureScaler.scale[1] - std(b)) < 1e-12);
  assert.deepEqual(ds.fitted.targetScaler!.columns, ['a']);
  assert.ok(Math.abs(ds.fitted.targetScaler!.offset[0] - mean(a)) < 1e-12, 'not the mean of all rows');
  const batch = ds.splits.test.batch([0]); // window rows 15..17, target rows 18, 19: outside the fitted rows
  assert.ok(Math.abs(batch.x[0] - (a(15) - mean(a)) / std(a)) < 1e-5);
  assert.ok(Math.abs(batch.y[1] - (a(19) - mean(a)) / std(a)) < 1e-5);
  // Inverse scaling brings y back to original units.
  const back = inverseScaler(ds.fitted.targetScaler!, ds.splits.train.batch([0, 1, 2]).y);
  assert.deepEqual(
    Array.from(back, (v) => Math.round(v * 1e4) / 1e4),
    [a(3), a(4), a(4), a(5), a(5), a(6)],
  );

  const mm = await loadText(tiny, cfg({ normalize: 'minmax' }));
  assert.deepEqual([mm.fitted.featureScaler.offset[0], mm.fitted.featureScaler.scale[0]], [a(0), a(9) - a(0)]);
});

test('too few rows overall, or in the train or val split, say how many are needed and found', async () => {
  const rows = (n: number) =>
    csv(
      'a',
      Array.from({ length: n }, (_, i) => [i]),
    );
  await rejectsWith(
    loadText(rows(4), forecastCfg({ targets: ['a'], window: 3, horizon: 2 })),
    'data.csv',
    'expected at least 5 rows',
    'found 4',
  );
  // 20 rows, val 15% = 3 rows < 5.
  await rejectsWith(
    loadText(rows(20), forecastCfg({ targets: ['a'], window: 3, horizon: 2 })),
    'at least 5 rows',
    'val split',
    'found 3',
  );
  await rejectsWith(
    loadText(
      rows(20),
      forecastCfg({ targets: ['a'], window: 3, horizon: 2, split: { train: 0.2, val: 0.6, test: 0.2 } }),
    ),
    'at least 5 rows',
    'train split',
    'found 4',
  );
});

test('with fitted transforms the stored scalers are applied and the splits are the same', async () => {
  const first = await loadText(tiny, cfg({ normalize: 'zscore' }));
  const fitted = { featureScaler: first.fitted.featureScaler, targetScaler: first.fitted.targetScaler, classes: [] };
  // A shifted copy: were it re-fitted, the scaled values would not change; with the stored scalers they do.
  const shifted = csv(
    't,a,b,c',
    Array.from({ length: N }, (_, i) => [i, a(i) + 100, b(i), c(i)]),
  );
  const { path } = writeCsv('new.csv', shifted);
  const again = await loadDataset(cfg({ normalize: 'zscore' }), {
    baseDir: '/nonexistent',
    seed: 1,
    fitted,
    pathOverride: path,
  });
  assert.equal(again.fitted.featureScaler, first.fitted.featureScaler);
  assert.deepEqual(again.splits.test.ids, first.splits.test.ids);
  const d = again.splits.test.batch([0]).x[0] - first.splits.test.batch([0]).x[0];
  assert.ok(Math.abs(d - 100 / first.fitted.featureScaler.scale[0]) < 1e-4);
});

test('a file with only the target column forecasts it from its own past', async () => {
  const ds = await loadText(
    csv(
      'a',
      Array.from({ length: 40 }, (_, i) => [i]),
    ),
    forecastCfg({ targets: ['a'], window: 4, normalize: 'none', windowLevel: 'absolute' }),
  );
  assert.deepEqual(ds.featureNames, ['a']);
  assert.deepEqual(Array.from(ds.splits.train.batch([0]).x), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(ds.splits.train.batch([0]).y), [4]);
});
