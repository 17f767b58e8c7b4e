// predict.js against lstm-predict's library, in one process: models built (not trained) for cards made from the
// shipped data, exported, and both asked for the same file's predictions.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../../src/checkpoint/model-card.js';
import { configSchema } from '../../src/config/schema.js';
import { exportCheckpoint } from '../../src/export/export.js';
import { outTarget } from '../../src/export/write-out.js';
import { buildModel, shapeOf } from '../../src/models/build.js';
import { predict, predictionJson } from '../../src/predict/index.js';
import { loadData } from '../../src/task/dataset.js';
import { DATA, readCsvRows, tempDir } from '../cli/helpers.js';
import { assertSameRows } from './page.js';

before(() => tf.setBackend('cpu'));

/** A card as lstm-train writes one after epoch 0, for a model built from `raw`'s config. */
async function cardAndModel(raw: Record<string, unknown>): Promise<{ card: ModelCard; model: tf.LayersModel }> {
  const config = configSchema.parse({ name: 'export-test', seed: 9, ...raw });
  const data = await loadData(config);
  const model = buildModel(config.model, shapeOf(data), config.seed);
  const card: ModelCard = {
    cardVersion: 2,
    kind: 'lstm-train-checkpoint',
    epoch: 0,
    config,
    fitted: data.fitted,
    steps: data.steps,
    metrics: null,
    bestEpoch: 0,
    backend: 'cpu',
    versions: {},
  };
  return { card, model };
}

/** predict.js of a tfjs export of the model, on `csv`'s rows (as text, as a CSV gives them). */
async function viaPredictJs(card: ModelCard, model: tf.LayersModel, csv: string) {
  const out = join(tempDir('lstm-export-js-'), 'export');
  await exportCheckpoint({
    model,
    card,
    format: 'tfjs',
    target: outTarget(out, 'folder', false, '/nowhere'),
    batchSize: 256,
  });
  const { loadPredictor } = (await import(pathToFileURL(join(out, 'predict.js')).href)) as {
    loadPredictor: (
      dir: string,
      tf: unknown,
    ) => Promise<{ predict: (rows: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }>;
  };
  return (await (await loadPredictor(out, tf)).predict(readCsvRows(csv))).rows;
}

async function viaLstmPredict(card: ModelCard, model: tf.LayersModel, csv: string) {
  const prediction = await predict({ model, card, dataPath: csv, batchSize: 256 });
  return predictionJson(prediction).rows as Record<string, unknown>[];
}

const stations = (data: Record<string, unknown>) => ({
  data: {
    task: 'forecast',
    path: join(DATA, 'stations.csv'),
    time: 'date',
    seriesId: 'station',
    categorical: ['weather'],
    calendar: ['dayOfWeek', 'dayOfMonth'],
    features: ['visitors', 'temp'],
    targets: ['visitors'],
    window: 8,
    horizon: 2,
    ...data,
  },
  model: { impl: 'hand', bidirectional: true, hiddenSize: 4 },
});

const CASES: [string, Record<string, unknown>][] = [
  ['forecast, series with their own scalers, one-hot, calendar, standardized windows', stations({})],
  [
    'forecast, windows relative to their last value, global scalers, minmax',
    stations({ windowLevel: 'last', scaleBy: 'global', normalize: 'minmax' }),
  ],
  [
    'forecast, absolute levels, hourly date-times, hour of day',
    {
      data: {
        task: 'forecast',
        path: join(DATA, 'hourly.csv'),
        time: 'time',
        calendar: ['hourOfDay', 'month', 'dayOfYear'],
        features: ['load', 'temp'],
        targets: ['load', 'temp'],
        window: 12,
        horizon: 3,
        windowLevel: 'absolute',
      },
      model: { layers: 2, hiddenSize: 4 },
    },
  ],
  [
    'forecast, a target that is not an input, standardized from its own window, no time column, an ensemble of 3',
    {
      data: {
        task: 'forecast',
        path: join(DATA, 'sine.csv'),
        features: ['aux'],
        targets: ['value'],
        window: 6,
        horizon: 2,
      },
      model: { hiddenSize: 4, dropout: 0.1, ensemble: 3 },
    },
  ],
  [
    'classify, wide rows, an ensemble of 2',
    {
      data: { task: 'classify', path: join(DATA, 'order.csv'), layout: 'wide', steps: 20 },
      model: { hiddenSize: 4, ensemble: 2 },
    },
  ],
  [
    'classify, long rows of unequal length (masked)',
    {
      data: {
        task: 'classify',
        path: join(DATA, 'order-long.csv'),
        layout: 'long',
        sequenceId: 'seq',
        orderBy: 'step',
      },
      model: { impl: 'hand', bidirectional: true, hiddenSize: 4 },
    },
  ],
];

for (const [name, raw] of CASES)
  test(`predict.js gives lstm-predict's rows: ${name}`, async () => {
    const { card, model } = await cardAndModel(raw);
    const csv = card.config.data.path;
    const expected = await viaLstmPredict(card, model, csv);
    assert.ok(expected.length > 0);
    assertSameRows(await viaPredictJs(card, model, csv), expected);
    model.dispose();
  });

test('predict.js reads a CSV text: quotes, doubled quotes, CRLF, a missing last newline', async () => {
  const { PREDICT_JS } = await import('../../src/export/export.js');
  const { parseCsv } = (await import(pathToFileURL(PREDICT_JS).href)) as {
    parseCsv: (text: string) => Record<string, string>[];
  };
  assert.deepEqual(parseCsv('a,b\r\n1,"x, ""y"""\r\n\r\n2,\n3,z'), [
    { a: '1', b: 'x, "y"' },
    { a: '2', b: '' },
    { a: '3', b: 'z' },
  ]);
});
