// A forecast file with a time column, through the real loader: ordering, repeated times, gaps by data.gaps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csv, forecastCfg, loadForecastText, rejectsWith } from './helpers.js';

const hour = (h: number) => `2024-03-01T${String(h).padStart(2, '0')}:00`;
const cfg = (o: Record<string, unknown> = {}) =>
  forecastCfg({
    time: 'when',
    targets: ['v'],
    features: ['v'],
    window: 2,
    split: { train: 0.6, val: 0.4, test: 0 },
    normalize: 'none',
    windowLevel: 'absolute',
    ...o,
  });

test('rows are taken in time order whatever the file order; times and ids follow', async () => {
  const order = [3, 0, 5, 1, 4, 2, 7, 6, 9, 8, 10, 11];
  const ds = await loadForecastText(
    csv(
      'when,v',
      order.map((h) => [hour(h), h * 10]),
    ),
    cfg(),
  );
  const time = ds.forecast.time!;
  assert.deepEqual(Array.from(ds.forecast.targetRaw), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
  assert.equal(time.frequency?.unit, 'fixed');
  assert.equal(new Date(time.values[0]).toISOString(), '2024-03-01T00:00:00.000Z');
  // ids are data-row indices in the file: the window ending at 01:00 is data row 3
  assert.equal(ds.splits.train.ids[0], order.indexOf(1));
});

test('a repeated time names both lines; a bad value names file:line:column and the accepted forms', async () => {
  const rows = [0, 1, 2, 1, 3].map((h, i) => [hour(h), i]);
  await rejectsWith(
    loadForecastText(csv('when,v', rows), cfg()),
    'data.csv:5:1',
    '2024-03-01T01:00 appears again (first on line 3)',
  );
  const bad = [
    [hour(0), 1],
    ['01/03/2024 01:00', 2],
    [hour(2), 3],
  ];
  await rejectsWith(
    loadForecastText(csv('when,v', bad), cfg()),
    'data.csv:3:1',
    'column "when": expected a date (2024-03-01), a date-time',
    'got "01/03/2024 01:00"',
  );
  await rejectsWith(
    loadForecastText(
      csv('when,v', [
        [hour(0), 1],
        ['2024-03-02', 2],
      ]),
      cfg(),
    ),
    'data.csv:3:1',
    'expected a datetime like the first row',
  );
  await rejectsWith(loadForecastText(csv('v,x', [[1, 2]]), cfg()), 'expected a time column "when"');
});

const withGap = csv(
  'when,v',
  [0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14].map((h) => [hour(h), h]),
);

test('a gap under "error" names the line and the missing span; "fill" inserts rows that data.missing handles', async () => {
  await rejectsWith(
    loadForecastText(withGap, cfg()),
    'data.csv:6:1',
    'a gap of 3 missing steps (frequency 1 hour) between 2024-03-01T03:00 (line 5) and 2024-03-01T07:00 (line 6)',
    '2024-03-01T04:00 … 2024-03-01T06:00',
  );
  await rejectsWith(
    loadForecastText(withGap, cfg({ gaps: 'fill' })),
    'a row inserted for a gap (data.gaps "fill") before line 6',
    'empty cell',
  );
  const filled = await loadForecastText(withGap, cfg({ gaps: 'fill', missing: 'ffill' }));
  assert.equal(filled.forecast.targetRaw.length, 15);
  assert.deepEqual(Array.from(filled.forecast.targetRaw.slice(3, 8)), [3, 3, 3, 3, 7], 'carried forward over the gap');
  assert.deepEqual(Array.from(filled.forecast.rowIds.slice(3, 8)), [3, -1, -1, -1, 4]);
  assert.deepEqual(filled.forecast.gaps, { found: 1, filled: 3 });
  assert.match(
    filled.summary.notes!.join('\n'),
    /1 gap in when \(frequency 1 hour\): filled with 3 rows of empty cells/,
  );
  const ignored = await loadForecastText(withGap, cfg({ gaps: 'ignore' }));
  assert.equal(ignored.forecast.targetRaw.length, 12);
  assert.match(ignored.summary.notes!.join('\n'), /1 gap in when .*: ignored/);
});

test('a step that is not a whole number of the frequency is an error unless gaps are ignored', async () => {
  const offGrid = csv(
    'when,v',
    [0, 1, 2, 3]
      .map((h) => [hour(h), h])
      .concat([
        ['2024-03-01T04:30', 4],
        [hour(5), 5],
      ]),
  );
  await rejectsWith(
    loadForecastText(offGrid, cfg({ gaps: 'fill' })),
    'data.csv:6:1',
    'is not a whole number of the frequency (1 hour)',
  );
});

test('numbers as times, and daily dates', async () => {
  const numbers = await loadForecastText(
    csv(
      'when,v',
      Array.from({ length: 12 }, (_, i) => [0.5 * (11 - i), i]),
    ),
    cfg(),
  );
  assert.deepEqual(Array.from(numbers.forecast.targetRaw.slice(0, 3)), [11, 10, 9]);
  const days = Array.from({ length: 12 }, (_, i) => [
    `2024-02-${String(20 + i - (i > 9 ? 29 : 0)).padStart(2, '0')}`,
    i,
  ]);
  days[10][0] = '2024-03-01';
  days[11][0] = '2024-03-02';
  const daily = await loadForecastText(csv('when,v', days), cfg());
  assert.equal(daily.forecast.time?.frequency?.unit, 'fixed');
  assert.equal(daily.forecast.gaps.found, 0, 'Feb 29 to Mar 1 is one day');
});
