import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadDataset } from '../../src/data/load.js';
import { csv, forecastCfg, rejectsWith, writeCsv } from './helpers.js';

const text = csv(
  't,v',
  Array.from({ length: 30 }, (_, i) => [i, i % 5]),
);

test('cfg.path is relative to baseDir; pathOverride (absolute or cwd-relative) replaces it', async () => {
  const { dir } = writeCsv('unused.csv', 'x\n1\n');
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'series.csv'), text);
  const cfg = forecastCfg({ path: '../data/series.csv', targets: ['v'], window: 3 });
  const configs = join(dir, 'configs');
  const ds = await loadDataset(cfg, { baseDir: configs, seed: 1 });
  assert.equal(ds.file, join(dir, 'data', 'series.csv'));
  assert.equal(ds.summary.file.endsWith('series.csv'), true);

  const viaCwd = await loadDataset(cfg, {
    baseDir: '/nowhere',
    seed: 1,
    pathOverride: relative(process.cwd(), join(dir, 'data', 'series.csv')),
  });
  assert.equal(viaCwd.file, ds.file);
  await rejectsWith(loadDataset(cfg, { baseDir: dir, seed: 1 }), 'series.csv: ', 'expected a CSV file, found none');
});

test('the summary counts rows, features, targets and windows per split', async () => {
  const { dir } = writeCsv('data.csv', text);
  const ds = await loadDataset(forecastCfg({ targets: ['v'], window: 3 }), { baseDir: dir, seed: 1 });
  assert.deepEqual(ds.summary, {
    file: ds.summary.file,
    task: 'forecast',
    rows: 30,
    droppedRows: 0,
    features: ['v'],
    targets: ['v'],
    classes: [],
    sizes: { train: 21 - 3, val: 5 - 3, test: 4 - 3 }, // rows 21/5/4 (rounded cumulatively), window 3 + horizon 1
    splitRows: { train: 21, val: 5, test: 4 },
    steps: 3,
    notes: ds.summary.notes,
  });
});

test("default forecast features: the targets' past and other numbers, less a column that counts up like a time index", async () => {
  const { dir } = writeCsv('data.csv', text);
  const defaulted = await loadDataset(forecastCfg({ targets: ['v'], window: 3 }), { baseDir: dir, seed: 1 });
  assert.deepEqual(defaulted.summary.features, ['v']);
  const [index, ...rest] = defaulted.summary.notes!;
  assert.match(index, /^column t increases on every row, like a time index: left out of the default features/);
  assert.match(index, /set "time": "t" in data to order the rows by it, or list it in data\.features to use it$/);
  assert.deepEqual(rest, []);
  const listed = await loadDataset(forecastCfg({ targets: ['v'], features: ['t'], window: 3 }), {
    baseDir: dir,
    seed: 1,
  });
  assert.deepEqual(listed.summary.features, ['t']);
  assert.deepEqual(listed.summary.notes, [], 'features given: nothing to say');
  // a single cumulative series: the target is read whatever it does
  const { dir: one } = writeCsv(
    'data.csv',
    csv(
      'total',
      Array.from({ length: 30 }, (_, i) => [i * i]),
    ),
  );
  const cumulative = await loadDataset(forecastCfg({ targets: ['total'], window: 3 }), { baseDir: one, seed: 1 });
  assert.deepEqual(cumulative.summary.features, ['total']);
  assert.deepEqual(cumulative.summary.notes, []);
});
