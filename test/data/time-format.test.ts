import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { formatTime } from '../../src/data/time.js';
import { forecastDataSchema } from '../../src/config/schema.js';
import { csv, forecastCfg, loadForecastText, rejectsWith } from './helpers.js';
import { runCli, trainRun } from '../cli/helpers.js';

const DAY = 86_400_000;
const START = Date.UTC(2000, 0, 1);

/** 40 daily rows with their dates written in `pattern`. */
function daily(pattern: string, step = DAY) {
  const dates = Array.from({ length: 40 }, (_, i) =>
    formatTime(START + i * step, { kind: 'datetime', pattern, separator: 'T', seconds: true, fraction: 0, zone: '' }),
  );
  return {
    dates,
    text: csv(
      'date,v',
      dates.map((d, i) => [d, Math.sin(i / 3) * 10 + i]),
    ),
  };
}

const cfgFor = (timeFormat: string) => forecastCfg({ time: 'date', timeFormat, targets: ['v'], window: 4, horizon: 2 });

for (const [pattern, first, step] of [
  ['MMM d yyyy', 'Jan 1 2000', DAY],
  ['yyyyMMdd', '20000101', DAY],
  ['dd/MM/yyyy', '01/01/2000', DAY],
  ['yyyy-MM-dd HH:mm:ss.SSS', '2000-01-01 00:00:00.000', 3_600_000],
] as const)
  test(`data.timeFormat "${pattern}": the times are read, ordered by and written back as the file writes them`, async () => {
    const { dates, text } = daily(pattern, step);
    assert.equal(dates[0], first);
    // the file shuffled: rows are ordered by the parsed time, not by the text
    const [header, ...rows] = text.trim().split('\n');
    const shuffled = [header, ...rows.reverse()].join('\n') + '\n';
    const ds = await loadForecastText(shuffled, cfgFor(pattern));
    const time = ds.forecast.time!;
    assert.equal(time.values[0], START);
    assert.deepEqual(time.frequency, { unit: 'fixed', step });
    assert.equal(formatTime(time.values.at(-1)!, time.form), dates.at(-1));
  });

test('a time not written in data.timeFormat is an error at its line and column', async () => {
  const { text } = daily('dd/MM/yyyy');
  const bad = text.replace('05/01/2000', '2000-01-05');
  await rejectsWith(
    loadForecastText(bad, cfgFor('dd/MM/yyyy')),
    'data.csv:6:1: ',
    'column "date": expected a time written as "dd/MM/yyyy" (data.timeFormat), got "2000-01-05"',
  );
});

test('a timeFormat that cannot read back what it writes, or without data.time, is a config error', () => {
  const parse = (data: object) =>
    forecastDataSchema.safeParse({ task: 'forecast', path: 'x', targets: ['v'], ...data });
  const noYear = parse({ time: 'date', timeFormat: 'dd/MM' });
  assert.ok(!noYear.success);
  assert.match(noYear.error.issues[0].message, /expected a Luxon format with a year .*got "dd\/MM"/);
  const noTime = parse({ timeFormat: 'yyyyMMdd' });
  assert.ok(!noTime.success);
  assert.deepEqual(noTime.error.issues[0].path, ['timeFormat']);
  assert.ok(parse({ time: 'date', timeFormat: 'MMM d yyyy' }).success);
});

test("lstm-predict and the export's predict.js write forecast times in the file's own format", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-timeformat-'));
  const { text } = daily('MMM d yyyy');
  writeFileSync(join(dir, 'data.csv'), text);
  const run = trainRun({
    name: 'tf',
    seed: 1,
    backend: 'wasm',
    data: {
      task: 'forecast',
      path: join(dir, 'data.csv'),
      time: 'date',
      timeFormat: 'MMM d yyyy',
      targets: ['v'],
      window: 4,
      horizon: 2,
    },
    model: { hiddenSize: 4 },
    train: { epochs: 1 },
  });
  const best = join(run, 'checkpoints', 'best');
  const predicted = runCli('lstm-predict', [best, '--data', join(dir, 'data.csv'), '--json'], dir);
  assert.equal(predicted.code, 0, predicted.stderr);
  const rows = (JSON.parse(predicted.stdout) as { rows: { time: string; v: number }[] }).rows;
  assert.deepEqual(
    rows.map((r) => r.time),
    ['Feb 10 2000', 'Feb 11 2000'],
  );
  const out = join(dir, 'export');
  execFileSync(process.execPath, [
    join(import.meta.dirname, '..', '..', 'bin', 'lstm-export.js'),
    best,
    '--format',
    'tfjs',
    '--out',
    out,
  ]);
  const { loadPredictor, parseCsv } = (await import(pathToFileURL(join(out, 'predict.js')).href)) as {
    loadPredictor: (
      dir: string,
      t: typeof tf,
    ) => Promise<{ predict: (r: unknown[]) => Promise<{ rows: { time: string; v: number }[] }> }>;
    parseCsv: (text: string) => unknown[];
  };
  await tf.setBackend('cpu');
  const predictor = await loadPredictor(out, tf);
  const fromJs = await predictor.predict(parseCsv(text));
  assert.deepEqual(
    fromJs.rows.map((r) => r.time),
    ['Feb 10 2000', 'Feb 11 2000'],
  );
  fromJs.rows.forEach((r, i) => assert.ok(Math.abs(r.v - rows[i].v) < 1e-4 * Math.max(1, Math.abs(rows[i].v))));
});
