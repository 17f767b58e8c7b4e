// The Task contract: what training, evaluation and the CLIs ask of a task instead of branching on its name.
import type * as tf from '@tensorflow/tfjs';
import type { Config, DataConfig, TaskName } from '../config/schema.js';
import type { Batch, Dataset, FittedTransforms, Intervals, SplitData, SplitName } from '../data/types.js';
import type { PeerFits } from '../data/peer-fits.js';
import type { VegaLiteSpec } from '../charts/render.js';
import type { Head } from '../models/build.js';
import type { LayerAnchor } from '../models/anchor.js';
import type { ProgressPhases } from '../util/progress.js';
import type { Cell } from '../util/table.js';
import type { ClassMetrics, RegressionMetrics } from './metrics.js';
import type { Prediction, PredictionRequest } from './prediction.js';
import type { PeerName } from './forecast/peers/types.js';

/** A forecaster's outputs on a split, in original units. */
export interface ForecastPredictions {
  task: 'forecast';
  /** mean loss, in scaled units as in training */
  loss: number;
  count: number;
  /** the steps ahead, in the order of the middle axis below */
  leads: number[];
  targets: number;
  /** true and predicted targets [count, leads, targets] */
  yTrue: Float32Array;
  yPred: Float32Array;
  /** scaleBy "series": each example's target scales [count, targets], what its interval widths are multiplied by */
  units?: Float32Array;
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

/** A model's or a baseline's metrics, in original units. */
export type BaselineName = 'persistence' | 'seasonal-naive' | 'linear' | PeerName;

/**
 * A forecast's metrics with the scale-free ones: MASE (MAE over each series' in-sample seasonal-naive MAE on its
 * training part; NaN without one) and sMAPE in %.
 */
export type ForecastScores = RegressionMetrics & { mase: number; smape: number };

/** MAE beside the scale-free metrics: a series' score, or the mean of the series' scores. */
export interface ScaleFree {
  mae: number;
  mase: number;
  smape: number;
}

export interface ForecastTargetMetrics {
  name: string;
  /** over every lead at once: the mean over steps */
  model: ForecastScores;
  persistence: ForecastScores;
  /** 1 − MAE_model / MAE_persistence */
  skill: number;
  /**
   * every baseline computed: persistence always, seasonal-naive with data.season, linear and the statistical peers
   * (theta, ets, arima) when they could be fitted on the training data
   */
  baselines: Partial<Record<BaselineName, ForecastScores>>;
  /** 1 − MAE_model / MAE_baseline, for each baseline */
  skills: Partial<Record<BaselineName, number>>;
  byLead: { lead: number; model: ForecastScores; baselines: Partial<Record<BaselineName, ForecastScores>> }[];
}

export interface ForecastMetrics {
  task: 'forecast';
  count: number;
  loss: number;
  leads: number[];
  targets: ForecastTargetMetrics[];
  /** the intervals' empirical coverage on this split, over every target: per level, and per level and lead */
  coverage?: { levels: number[]; overall: number[]; byLead: number[][]; calibration: string };
  /** a file of several series: each one's MAE (over its windows and every lead), the model's and the baselines' */
  series?: {
    name: string;
    windows: number;
    targets: {
      name: string;
      mae: number;
      /** each baseline's MAE */
      baselines: Partial<Record<BaselineName, number>>;
      /** the model's and each baseline's MAE, MASE and sMAPE */
      scores: Partial<Record<'model' | BaselineName, ScaleFree>>;
    }[];
  }[];
  /** a file of several series: per target, the mean over series of each one's MAE, MASE and sMAPE */
  seriesMean?: { name: string; scores: Partial<Record<'model' | BaselineName, ScaleFree>> }[];
  /** what a reader should know about the baselines or intervals */
  notes: string[];
}

export interface ClassifyMetrics {
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

export type TaskMetrics = ForecastMetrics | ClassifyMetrics;
/** What lstm-eval prints and --json writes: the task's report, and what it was computed on. */
export type EvalMetrics = TaskMetrics & { source: string; split: SplitName };

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

/** A report's table (report.html), with what its caption says. */
export interface ReportTable extends Table {
  caption?: string;
}

/** What a forecast report needs besides the predictions: the training data (the linear baseline), the intervals. */
export interface MetricsContext {
  training?: Dataset;
  intervals?: Intervals;
  /** where the intervals came from, in words */
  calibration?: string;
  /** what could not be worked out, and why */
  notes?: string[];
  /** the statistical peers to score (default: all, each left out with a note if it cannot fit) */
  peers?: { names: readonly PeerName[]; explicit: boolean };
  /** the peers' fits stored with the checkpoint, used where the training data is the one they were made on */
  peerFits?: PeerFits;
}

/** lstm-predict's half of a task: its predictions on a file, and how they are shown. */
export interface Predictor {
  run(r: PredictionRequest): Promise<Prediction>;
  table(p: Prediction): Table;
  /** what --json prints besides the rows */
  extras(p: Prediction): Record<string, unknown>;
  /** the chart, titled after the run's name */
  chart(p: Prediction, name: string): Chart;
}

export interface Task {
  readonly name: TaskName;
  /** the headline metric's name, as in history.csv: mae (original units) or accuracy */
  readonly metric: string;
  /** what the headline metric averages, when a reader needs telling: forecast, ", the mean over 24 steps ahead" */
  metricScope(dataset: Dataset): string;
  /** what its examples are called (plural) */
  readonly examples: string;
  /** whether its report fits something on the training data (forecast: the linear baseline, missing intervals) */
  readonly usesTrainingData: boolean;
  /** which way its headline metric is better: classify's accuracy up, forecast's MAE down */
  readonly higherIsBetter: boolean;
  /** whether its model forecasts the rows after an origin (what a rolling-origin backtest scores) */
  readonly forecastsAhead: boolean;
  /** what its model is, in a report's heading: "a forecaster" */
  readonly modelNoun: string;
  /** what its outputs are called, the data summary's field that lists them: targets or classes */
  readonly outputs: 'targets' | 'classes';
  /** what an export puts after the model's head: a classifier's softmax */
  readonly head: Head;
  /** whether its model takes a mask of each sequence's real steps besides x: a classifier of long-layout data */
  masked(data: DataConfig): boolean;
  /** a batch's targets as the loss takes them */
  targetTensor(batch: Batch, outputSize: number): tf.Tensor2D;
  /** mean loss over the batch of the head's raw outputs [batch, outputSize]; classify: weighted by class if given */
  loss(output: tf.Tensor2D, target: tf.Tensor2D, classWeights?: tf.Tensor1D): tf.Scalar;
  /** what predictions show of the head's raw outputs */
  shown(output: tf.Tensor2D): tf.Tensor2D;
  /** the headline metric of one batch's raw outputs (e.g. a training batch's) */
  batchMetric(dataset: Dataset, batch: Batch, output: Float32Array): number;
  collector(dataset: Dataset, size: number): Collector;
  /**
   * What a checkpoint of the model whose val-split predictions are `val` stores: the data's transforms, and for a
   * forecaster the intervals calibrated on those predictions.
   */
  checkpointTransforms(dataset: Dataset, val: Predictions): FittedTransforms;
  /**
   * The config and data as this data settles them, before the model is built (forecast: the statistical peers are
   * fitted, in their own progress phase, and data.windowLevel "auto" is decided, or taken from `trained`, the
   * config of the weights the model starts from; the data comes back cut at it).
   */
  settle(
    config: Config,
    dataset: Dataset,
    o?: { progress?: ProgressPhases; trained?: Config },
  ): { config: Config; dataset: Dataset; notes: string[] };
  /**
   * What a new model's weights start from besides the seed, with notes: forecast, a linear skip at the ridge fit of
   * the training windows, so the LSTM learns what a linear model of the window misses. `started`: the start is a
   * fitted model in its own right, so training scores it on val as a candidate for the best checkpoint (epoch 0).
   * `anchor`: a layer training holds near its start (the skip near its prior); `keepWeights` sets no weight and
   * gives only the anchor (a resumed run's). `progress` hears each phase (forecast: the skip's ridge).
   */
  startWeights(
    model: tf.LayersModel,
    dataset: Dataset,
    config: Config,
    progress?: ProgressPhases,
    o?: { keepWeights?: boolean },
  ): { notes: string[]; started: boolean; anchor?: LayerAnchor };
  /** the headline metric of a split's predictions */
  headline(p: Predictions, dataset: Dataset): number;
  /**
   * What the report needs besides the predictions, worked out once for a trained model: forecast, the intervals
   * (the checkpoint's, or calibrated now on `training`'s val split when it has none) and the training data.
   */
  metricsContext(o: {
    model: tf.LayersModel;
    training?: Dataset;
    fitted?: FittedTransforms;
    batchSize: number;
  }): MetricsContext;
  /** the full metrics and the naive baselines */
  metrics(p: Predictions, dataset: Dataset, split: SplitData, context?: MetricsContext): TaskMetrics;
  /** one row per example: its id, the truth and the prediction in original units */
  predictionTable(p: Predictions, dataset: Dataset, split: SplitData, context?: MetricsContext): Table;
  /** lstm-eval's charts: each file's base name and the Vega-Lite spec, titled after `name` (the run's) */
  plots(metrics: EvalMetrics, p: Predictions, dataset: Dataset, split: SplitData, name: string): Chart[];
  /** the report as lstm-eval prints it, line by line */
  formatMetrics(metrics: TaskMetrics): string[];
  /** report.html's tables of the metrics (the model against its baselines, or per class), and notes below them */
  reportTables(metrics: TaskMetrics): { tables: ReportTable[]; notes: string[] };
  /** the metric `metric` of the report in a few words: each target's (forecast), or the one score (classify) */
  scoreText(metrics: TaskMetrics, metric: string): string;
  /** an example's truth and prediction in a few words: a classifier's labels, a forecaster's first target and step */
  caption(p: Predictions, dataset: Dataset, index: number): string;
  /** lstm-predict's predictions of the task's model */
  readonly predictor: Predictor;
}

export interface Chart {
  name: string;
  spec: VegaLiteSpec;
}

/** Narrows a value that a task-agnostic loader gave back (a dataset, predictions); another task's is a bug. */
export function own<T extends { task: TaskName }, N extends T['task']>(value: T, task: N): Extract<T, { task: N }> {
  if (value.task !== task) throw new Error(`the ${task} task was handed ${value.task} data`);
  return value as Extract<T, { task: N }>;
}

/** A value handed to one task's implementation, narrowed to that task's own kind where it says which it is. */
type OwnArg<A, N extends TaskName> = A extends { task: TaskName } ? Extract<A, { task: N }> : A;
type OwnFn<F, N extends TaskName> = F extends (...args: infer A) => infer R
  ? (...args: { [K in keyof A]: OwnArg<A[K], N> }) => R
  : F;

/**
 * An interface as task N implements it: every argument that carries a `task` (a dataset, predictions, metrics) is
 * already N's own kind, so the implementation is written against ForecastDataset, ForecastPredictions, … directly.
 */
export type ImplementationOf<I, N extends TaskName> = { [K in keyof I]: OwnFn<I[K], N> };

/**
 * The one place where a task's implementation is seen through the interface every caller uses: each call checks
 * that every value with a `task` it is handed is task N's (another's is a programmer error).
 */
export function asTask<I extends object, N extends TaskName>(name: N, impl: ImplementationOf<I, N>): I {
  const check = (arg: unknown) => {
    const task = (arg as { task?: unknown } | null)?.task;
    if (typeof arg === 'object' && task !== undefined && task !== name)
      throw new Error(`the ${name} task was handed ${JSON.stringify(task)} data`);
  };
  const entries = Object.entries(impl).map(([key, value]) => {
    if (typeof value !== 'function') return [key, value];
    const method = value as (...args: unknown[]) => unknown;
    return [key, (...args: unknown[]) => (args.forEach(check), method.apply(impl, args))];
  });
  return Object.fromEntries(entries) as I;
}
