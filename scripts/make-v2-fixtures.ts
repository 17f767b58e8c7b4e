// Writes test/fixtures/v2: tiny card-2 checkpoints trained by this checkout, their exports, the CSVs cut from the
// shipped data and what lstm-eval, lstm-predict and the export's predict.js answer on them now. Later versions must
// give the same numbers (test/checkpoint/v2-fixtures.test.ts). Run after `npm run build`:
//   npx tsx scripts/make-v2-fixtures.ts
// Everything is made in MADE_IN (named by the checkpoints' meta.json: the tests point that path at their copy).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { run, ROOT } from './run-bin.js';

export const MADE_IN = '/tmp/lstm-v2-fixtures';
const OUT = join(ROOT, 'test', 'fixtures', 'v2');
const DATA = join(ROOT, 'data');

interface Fixture {
  name: string;
  /** the CSV lines (header first) the model is trained on and predicts from */
  csv: () => string[];
  data: Record<string, unknown>;
  model: Record<string, unknown>;
}

const lines = (file: string) => readFileSync(join(DATA, file), 'utf8').trim().split('\n');

/** Three stations' first half of 2023 (in the file's own order), then 3 future days each: visitors empty. */
function stationsCut(): string[] {
  const [header, ...rows] = lines('stations.csv');
  const cells = rows.map((l) => l.split(','));
  const station = (c: string[]) => ['st1', 'st2', 'st3'].includes(c[1]);
  const observed = cells.filter((c) => station(c) && c[0] >= '2023-01-01' && c[0] <= '2023-06-30');
  const future = cells
    .filter((c) => station(c) && c[0] > '2023-06-30' && c[0] <= '2023-07-03')
    .sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]))
    .map(([date, st, weather, temp]) => [date, st, weather, temp, '']);
  return [header, ...[...observed, ...future].map((c) => c.join(','))];
}

/** The last 400 observed hours of hourly-ahead.csv and its first 6 future hours (load empty). */
function hourlyCut(): string[] {
  const [header, ...rows] = lines('hourly-ahead.csv');
  const firstFuture = rows.findIndex((l) => l.split(',')[1] === '');
  return [header, ...rows.slice(firstFuture - 400, firstFuture + 6)];
}

function orderLongCut(): string[] {
  const [header, ...rows] = lines('order-long.csv');
  return [header, ...rows.filter((l) => Number(l.split(',')[0].slice(1)) < 80)];
}

export const FIXTURES: Fixture[] = [
  {
    name: 'stations',
    csv: stationsCut,
    data: {
      task: 'forecast',
      time: 'date',
      seriesId: 'station',
      categorical: ['weather'],
      calendar: ['dayOfWeek', 'dayOfYear'],
      features: ['visitors', 'temp'],
      targets: ['visitors'],
      futureFeatures: ['temp', 'weather'],
      window: 10,
      horizon: 3,
      season: 7,
    },
    model: { impl: 'hand', bidirectional: true, hiddenSize: 6 },
  },
  {
    name: 'hourly-future',
    csv: hourlyCut,
    data: {
      task: 'forecast',
      time: 'time',
      calendar: ['hourOfDay'],
      features: ['load', 'temp'],
      targets: ['load'],
      futureFeatures: ['temp'],
      window: 24,
      horizon: 6,
      season: 24,
      windowLevel: 'last',
    },
    model: { impl: 'builtin', hiddenSize: 4 },
  },
  {
    name: 'sine',
    csv: () => lines('sine.csv').slice(0, 401),
    data: { task: 'forecast', features: ['value', 'aux'], targets: ['value'], window: 16, windowLevel: 'absolute' },
    model: { impl: 'builtin', hiddenSize: 4, dropout: 0.1 },
  },
  {
    name: 'order-wide',
    csv: () => lines('order.csv').slice(0, 201),
    data: { task: 'classify', layout: 'wide', steps: 20 },
    model: { impl: 'builtin', hiddenSize: 4 },
  },
  {
    name: 'order-long',
    csv: orderLongCut,
    data: { task: 'classify', layout: 'long', sequenceId: 'seq', orderBy: 'step' },
    model: { impl: 'hand', bidirectional: true, hiddenSize: 4 },
  },
];

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** predict.js of the export in `dir` (tfjs on the cpu backend) on the CSV text's rows, as its parseCsv reads them. */
async function predictJsRows(dir: string, csvText: string): Promise<unknown> {
  const js = (await import(pathToFileURL(join(dir, 'predict.js')).href)) as {
    loadPredictor: (dir: string, tf: unknown) => Promise<{ predict: (rows: unknown[]) => Promise<{ rows: unknown }> }>;
    parseCsv: (text: string) => unknown[];
  };
  const predictor = await js.loadPredictor(dir, tf);
  return (await predictor.predict(js.parseCsv(csvText))).rows;
}

async function make(f: Fixture): Promise<void> {
  const work = join(MADE_IN, f.name);
  const out = join(OUT, f.name);
  rmSync(work, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(join(out, 'expected'), { recursive: true });
  const csvText = f.csv().join('\n') + '\n';
  const csv = join(work, 'data.csv');
  writeFileSync(csv, csvText);
  const config = {
    name: f.name,
    seed: 17,
    backend: 'wasm',
    data: { path: 'data.csv', ...f.data },
    model: f.model,
    train: { epochs: 2, batchSize: 32, learningRate: 0.01 },
    output: { dir: 'runs' },
  };
  writeFileSync(join(work, 'config.json'), json(config));
  run('lstm-train', ['--config', 'config.json', '--quiet'], work);
  const best = join(work, 'runs', readdirSync(join(work, 'runs'))[0], 'checkpoints', 'best');
  cpSync(best, join(work, 'checkpoint'), { recursive: true });
  const checkpoint = join(work, 'checkpoint');
  run('lstm-export', [checkpoint, '--format', 'tfjs', '--out', join(work, 'export-tfjs')], work);
  run('lstm-export', [checkpoint, '--format', 'onnx', '--out', join(work, 'export-onnx')], work);
  const answer = (bin: string, args: string[]): unknown => JSON.parse(run(bin, [...args, '--json'], work));
  const expected = {
    'eval.json': answer('lstm-eval', [checkpoint]),
    'predict.json': answer('lstm-predict', [checkpoint, '--data', csv]),
    'predict-onnx.json': answer('lstm-predict', [checkpoint, '--data', csv, '--runtime', 'onnx']),
    'predict-js.json': await predictJsRows(join(work, 'export-tfjs'), csvText),
  };
  for (const [name, value] of Object.entries(expected)) writeFileSync(join(out, 'expected', name), json(value));
  for (const name of ['data.csv', 'config.json', 'checkpoint', 'export-tfjs', 'export-onnx'])
    cpSync(join(work, name), join(out, name), { recursive: true });
}

await tf.setBackend('cpu');
tf.enableProdMode();
for (const f of FIXTURES.filter((f) => process.argv.length <= 2 || process.argv.includes(f.name))) {
  await make(f);
  console.log(`test/fixtures/v2/${f.name}`);
}
