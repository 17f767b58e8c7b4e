// Small configs on the shipped data for the compare tests, loaded as the CLI would.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { loadData } from '../../src/task/dataset.js';
import { DATA } from '../cli/helpers.js';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

/** configs/forecast.json and configs/classify.json's data, with a small model and short training. */
export function smallConfig(
  kind: 'forecast' | 'classify' | 'classify-long',
  model: Record<string, unknown> = {},
  train: Record<string, unknown> = {},
): Config {
  const data = {
    forecast: {
      task: 'forecast',
      path: join(DATA, 'sine.csv'),
      features: ['value', 'aux'],
      targets: ['value'],
      window: 12,
    },
    classify: { task: 'classify', path: join(DATA, 'order.csv'), layout: 'wide', steps: 20 },
    'classify-long': {
      task: 'classify',
      path: join(DATA, 'order-long.csv'),
      layout: 'long',
      sequenceId: 'seq',
      orderBy: 'step',
    },
  }[kind];
  return parseConfig(
    {
      name: kind,
      seed: 3,
      data,
      model: { hiddenSize: 4, dropout: 0, ...model },
      train: { epochs: 2, batchSize: 64, learningRate: 0.01, ...train },
    },
    'test config',
  );
}

export function datasetOf(config: Config) {
  return loadData(config);
}
