// A model on a split, by its task: the metrics, baselines and predictions, and the task's charts of them.
import type * as tf from '@tensorflow/tfjs';
import type { Dataset, SplitData, SplitName } from '../data/types.js';
import { DataError } from '../errors.js';
import { writePlot } from '../report/render.js';
import { taskOf, type EvalReport, type Predictions, type ReportContext } from './index.js';
import { predictSplit } from './predict.js';

export interface Evaluation {
  report: EvalReport;
  predictions: Predictions;
  split: SplitData;
  context: ReportContext;
}

/** `context`: the task's report context (reportContext), e.g. the intervals and the training data's baselines. */
export function evaluate(
  model: tf.LayersModel,
  dataset: Dataset,
  splitName: SplitName,
  batchSize: number,
  context: ReportContext = {},
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
  const report: EvalReport = {
    source: dataset.summary.file,
    split: splitName,
    ...task.report(predictions, dataset, split, context),
  };
  return { report, predictions, split, context };
}

/**
 * The task's charts as SVG, PNG and spec: forecast, actual vs predicted over time and the MAE by step ahead against
 * the baselines; classify, the confusion matrix.
 */
export async function writeEvalPlot(dir: string, e: Evaluation, dataset: Dataset, title: string): Promise<string[]> {
  const charts = taskOf(dataset.task).plots(e.report, e.predictions, dataset, e.split, title);
  const files: string[] = [];
  for (const chart of charts) files.push(...(await writePlot(dir, chart.name, chart.spec)));
  return files;
}
