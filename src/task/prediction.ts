// What lstm-predict asks of a task (the request) and what it gets back: a forecast of the next steps, or labels.
import type { OnProgress } from '../util/progress.js';
import type * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../checkpoint/model-card.js';
import type { Dataset } from '../data/types.js';
import type { Forward } from './forward.js';

/** A checkpoint on a file without (or with) its truth. */
export interface PredictionRequest {
  model: tf.LayersModel;
  card: ModelCard;
  /** the CSV to predict from */
  dataPath: string;
  /** forecast: steps ahead (default: the horizon) and the row or time the window ends at */
  steps?: number;
  from?: string;
  /** forecast: the series to forecast (default: every series of the file) */
  series?: string[];
  batchSize: number;
  /** hears the bytes of the file read (a progress bar on a terminal) */
  onProgress?: OnProgress;
  /** `work` run with the forward pass of the chosen runtime over `data` (interval calibration runs in tfjs either way) */
  withForward<T>(data: Dataset, work: (forward: Forward) => Promise<T>): Promise<T>;
}

export interface FutureStep {
  /** the series it belongs to (a file with several) */
  series?: string;
  step: number;
  /** written as the file writes its times (with a time column) */
  time?: string;
  /** the x it is drawn at: its time (ms) or its data row */
  x: number;
  /** per target, original units */
  values: number[];
  /** [level][target]; undefined where no interval could be calibrated for the step */
  lower?: number[][];
  upper?: number[][];
  /** the file's own values at that step, when it has rows after --from */
  actual?: number[];
}

export interface FutureForecast {
  task: 'forecast';
  targets: string[];
  levels: number[];
  /** each forecast's window end: its series, data-row index and time */
  origins: { series?: string; row: number; time?: string }[];
  steps: FutureStep[];
  /** the targets before each forecast, for the plot: x (time in ms, or data-row index) and values */
  history: { series?: string; x: number; values: number[] }[];
  temporal: boolean;
  notes: string[];
}

export interface Labelled {
  task: 'classify';
  classes: string[];
  /** one per sequence: its id (the sequence id, or the data row in the wide layout), label and probabilities */
  rows: { sequence: number | string; label: string; probabilities: number[] }[];
  notes: string[];
}

export type Prediction = FutureForecast | Labelled;
