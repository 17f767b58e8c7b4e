// The time column: every accepted form parsed and written back as the file writes it; frequencies; stepping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFrequency, formatTime, inferFrequency, parseTime, stepTime } from '../../src/data/time.js';

test('each accepted form parses to its instant and is written back exactly as given', () => {
  const cases: [string, string][] = [
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T13:00', '2024-03-01T13:00:00.000Z'],
    ['2024-03-01 13:00', '2024-03-01T13:00:00.000Z'],
    ['2024-03-01T13:00:30', '2024-03-01T13:00:30.000Z'],
    ['2024-03-01T13:00:30Z', '2024-03-01T13:00:30.000Z'],
    ['2024-03-01T13:00:00+01:00', '2024-03-01T12:00:00.000Z'],
    ['2024-03-01T13:00-05:30', '2024-03-01T18:30:00.000Z'],
    ['2024-03-01T13:00:00.250Z', '2024-03-01T13:00:00.250Z'],
  ];
  for (const [cell, iso] of cases) {
    const parsed = parseTime(cell);
    assert.ok(parsed, cell);
    assert.equal(new Date(parsed.value).toISOString(), iso, cell);
    assert.equal(formatTime(parsed.value, parsed.form), cell, `${cell} written back`);
  }
  assert.deepEqual(parseTime('17.5'), { value: 17.5, form: { kind: 'number' } });
  assert.equal(formatTime(18.5, { kind: 'number' }), '18.5');
});

test('anything else is not a time: other layouts, impossible dates and times, bad offsets', () => {
  for (const cell of [
    '03/01/2024',
    '2024-3-1',
    '2024-02-30',
    '2023-02-29',
    '2024-03-01T24:00',
    '2024-03-01T13:60',
    '2024-03-01T13:00+1',
    'yesterday',
    '',
    '2024-03-01T13',
  ])
    assert.equal(parseTime(cell), undefined, cell);
  assert.ok(parseTime('2024-02-29'), 'a leap day');
});

const series = (cells: string[]) => {
  const parsed = cells.map((c) => parseTime(c)!);
  return { values: Float64Array.from(parsed, (p) => p.value), form: parsed[0].form };
};

test('frequencies: hourly, daily, weekly, numeric, and calendar months for month-starts, month-ends and years', () => {
  const hourly = series(['2024-03-01T00:00', '2024-03-01T01:00', '2024-03-01T02:00', '2024-03-01T04:00']);
  const h = inferFrequency(hourly.values, hourly.form)!;
  assert.deepEqual(h, { unit: 'fixed', step: 3_600_000 }, 'the most common step, a gap notwithstanding');
  assert.equal(describeFrequency(h, hourly.form), '1 hour');
  const weekly = series(['2024-01-01', '2024-01-08', '2024-01-15']);
  assert.equal(describeFrequency(inferFrequency(weekly.values, weekly.form)!, weekly.form), '1 week');
  const numbers = series(['0.5', '1', '1.5', '2']);
  assert.deepEqual(inferFrequency(numbers.values, numbers.form), { unit: 'fixed', step: 0.5 });
  const starts = series(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
  const monthly = inferFrequency(starts.values, starts.form)!;
  assert.deepEqual(monthly, { unit: 'month', step: 1, monthEnd: false });
  assert.equal(formatTime(stepTime(starts.values[3], 1, monthly), starts.form), '2024-05-01');
  const ends = series(['2024-01-31', '2024-02-29', '2024-03-31']);
  const monthEnd = inferFrequency(ends.values, ends.form)!;
  assert.deepEqual(monthEnd, { unit: 'month', step: 1, monthEnd: true });
  assert.equal(formatTime(stepTime(ends.values[2], 1, monthEnd), ends.form), '2024-04-30');
  assert.equal(formatTime(stepTime(ends.values[2], 11, monthEnd), ends.form), '2025-02-28');
  const quarters = series(['2023-01-15', '2023-04-15', '2023-07-15']);
  assert.equal(describeFrequency(inferFrequency(quarters.values, quarters.form)!, quarters.form), '3 months');
  const years = series(['2020-06-01', '2021-06-01', '2022-06-01']);
  const yearly = inferFrequency(years.values, years.form)!;
  assert.equal(describeFrequency(yearly, years.form), '1 year');
  assert.equal(formatTime(stepTime(years.values[2], 2, yearly), years.form), '2024-06-01');
});

test('future times keep the file form: an offset, a space, seconds', () => {
  const hourly = series(['2024-03-30T22:00:00+01:00', '2024-03-30T23:00:00+01:00']);
  const f = inferFrequency(hourly.values, hourly.form)!;
  assert.deepEqual(
    [1, 2, 3].map((k) => formatTime(stepTime(hourly.values[1], k, f), hourly.form)),
    ['2024-03-31T00:00:00+01:00', '2024-03-31T01:00:00+01:00', '2024-03-31T02:00:00+01:00'],
  );
  const spaced = series(['2024-12-31 23:30', '2025-01-01 00:00']);
  const half = inferFrequency(spaced.values, spaced.form)!;
  assert.equal(formatTime(stepTime(spaced.values[1], 1, half), spaced.form), '2025-01-01 00:30');
});
