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
    features: ['t'],
    targets: ['v'],
    classes: [],
    sizes: { train: 21 - 3, val: 5 - 3, test: 4 - 3 }, // rows 21/5/4 (rounded cumulatively), window 3 + horizon 1
    steps: 3,
    notes: ds.summary.notes,
  });
});

test('default forecast features come with notes: the targets left out, and a column that counts up like a time index', async () => {
  const { dir } = writeCsv('data.csv', text);
  const defaulted = await loadDataset(forecastCfg({ targets: ['v'], window: 3 }), { baseDir: dir, seed: 1 });
  assert.deepEqual(defaulted.summary.features, ['t']);
  const [past, index, ...rest] = defaulted.summary.notes!;
  assert.match(
    past,
    /^data\.features is not set, .*the model does not see the past of v; set "features": \["v"\] in data/,
  );
  assert.match(index, /^feature t increases on every row, like a time index: .*; set "features": \["v"\] in data/);
  assert.deepEqual(rest, []);
  const listed = await loadDataset(forecastCfg({ targets: ['v'], features: ['t'], window: 3 }), {
    baseDir: dir,
    seed: 1,
  });
  assert.deepEqual(listed.summary.notes, [], 'features given: nothing to say');
  // a single cumulative series: the defaults are the target itself, and there is no other list to suggest
  const { dir: one } = writeCsv(
    'data.csv',
    csv(
      'total',
      Array.from({ length: 30 }, (_, i) => [i * i]),
    ),
  );
  const cumulative = await loadDataset(forecastCfg({ targets: ['total'], window: 3 }), { baseDir: one, seed: 1 });
  assert.deepEqual(cumulative.summary.notes, [
    'feature total increases on every row, like a time index: split by time, val and test hold only values beyond those seen in training',
  ]);
});
