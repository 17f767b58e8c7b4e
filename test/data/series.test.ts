// Many series in one file: windows stay inside a series, per-series splits and scalers, categories, calendar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';
import type { ForecastDataset } from '../../src/data/types.js';
import { csv, forecastCfg, loadForecastText, loadText, rejectsWith } from './helpers.js';

/** Rows of three series whose values name them: v = 1000·(series+1) + t, with a text column; rows shuffled. */
function shuffled(lengths: number[], extra: (s: number, t: number) => string = () => 'x'): string {
  const rows: (string | number)[][] = [];
  lengths.forEach((n, s) => {
    for (let t = 0; t < n; t++) rows.push([`s${s}`, t, 1000 * (s + 1) + t, extra(s, t)]);
  });
  new Rng(5).shuffle(rows);
  return csv('id,t,v,kind', rows);
}

const seriesCfg = (o: Record<string, unknown> = {}) =>
  forecastCfg({
    seriesId: 'id',
    time: 't',
    features: ['v'],
    targets: ['v'],
    window: 4,
    horizon: 2,
    normalize: 'none',
    windowLevel: 'absolute',
    scaleBy: 'global',
    ...o,
  });

/** Every window of a split as [inputs, targets], read back from the batches the loop would get. */
function windows(ds: ForecastDataset, split: 'train' | 'val' | 'test') {
  const s = ds.splits[split];
  const b = s.batch(Array.from({ length: s.size }, (_, i) => i));
  return Array.from({ length: s.size }, (_, i) => ({
    x: Array.from(b.x.subarray(i * 4, (i + 1) * 4)),
    y: Array.from(b.y.subarray(i * 2, (i + 1) * 2)),
    series: b.series?.[i],
  }));
}

test('shuffled rows: each window is consecutive rows of one series, and each split is every series’ latest part', async () => {
  const lengths = [60, 80, 50];
  const ds = await loadForecastText(shuffled(lengths), seriesCfg());
  assert.deepEqual(ds.forecast.seriesNames, ['s0', 's1', 's2']);
  assert.equal(ds.summary.series, 3);
  for (const split of ['train', 'val', 'test'] as const) {
    const seen = new Set<number>();
    for (const w of windows(ds, split)) {
      const owner = Math.floor(w.x[0] / 1000);
      const t0 = w.x[0] % 1000;
      assert.deepEqual(
        w.x,
        [0, 1, 2, 3].map((k) => 1000 * owner + t0 + k),
        `${split}: inputs ${w.x}`,
      );
      assert.deepEqual(w.y, [1000 * owner + t0 + 4, 1000 * owner + t0 + 5], `${split}: targets ${w.y}`);
      assert.equal(w.series, owner - 1, 'the batch names the series the window is cut from');
      seen.add(owner - 1);
    }
    assert.deepEqual([...seen].sort(), [0, 1, 2], `${split} holds windows of every series`);
  }
  // Chronological per series (0.7 / 0.85): a series' val and test targets come after all of its training rows.
  lengths.forEach((n, s) => {
    const own = (split: 'train' | 'val' | 'test') => windows(ds, split).filter((w) => w.series === s);
    const lastTrain = Math.max(...own('train').flatMap((w) => w.y)) % 1000;
    const firstVal = Math.min(...own('val').flatMap((w) => w.x)) % 1000;
    const firstTest = Math.min(...own('test').flatMap((w) => w.x)) % 1000;
    assert.equal(lastTrain, Math.floor(0.7 * n) - 1, `series ${s}: train ends at 70%`);
    assert.equal(firstVal, Math.floor(0.7 * n), `series ${s}: val starts where train ends`);
    assert.ok(firstTest > firstVal, `series ${s}: test is after val`);
  });
});

test('scaleBy series fits each series on its own training part; global fits one scaler on all of them', async () => {
  const text = shuffled([50, 50]);
  const per = await loadForecastText(text, seriesCfg({ normalize: 'zscore', scaleBy: 'series' }));
  const stored = per.fitted.forecast?.seriesScalers;
  assert.deepEqual(Object.keys(stored ?? {}), ['s0', 's1']);
  // Training rows are t = 0..34 of each: mean 1000(s+1) + 17.
  assert.ok(Math.abs(stored!.s0.targetScaler.offset[0] - 1017) < 1e-9);
  assert.ok(Math.abs(stored!.s1.targetScaler.offset[0] - 2017) < 1e-9);
  const global = await loadForecastText(text, seriesCfg({ normalize: 'zscore' }));
  assert.equal(global.fitted.forecast?.seriesScalers, undefined);
  assert.ok(Math.abs(global.fitted.targetScaler!.offset[0] - 1517) < 1e-9);
});

test('a series the model never saw: forecast with the global scaler, refused by name under scaleBy series', async () => {
  const train = shuffled([50, 50]);
  const fresh = csv(
    'id,t,v,kind',
    Array.from({ length: 20 }, (_, t) => ['s9', t, 9000 + t, 'x']),
  );
  const globalCfg = seriesCfg({ normalize: 'zscore' });
  const global = await loadForecastText(train, globalCfg);
  const onNew = await loadText(fresh, globalCfg, { fitted: global.fitted });
  assert.equal(onNew.task, 'forecast');
  assert.deepEqual(onNew.forecast.seriesNames, ['s9']);
  assert.deepEqual(onNew.fitted.targetScaler, global.fitted.targetScaler);
  const perCfg = seriesCfg({ normalize: 'zscore', scaleBy: 'series' });
  const per = await loadForecastText(train, perCfg);
  const e = await rejectsWith(
    loadText(fresh, perCfg, { fitted: per.fitted }),
    'data.csv',
    'series "s9" is not among those the model was trained on',
  );
  assert.match(e.suggestion ?? '', /--series/);
  assert.match(e.suggestion ?? '', /scaleBy "global"/);
});

test('a series too short for a window and the horizon in a split: an error naming it, or skipped with a note', async () => {
  const text = shuffled([60, 60, 12]);
  const e = await rejectsWith(loadText(text, seriesCfg()), 'data.csv', 'series "s2" has 12 rows', 'found 2 in val');
  assert.match(e.suggestion ?? '', /data\.shortSeries to "skip"/);
  const ds = await loadForecastText(text, seriesCfg({ shortSeries: 'skip' }));
  assert.deepEqual(ds.forecast.seriesNames, ['s0', 's1', 's2']);
  assert.equal(ds.summary.series, 2);
  assert.ok(
    ds.summary.notes?.some((n) => n.includes('1 series too short') && n.includes('s2')),
    JSON.stringify(ds.summary.notes),
  );
  for (const split of ['train', 'val', 'test'] as const) assert.ok(windows(ds, split).every((w) => w.series !== 2));
});

test('categorical: one-hot levels of the training split; an unseen level is all zeros and counted in a note', async () => {
  // Series s0's kind is "a" then "b"; in its test part (t ≥ 43 of 50) a new level "c" appears.
  const text = shuffled([50], (_, t) => (t >= 45 ? 'c' : t % 2 ? 'b' : 'a'));
  const ds = await loadForecastText(text, seriesCfg({ categorical: ['kind'] }));
  assert.deepEqual(ds.featureNames, ['v', 'kind=a', 'kind=b']);
  assert.deepEqual(ds.fitted.categories, [{ column: 'kind', levels: ['a', 'b'] }]);
  assert.ok(
    ds.summary.notes?.some((n) => n.startsWith('5 rows of kind have a level the training split does not have')),
    JSON.stringify(ds.summary.notes),
  );
  const b = ds.splits.all.batch([ds.splits.all.size - 1]); // the window ending at t = 47: rows 44..47
  assert.deepEqual(Array.from(b.x), [1044, 1, 0, 1045, 0, 0, 1046, 0, 0, 1047, 0, 0]);
});

test('a categorical column with more levels than maxCategories is an error suggesting to leave it out', async () => {
  const text = shuffled([80], (_, t) => `user${t}`);
  const e = await rejectsWith(
    loadText(text, seriesCfg({ categorical: ['kind'] })),
    'data.csv',
    'categorical column "kind" has 56 levels',
    'expected at most 50 (data.maxCategories)',
  );
  assert.match(e.suggestion ?? '', /leave "kind" out of data\.categorical/);
  const ds = await loadForecastText(text, seriesCfg({ categorical: ['kind'], maxCategories: 60 }));
  assert.equal(ds.featureNames.length, 1 + 56);
});

test('calendar: sine/cosine pairs of the time, never scaled or levelled', async () => {
  const days = Array.from({ length: 60 }, (_, d) => [
    new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10),
    d % 7,
  ]);
  const ds = await loadForecastText(
    csv('date,v', days),
    forecastCfg({
      time: 'date',
      features: ['v'],
      targets: ['v'],
      window: 7,
      calendar: ['dayOfWeek'],
      windowLevel: 'standardize',
    }),
  );
  assert.deepEqual(ds.featureNames, ['v', 'dayOfWeek_sin', 'dayOfWeek_cos']);
  const b = ds.splits.all.batch([0]); // rows 0..6: 2024-01-01 is a Monday
  for (let k = 0; k < 7; k++) {
    const weekday = (1 + k) % 7;
    assert.ok(Math.abs(b.x[k * 3 + 1] - Math.sin((2 * Math.PI * weekday) / 7)) < 1e-6);
    assert.ok(Math.abs(b.x[k * 3 + 2] - Math.cos((2 * Math.PI * weekday) / 7)) < 1e-6);
  }
});

test('data.calendar needs data.time; seriesId, categorical and calendar columns must exist', async () => {
  assert.throws(() => forecastCfg({ targets: ['v'], calendar: ['month'] }), /calendar/);
  await rejectsWith(loadText(shuffled([30]), seriesCfg({ seriesId: 'store' })), 'data.csv', 'series id', 'store');
  await rejectsWith(loadText(shuffled([30]), seriesCfg({ categorical: ['color'] })), 'categorical', 'color');
});
