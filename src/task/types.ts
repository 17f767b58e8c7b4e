// The Task contract: what training, evaluation and the CLIs ask of a task instead of branching on its name.
import type * as tf from '@tensorflow/tfjs';
import type { TaskName } from '../config/schema.js';
import type { Batch, Dataset, SplitData, SplitName } from '../data/types.js';
import type { VegaLiteSpec } from '../report/render.js';
import type { Cell } from '../report/table.js';
import type { ClassMetrics, RegressionMetrics } from './metrics.js';

/** A forecaster's outputs on a split, in original units. */
export interface ForecastPredictions {
  task: 'forecast';
  /** mean loss, in scaled units as in training */
  loss: number;
  count: number;
  /** true and predicted targets [count, targets] */
  yTrue: Float32Array;
  yPred: Float32Array;
}

/** A classifier's outputs on a split. */
export interface ClassifyPredictions {
  task: 'classify';
  /** mean softmax cross-entropy */
  loss: number;
  count: number;
  /** true class indices [count] */
  labels: Int32Array;
  /** softmax probabilities [count, classes] */
  probabilities: Float32Array;
}

export type Predictions = ForecastPredictions | ClassifyPredictions;

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

export type TaskReport = ForecastReport | ClassifyReport;
/** What lstm-eval prints and --json writes: the task's report, and what it was computed on. */
export type EvalReport = TaskReport & { source: string; split: SplitName };

/** Gathers a split's batches, in order, into predictions. */
export interface Collector {
  /** `shown` is the task's view of the model's outputs for `batch`, whose first example is number `start` */
  add(batch: Batch, start: number, shown: Float32Array): void;
  finish(loss: number): Predictions;
}

export interface Table {
  headers: string[];
  rows: Cell[][];
}

export interface Task {
  readonly name: TaskName;
  /** the headline metric's name, as in history.csv: mae (original units) or accuracy */
  readonly metric: string;
  /** what its examples are called (plural) */
  readonly examples: string;
  /** what lstm-eval's plot shows */
  readonly plotName: string;
  /** a batch's targets as the loss takes them */
  targetTensor(batch: Batch, outputSize: number): tf.Tensor2D;
  /** mean loss over the batch of the head's raw outputs [batch, outputSize] */
  loss(output: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar;
  /** what predictions show of the head's raw outputs */
  shown(output: tf.Tensor2D): tf.Tensor2D;
  /** the headline metric of one batch's raw outputs (e.g. a training batch's) */
  batchMetric(dataset: Dataset, batch: Batch, output: Float32Array): number;
  collector(dataset: Dataset, size: number): Collector;
  /** the headline metric of a split's predictions */
  headline(p: Predictions, dataset: Dataset): number;
  /** the full metrics and the naive baselines */
  report(p: Predictions, dataset: Dataset, split: SplitData): TaskReport;
  /** one row per example: its id, the truth and the prediction in original units */
  predictionTable(p: Predictions, dataset: Dataset, split: SplitData): Table;
  /** lstm-eval's chart: the file's base name and the Vega-Lite spec */
  plot(report: EvalReport, p: Predictions, dataset: Dataset, split: SplitData, title: string): Chart;
  /** the report as lstm-eval prints it, line by line */
  formatReport(report: TaskReport): string[];
}

export interface Chart {
  name: string;
  spec: VegaLiteSpec;
}

/** Narrows a task's own value; another task's reaching it is a programmer error. */
export function own<T extends { task: TaskName }, N extends T['task']>(value: T, task: N): Extract<T, { task: N }> {
  if (value.task !== task) throw new Error(`the ${task} task was handed ${value.task} data`);
  return value as Extract<T, { task: N }>;
}
