import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/load.js';
import { chronologicalSegments } from '../../src/data/split.js';
import { forecastDataSchema } from '../../src/config/schema.js';
import type { ForecastDataset } from '../../src/data/types.js';
import { csv, forecastCfg, loadForecastText, rejectsWith } from './helpers.js';

const DATA = join(import.meta.dirname, '..', '..', 'data');
const airPassengers = () =>
  readFileSync(join(DATA, 'airpassengers.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[1]));

const loadAir = async (o: Record<string, unknown> = {}) => {
  const ds = await loadDataset(
    forecastCfg({
      path: 'airpassengers.csv',
      time: 'month',
      targets: ['passengers'],
      window: 24,
      horizon: 12,
      season: 12,
      split: { val: 12, test: 12 },
      ...o,
    }),
    { baseDir: DATA, seed: 1 },
  );
  assert.equal(ds.task, 'forecast');
  return ds;
};

/** The rows a split's windows read (inputs) and forecast (targets), over all its windows. */
function rowsOf(ds: ForecastDataset, part: 'train' | 'val' | 'test') {
  const { window, leads } = ds.forecast;
  const ends = Array.from(ds.splits[part].ends);
  return {
    firstInput: Math.min(...ends) - window + 1,
    firstTarget: Math.min(...ends) + Math.min(...leads),
    lastTarget: Math.max(...ends) + Math.max(...leads),
    count: ends.length,
  };
}

test('split by counts: the last test rows of a series, the val rows before them, training the rest', () => {
  assert.deepEqual(chronologicalSegments(144, { val: 12, test: 12 }), {
    train: [0, 120],
    val: [120, 132],
    test: [132, 144],
  });
  assert.deepEqual(chronologicalSegments(144, { val: 12, test: 0 }).test, [144, 144]);
  assert.deepEqual(chronologicalSegments(10, { val: 12, test: 12 }).train, [0, 0]);
});

test('AirPassengers, the last 12 months as test: one test origin that reads the history before its split', async () => {
  const ds = await loadAir();
  assert.deepEqual(ds.summary.sizes, { train: 85, val: 1, test: 1 });
  assert.deepEqual(ds.summary.splitRows, { train: 120, val: 12, test: 12 });
  const test_ = rowsOf(ds, 'test');
  assert.deepEqual([test_.firstTarget, test_.lastTarget, test_.firstInput], [132, 143, 108]);
  const val = rowsOf(ds, 'val');
  assert.deepEqual([val.firstTarget, val.lastTarget, val.firstInput], [120, 131, 96]);
  // the test window's targets are exactly the file's last 12 months
  const y = Array.from(ds.forecast.targetRaw.subarray(132, 144));
  assert.deepEqual(y, airPassengers().slice(132));
  assert.match(
    ds.summary.notes!.join('\n'),
    /data\.split by rows: each val and test window forecasts rows of its split/,
  );
});

test('no target of a val or test window was ever trained on, and the scalers saw the training rows only', async () => {
  const ds = await loadAir({ window: 12, horizon: 6, split: { val: 18, test: 12 } });
  const train = rowsOf(ds, 'train');
  const val = rowsOf(ds, 'val');
  const test_ = rowsOf(ds, 'test');
  assert.ok(train.lastTarget < 144 - 30, `train targets end at ${train.lastTarget}`);
  assert.equal(val.firstTarget, 114);
  assert.ok(val.lastTarget < 132 && test_.firstTarget === 132 && test_.lastTarget === 143);
  assert.equal(val.count, 18 - 6 + 1);
  assert.equal(test_.count, 12 - 6 + 1);
  const trainRows = airPassengers().slice(0, 114);
  const mean = trainRows.reduce((a, b) => a + b, 0) / trainRows.length;
  assert.ok(Math.abs(ds.fitted.targetScaler!.offset[0] - mean) < 1e-9, "the target scaler is the training rows'");
});

test('each series of a file is split by its own last rows', async () => {
  const rows = [
    ...Array.from({ length: 40 }, (_, i) => ['a', i, Math.sin(i)]),
    ...Array.from({ length: 30 }, (_, i) => ['b', i, Math.cos(i)]),
  ];
  const ds = await loadForecastText(
    csv('id,t,v', rows),
    forecastCfg({ seriesId: 'id', time: 't', targets: ['v'], window: 4, horizon: 2, split: { val: 5, test: 3 } }),
  );
  assert.deepEqual(ds.summary.splitRows, { train: 32 + 22, val: 10, test: 6 });
  assert.deepEqual(ds.summary.sizes, { train: 32 - 5 + 22 - 5, val: 2 * 4, test: 2 * 2 });
});

test('a count split the series cannot hold is refused with the field and the numbers', async () => {
  await rejectsWith(
    loadAir({ split: { val: 100, test: 30 } }),
    'data.split: expected at least 36 rows (window 24 + horizon 12) in the train split, found 14',
    '144 rows less data.split.val 100 and data.split.test 30',
  );
  await rejectsWith(loadAir({ split: { val: 200, test: 12 } }), 'in the train split, found 0');
  await rejectsWith(
    loadAir({ split: { val: 6, test: 12 } }),
    'data.split: expected at least 12 rows (the horizon) in the val split, found 6 (data.split.val 6)',
  );
});

test('a split is fractions or counts, and the message says which forms it takes', () => {
  const cfg = (split?: object) => forecastCfg({ targets: ['v'], ...(split ? { split } : {}) });
  const parse = (split: object) => forecastDataSchema.safeParse({ task: 'forecast', path: 'x', targets: ['v'], split });
  const zero = parse({ val: 0, test: 12 });
  assert.ok(!zero.success);
  assert.match(zero.error.issues[0].message, /^expected fractions .* or row counts \{"val": a whole number ≥ 1/);
  assert.deepEqual(zero.error.issues[0].path, ['split']);
  for (const split of [
    { val: 2.5, test: 12 },
    { train: 0.5, val: 12 },
  ])
    assert.ok(!parse(split).success);
  assert.deepEqual(cfg({ val: 12, test: 12 }).split, { val: 12, test: 12 });
  assert.deepEqual(cfg().split, { train: 0.7, val: 0.15, test: 0.15 });
});
