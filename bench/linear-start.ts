// `npx tsx bench/linear-start.ts [--rows 1000000] [--keep DIR]`: on the ingest benchmark's 6-numeric forecast file,
// the linear skip's start (ridge on levelled windows) and the linear baseline (its fit and its test forecasts)
// against one training epoch of the default model, timed in one process: the epoch from samples/s over 60 batches.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/backend/select.js';
import { dataSchema, modelSchema, trainSchema } from '../src/config/schema.js';
import { loadDataset } from '../src/data/load.js';
import type { ForecastDataset } from '../src/data/types.js';
import { buildModel, shapeOf } from '../src/models/build.js';
import { trainingView } from '../src/models/ensemble.js';
import { fitLinear, fitRidge } from '../src/task/forecast/linear.js';
import { taskOf } from '../src/task/index.js';
import { makeOptimizer } from '../src/train/optimizer.js';
import { trainableVariables, trainStep } from '../src/train/step.js';
import { generate, VARIANTS } from './ingest.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, keep: { type: 'string' } } });
const rows = Number(values.rows);
const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'bench-linear-start-'));
mkdirSync(dir, { recursive: true });
const variant = VARIANTS[0];
const path = join(dir, `6-numeric-${rows}.csv`);
await generate(path, variant, rows);

const seconds = (since: number) => (performance.now() - since) / 1000;
const model = modelSchema.parse({ hiddenSize: 32, linearSkip: true });
const train = trainSchema.parse({ batchSize: 256 });
await selectBackend('wasm', 'fixed', 'auto', model);
const cfg = dataSchema.parse({ ...variant.data, path });
const ds = (await loadDataset(cfg, { baseDir: '/', seed: 1 })) as ForecastDataset;

let t = performance.now();
fitRidge(ds, 'levelled');
const skipStart = seconds(t);
t = performance.now();
const baseline = fitLinear(ds);
if (!('skipped' in baseline)) baseline.predict(ds.splits.test);
const baselineFit = seconds(t);

const built = buildModel(model, shapeOf(ds), 1);
const inputs = {
  ...trainingView(built),
  variables: trainableVariables(built),
  optimizer: makeOptimizer(train),
  task: taskOf('forecast'),
  outputSize: ds.outputSize,
  clipNorm: train.clipNorm,
  weightDecay: 0,
};
const batchAt = (b: number) =>
  ds.splits.train.batch(Array.from({ length: 256 }, (_, i) => (b * 256 + i) % ds.splits.train.size));
for (let b = 0; b < 5; b++) trainStep(inputs, batchAt(b), train.learningRate); // warm-up
t = performance.now();
for (let b = 5; b < 65; b++) trainStep(inputs, batchAt(b), train.learningRate);
const epoch = (seconds(t) / (60 * 256)) * ds.splits.train.size;
const share = (skipStart + baselineFit) / epoch;
console.log(
  `${rows} rows, ${ds.splits.train.size} train windows: skip start ${skipStart.toFixed(2)} s, baseline (fit + test ` +
    `forecasts) ${baselineFit.toFixed(2)} s, one epoch of the default model ~${epoch.toFixed(1)} s: ` +
    `${(100 * share).toFixed(1)}% of an epoch`,
);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
