// lstm-eval's library half: a checkpoint on a split or a new CSV → the task's metrics, baselines and predictions.
import type * as tf from '@tensorflow/tfjs';
import type { Dataset, SplitData, SplitName } from '../data/types.js';
import { DataError } from '../errors.js';
import { taskOf, type EvalReport, type Predictions, type ReportContext } from '../task/index.js';
import { predictSplit } from '../task/predict.js';

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
