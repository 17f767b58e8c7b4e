// A model on a split, by its task: the metrics, baselines and predictions, and the task's charts of them.
import type * as tf from '@tensorflow/tfjs';
import type { Dataset, SplitData, SplitName } from '../data/types.js';
import { DataError } from '../errors.js';
import { writePlot } from '../charts/render.js';
import { taskOf, type EvalMetrics, type Predictions, type MetricsContext } from './index.js';
import { predictSplit } from './predict-split.js';

export interface Evaluation {
  metrics: EvalMetrics;
  predictions: Predictions;
  split: SplitData;
  context: MetricsContext;
}

/** `context`: the task's report context (metricsContext), e.g. the intervals and the training data's baselines. */
export function evaluate(
  model: tf.LayersModel,
  dataset: Dataset,
  splitName: SplitName,
  batchSize: number,
  context: MetricsContext = {},
): Evaluation {
  const split = dataset.splits[splitName];
  if (split.size === 0)
    throw new DataError(
      dataset.summary.file,
      `expected examples in the ${splitName} split, found none`,
      splitName === 'test' ? 'the config has no test split: use --split val or --split all' : undefined,
    );
  const predictions = predictSplit(model, dataset, split, batchSize);
  const task = taskOf(dataset.task);
  const metrics: EvalMetrics = {
    source: dataset.summary.file,
    split: splitName,
    ...task.metrics(predictions, dataset, split, context),
  };
  return { metrics, predictions, split, context };
}

/**
 * The task's charts as SVG, PNG and spec: forecast, actual vs predicted over time and the MAE by step ahead against
 * the baselines; classify, the confusion matrix.
 */
export async function writeEvalPlot(dir: string, e: Evaluation, dataset: Dataset, name: string): Promise<string[]> {
  const charts = taskOf(dataset.task).plots(e.metrics, e.predictions, dataset, e.split, name);
  const files: string[] = [];
  for (const chart of charts) files.push(...(await writePlot(dir, chart.name, chart.spec)));
  return files;
}
