// data.futureFeatures: each row also carries the known-future columns `horizon` rows later, from the series' own
// rows or, past its last observed target, from the future rows; the config and the file are checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../src/data/load.js';
import type { ForecastDataset } from '../../src/data/types.js';
import { forecastDataSchema } from '../../src/config/schema.js';
import { csv, forecastCfg, loadForecastText, rejectsWith, writeCsv } from './helpers.js';

/** Two series (a, b) of 40 hours; load = 100·series + t, temp = t + 0.5, a holiday every 5th hour. */
function rows(future = 0, blank?: { series: string; step: number }) {
  const out: (string | number)[][] = [];
  for (const [s, name] of ['a', 'b'].entries())
    for (let t = 0; t < 40 + future; t++) {
      const hour = `2024-01-0${1 + Math.floor(t / 24)}T${String(t % 24).padStart(2, '0')}:00`;
      const isFuture = t >= 40;
      const temp = blank && blank.series === name && t === 40 + blank.step - 1 ? '' : t + 0.5;
      out.push([name, hour, isFuture ? '' : 100 * (s + 1) + t, temp, t % 5 === 0 ? 'yes' : 'no']);
    }
  return csv('id,time,load,temp,holiday', out);
}

const cfg = (o: Record<string, unknown> = {}) =>
  forecastCfg({
    seriesId: 'id',
    time: 'time',
    features: ['load'],
    targets: ['load'],
    categorical: ['holiday'],
    futureFeatures: ['temp', 'holiday'],
    window: 4,
    horizon: 3,
    normalize: 'none',
    windowLevel: 'absolute',
    scaleBy: 'global',
    split: { train: 0.5, val: 0.25, test: 0.25 },
    ...o,
  });

/** Each window of a split: its inputs [window, features] as rows. */
function windowRows(ds: ForecastDataset, split: 'train' | 'test') {
  const s = ds.splits[split];
  const b = s.batch(Array.from({ length: s.size }, (_, i) => i));
  const f = b.features;
  return Array.from({ length: s.size }, (_, i) =>
    Array.from({ length: b.steps }, (_, r) =>
      Array.from(b.x.subarray((i * b.steps + r) * f, (i * b.steps + r + 1) * f)),
    ),
  );
}

test('each row holds the future columns `horizon` rows later, named feature[t+h]; the linear baseline gets them too', async () => {
  const ds = await loadForecastText(rows(), cfg());
  assert.deepEqual(ds.featureNames, [
    'load',
    'holiday=yes',
    'holiday=no',
    'temp[t+3]',
    'holiday[t+3]=yes',
    'holiday[t+3]=no',
  ]);
  const future = ds.fitted.forecast?.future;
  assert.equal(future?.shift, 3);
  for (const w of windowRows(ds, 'train'))
    for (const row of w) {
      // load = 100·(s+1) + t, so the row's own t is known: temp three rows later is t + 3.5, its holiday t + 3
      const t = row[0] % 100;
      const scaled = (t + 3.5 - future.scaler.offset[0]) / future.scaler.scale[0];
      assert.ok(Math.abs(row[3] - scaled) < 1e-4, `temp[t+3] of row t=${t}: ${row[3]}`);
      assert.deepEqual(row.slice(4), (t + 3) % 5 === 0 ? [1, 0] : [0, 1], `holiday[t+3] of row t=${t}`);
    }
  // the linear baseline reads the same inputs (the batch as windowLevel absolute)
  const s = ds.splits.test;
  assert.equal(s.absoluteBatch([0]).features, ds.featureNames.length);
});

test('rows after the last observed target are future rows: not trained on, read for the last windows', async () => {
  const withFuture = await loadForecastText(rows(3), cfg());
  const without = await loadForecastText(rows(), cfg());
  assert.equal(withFuture.summary.rows, without.summary.rows, 'the future rows are not series rows');
  assert.deepEqual(withFuture.forecast.futureRows, [3, 3]);
  assert.equal(withFuture.splits.train.size, without.splits.train.size);
  // to predict: the last window of each series reads the future rows' temp (t = 40, 41, 42)
  const { dir } = writeCsv('data.csv', rows(3));
  const predict = await loadDataset(cfg(), { baseDir: dir, seed: 1, fitted: without.fitted, inputsOnly: true });
  assert.equal(predict.task, 'forecast');
  const info = predict.forecast;
  const width = info.series.features;
  const scaler = without.fitted.forecast!.future!.scaler;
  for (const [, end] of info.seriesBounds) {
    const lastRow = Array.from(info.series.x.subarray((end - 1) * width, end * width));
    assert.ok(
      Math.abs(lastRow[3] - (42.5 - scaler.offset[0]) / scaler.scale[0]) < 1e-4,
      `step 3's temp: ${lastRow[3]}`,
    );
  }
});

test('to predict, the future rows must hold the future values: an empty one is named by line and column', async () => {
  const trained = await loadForecastText(rows(), cfg());
  const predictFrom = (text: string) => {
    const { dir } = writeCsv('data.csv', text);
    return loadDataset(cfg(), { baseDir: dir, seed: 1, fitted: trained.fitted, inputsOnly: true });
  };
  // fewer future rows than the horizon load (a forecast from an earlier row needs fewer): lstm-predict checks them
  const short = await predictFrom(rows(2));
  assert.equal(short.task, 'forecast');
  assert.deepEqual(short.forecast.futureRows, [2, 2]);
  const e = await rejectsWith(
    predictFrom(rows(3, { series: 'b', step: 2 })),
    'column "temp": expected the future value of step 2 of series "b", found an empty cell',
  );
  // series b's rows come after a's 43: its step 2 is data row 43 + 41 = 84, line 86, temp the 4th column
  assert.match(e.message, /data\.csv:86:4:/);
});

test('the config: a target is no future feature, and the window must hold the horizon', () => {
  const problems = (o: Record<string, unknown>) => {
    const r = forecastDataSchema.safeParse({ task: 'forecast', path: 'd.csv', targets: ['load'], ...o });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(problems({ futureFeatures: ['load'] }), [
    'futureFeatures.0: expected a column other than the targets, got "load": a target\'s future is what is forecast',
  ]);
  assert.match(
    problems({ futureFeatures: ['temp'], window: 2, horizon: 3 })[0],
    /^window: expected at least the horizon \(3\)/,
  );
  assert.deepEqual(problems({ futureFeatures: ['temp'], window: 3, horizon: 3 }), []);
});

test('future rows: every value filled (categorical too), no series without observed targets, none counted as dropped', async () => {
  const withFuture = await loadForecastText(rows(3), cfg());
  assert.equal(withFuture.summary.droppedRows, 0, 'future rows are not rows dropped for empty cells');
  const blankHoliday = rows(3).replace(/\n(b,2024-01-02T17:00,,41\.5,)no\n/, '\n$1\n');
  assert.ok(blankHoliday !== rows(3), "the holiday of b's step 2 blanked");
  await rejectsWith(
    loadForecastText(blankHoliday, cfg()),
    'column "holiday": expected the future value of step 2 of series "b", found an empty cell',
  );
  const noTargets = rows()
    .split('\n')
    .map((l) => (l.startsWith('b,') ? l.replace(/^(b,[^,]+,)[^,]*,/, '$1,') : l))
    .join('\n');
  await rejectsWith(
    loadForecastText(noTargets, cfg()),
    'series "b": expected rows with load before the future rows, found none',
  );
  const problems = forecastDataSchema.safeParse({
    task: 'forecast',
    path: 'd.csv',
    targets: ['load'],
    futureFeatures: ['temp'],
    missing: 'drop',
  });
  assert.equal(problems.success, false);
  assert.match(problems.error.issues[0].message, /a dropped row would move the known-future values/);
});
