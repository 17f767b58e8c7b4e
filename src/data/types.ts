// The shapes that flow from CSV to the training loop: plain typed arrays, no tensors (the loop makes those).
import type { TaskName } from '../config/schema.js';

export type SplitName = 'train' | 'val' | 'test' | 'all';

/** Per-column affine scaling: scaled = (value - offset) / scale. `none` has offset 0, scale 1. */
export interface Scaler {
  kind: 'zscore' | 'minmax' | 'none';
  columns: string[];
  offset: number[];
  scale: number[];
}

/** One batch, ready to become tensors. x is [batchSize, steps, features] row-major. */
export interface Batch {
  batchSize: number;
  steps: number;
  features: number;
  x: Float32Array;
  /** forecast: scaled targets [batchSize, targets]; classify: class indices [batchSize]. */
  y: Float32Array | Int32Array;
  /** classify long layout with ragged sequences: 1 where a step is real, 0 where it is padding; [batchSize, steps]. */
  mask?: Float32Array;
}

/** A split: `size` examples addressed by index 0..size-1, cut into batches on demand (never all windows at once). */
export interface SplitData {
  size: number;
  /** An identifier per example: forecast, the 0-based data-row index of the window's last row; classify, the sequenceId or data-row index. */
  ids: (number | string)[];
  /** Builds the batch for these example indices (in this order). */
  batch(indices: number[]): Batch;
  /** Forecast only: the last observed target values (original units) before each example's target: the persistence forecast. [size, targets] */
  persistence?(indices: number[]): Float32Array;
}

export interface DataSummary {
  file: string;
  task: TaskName;
  rows: number;
  droppedRows: number;
  features: string[];
  targets: string[];
  classes: string[];
  /** examples per split: windows (forecast) or sequences (classify) */
  sizes: Record<'train' | 'val' | 'test', number>;
  /** classify: count of each class per split */
  classCounts?: Record<'train' | 'val' | 'test', Record<string, number>>;
  steps: number;
  /** things worth knowing about the data that are not errors, e.g. what a default left out */
  notes?: string[];
}

/** What a checkpoint stores so that new data is transformed exactly like the training data. */
export interface FittedTransforms {
  featureScaler: Scaler;
  targetScaler?: Scaler;
  classes?: string[];
}

export interface Dataset extends FittedTransforms {
  task: TaskName;
  file: string;
  featureNames: string[];
  /** forecast: target column names; classify: [] */
  targetNames: string[];
  /** classify: class labels in index order (sorted); forecast: [] */
  classes: string[];
  /** window length (forecast) or longest sequence (classify) */
  steps: number;
  /** number of targets (forecast) or classes (classify): the head's width */
  outputSize: number;
  /** true when sequences are padded and batches carry a mask */
  masked: boolean;
  splits: Record<SplitName, SplitData>;
  summary: DataSummary;
}
