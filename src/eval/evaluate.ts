// lstm-eval's library half: a checkpoint on a split or a new CSV → metrics, baselines and per-example predictions.
import type * as tf from '@tensorflow/tfjs';
import type { Dataset, SplitData, SplitName } from '../data/types.js';
import { DataError } from '../errors.js';
import { loadDataset } from '../data/load.js';
import { predictSplit, type Predictions } from './predict.js';
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  macroF1,
  majorityBaseline,
  perClassMetrics,
  regressionMetrics,
  skill,
  type ClassMetrics,
  type RegressionMetrics,
} from './metrics.js';
import type { CheckpointMeta } from '../train/meta.js';

export interface ForecastReport {
  task: 'forecast';
  count: number;
  loss: number;
  targets: { name: string; model: RegressionMetrics; persistence: RegressionMetrics; skill: number }[];
}

export interface ClassifyReport {
  task: 'classify';
  count: number;
  loss: number;
  accuracy: number;
  macroF1: number;
  majorityBaseline: number;
  classes: string[];
  perClass: (ClassMetrics & { label: string })[];
  /** confusion[true][predicted] */
  confusion: number[][];
}

export type EvalReport = (ForecastReport | ClassifyReport) & { source: string; split: SplitName };

/** Loads the data a checkpoint needs, transformed with its stored scaler and label map (never refitted). */
export function loadCheckpointData(meta: CheckpointMeta, dataPath?: string): Promise<Dataset> {
  return loadDataset(meta.data, {
    baseDir: process.cwd(),
    seed: meta.config.seed,
    fitted: { featureScaler: meta.featureScaler, targetScaler: meta.targetScaler, classes: meta.classes },
    pathOverride: dataPath,
  });
}

function forecastReport(p: Predictions, dataset: Dataset, split: SplitData): ForecastReport {
  const k = dataset.targetNames.length;
  const naive = split.persistence!(Array.from({ length: split.size }, (_, i) => i));
  return {
    task: 'forecast',
    count: p.count,
    loss: p.loss,
    targets: dataset.targetNames.map((name, j) => {
      const model = regressionMetrics(p.yTrue!, p.yPred!, k, j);
      const persistence = regressionMetrics(p.yTrue!, naive, k, j);
      return { name, model, persistence, skill: skill(model.mae, persistence.mae) };
    }),
  };
}

function classifyReport(p: Predictions, classes: string[]): ClassifyReport {
  const predicted = argmaxRows(p.probabilities!, classes.length);
  const confusion = confusionMatrix(p.labels!, predicted, classes.length);
  const perClass = perClassMetrics(confusion);
  return {
    task: 'classify',
    count: p.count,
    loss: p.loss,
    accuracy: accuracy(p.labels!, predicted),
    macroF1: macroF1(perClass),
    majorityBaseline: majorityBaseline(p.labels!, classes.length),
    classes,
    perClass: perClass.map((m, c) => ({ label: classes[c], ...m })),
    confusion,
  };
}

export function evaluate(model: tf.LayersModel, dataset: Dataset, splitName: SplitName, batchSize: number) {
  const split = dataset.splits[splitName];
  if (split.size === 0)
    throw new DataError(
      dataset.summary.file,
      `expected examples in the ${splitName} split, found none`,
      splitName === 'test' ? 'the config has no test split: use --split val or --split all' : undefined,
    );
  const predictions = predictSplit(model, dataset, split, batchSize);
  const report: EvalReport = {
    source: dataset.summary.file,
    split: splitName,
    ...(dataset.task === 'forecast'
      ? forecastReport(predictions, dataset, split)
      : classifyReport(predictions, dataset.classes)),
  };
  return { report, predictions, split };
}
