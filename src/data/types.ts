// The shapes that flow from CSV to the training loop: plain typed arrays, no tensors (the loop makes those).
import type { ForecastDataConfig, TaskName } from '../config/schema.js';
import type { CalendarFeature, Category } from './features.js';
import type { Frequency, TimeForm } from './time.js';
import type { PeerFits } from './peer-fits.js';

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
  /**
   * forecast: scaled targets [batchSize, leads × targets] (lead-major), relative to each window's level when the
   * window level is not absolute (see `restore`); classify: class indices [batchSize].
   */
  y: Float32Array | Int32Array;
  /** classify long layout with ragged sequences: 1 where a step is real, 0 where it is padding; [batchSize, steps]. */
  mask?: Float32Array;
  /** forecast, windowLevel last or standardize: a scaled level is `output · scale + offset`; [batchSize, targets] each */
  restore?: Restore;
  /** forecast: the series of each example (what its targets are scaled by) */
  series?: Int32Array;
}

export interface Restore {
  offset: Float32Array;
  scale: Float32Array;
}

/** A split: `size` examples addressed by index 0..size-1, cut into batches on demand (never all windows at once). */
export interface SplitData {
  name: SplitName;
  size: number;
  /** An identifier per example: forecast, the data-row index of the window's last row; classify, the sequence id or data-row index. */
  ids: (number | string)[];
  /** Builds the batch for these example indices (in this order). */
  batch(indices: number[]): Batch;
}

/** One series' scalers (scaleBy "series"): its features' and targets'. */
export interface SeriesScalers {
  featureScaler: Scaler;
  targetScaler: Scaler;
}

/** A forecast split: each example is the window ending at a series row. */
export interface ForecastSplit extends SplitData {
  /** the series row of each example's window end, in time order */
  ends: Int32Array;
  /** the batch as it would be with windowLevel absolute (scaled levels, no restore): what the linear baseline reads */
  absoluteBatch(indices: number[]): Batch;
}

/** A window level as the data uses it: "auto" is decided before training (the run's config records which). */
export type WindowLevel = Exclude<ForecastDataConfig['windowLevel'], 'auto'>;

/** One scaled multivariate series plus its targets, row-major, rows in time order. */
export interface Series {
  rows: number;
  /** scaled features [rows, features] */
  x: Float32Array;
  features: number;
  /** scaled targets [rows, targets] */
  y: Float32Array;
  targets: number;
  /** for each target, the feature column holding the same data column, or -1 (the target is not an input) */
  targetFeature: Int32Array;
  /** per feature, 1 when it is a measured level (the window level applies to it), 0 (one-hot, calendar) when not */
  levelled: Uint8Array;
}

/** How examples are cut: the window's length, the steps ahead to predict, and how each window's level is taken. */
export interface WindowSpec {
  window: number;
  leads: number[];
  level: WindowLevel;
}

/** The time column of a series: its values per series row, how they are written, and their step. */
export interface SeriesTime {
  column: string;
  /** per series row (time order): ms since 1970 (dates, date-times) or the number */
  values: Float64Array;
  form: TimeForm;
  frequency?: Frequency;
}

/** Split-conformal interval half-widths in original units: [level][lead][target]. */
export interface Intervals {
  levels: number[];
  widths: number[][][];
  /** how many val windows calibrated them */
  windows: number;
  /** scaleBy "series": the widths are in units of each series' target scale (multiply by it), not original units */
  perSeries?: boolean;
}

/** What a forecast dataset knows of its series beyond the batches: for baselines, times and forecasts. */
export interface ForecastInfo {
  /** steps ahead the head predicts, in order: 1 … horizon (a card-1 model: its one step, `horizon`) */
  leads: number[];
  window: number;
  windowLevel: WindowLevel;
  /** the scaled series the windows are cut from: every series of the file, one after another */
  series: Series;
  /** the file's series: their names ([''] for a single series), each one's rows [start, end) in `series` */
  seriesNames: string[];
  seriesBounds: [number, number][];
  /** the series of each row */
  seriesOf: Int32Array;
  /** the target scaler of series s (scaleBy "series"), or the one of all */
  targetScalerOf(s: number): Scaler;
  /** the feature scaler of series s */
  featureScalerOf(s: number): Scaler;
  /** the inputs: numeric features (scaled), then each categorical column's one-hot levels, then calendar pairs */
  layout: FeatureLayout;
  /** whether the file holds each target (data loaded to predict may lack the truth) */
  hasTargets: boolean;
  /** targets in original units [rows, targets], time order */
  targetRaw: Float32Array;
  /** each series row's data-row index in the file (-1: a row inserted to fill a gap) */
  rowIds: Int32Array;
  time?: SeriesTime;
  /** data.intervals: the coverage levels of the intervals a model of this data gets */
  intervalLevels: number[];
  /** data.season: the seasonal-naive baseline's period in rows */
  season?: number;
  /** the checkpoint's intervals, when the data was loaded for one that has them */
  intervals?: Intervals;
  /** gaps found in the time column, and rows inserted for them */
  gaps: { found: number; filled: number };
  /** data.futureFeatures: per series, its rows after the last observed target (their future values are inputs) */
  futureRows?: number[];
  /** and per series the known-future inputs of the rows after its end, as far as they reach: [rows, inputs] */
  futureTails?: Float32Array[];
  /** and per series its future rows' own numeric and one-hot inputs (NaN for a column that is no future feature) */
  futureOwn?: Float32Array[];
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
  /** forecast: the rows of each split, over every series (a val or test window may read rows before its split) */
  splitRows?: Record<'train' | 'val' | 'test', number>;
  /** classify: count of each class per split */
  classCounts?: Record<'train' | 'val' | 'test', Record<string, number>>;
  steps: number;
  /** forecast with data.seriesId: how many series (after any left out) */
  series?: number;
  /** things worth knowing about the data that are not errors, e.g. what a default left out */
  notes?: string[];
}

/** What a checkpoint stores so that new data is transformed exactly like the training data. */
export interface FittedTransforms {
  featureScaler: Scaler;
  targetScaler?: Scaler;
  /** classify: the labels in class-index order; forecast: [] */
  classes: string[];
  forecast?: FittedForecast;
  /** the model's time axis: classify sequences are padded to it (a longer one is an error) */
  steps?: number;
  /** data.categorical's vocabularies, fitted on the training split */
  categories?: Category[];
}

/** A forecaster's own: its leads, its time column's form and step, and its intervals. */
export interface FittedForecast {
  leads: number[];
  time?: { form: TimeForm; frequency?: Frequency };
  intervals?: Intervals;
  /** scaleBy "series": each training series' scalers, by name */
  seriesScalers?: Record<string, SeriesScalers>;
  /** data.futureFeatures, as the inputs take them */
  future?: FutureLayout;
  /** the statistical peers fitted on the training data */
  peers?: PeerFits;
}

/** How a row's inputs are laid out after the numeric features. */
export interface FeatureLayout {
  numeric: string[];
  categories: Category[];
  calendar: CalendarFeature[];
  /** data.futureFeatures: after the calendar, each row also holds these columns' values `shift` rows later */
  future?: FutureLayout;
}

/**
 * Known-future inputs: row p of a window holds, besides its own features, the values of these columns at row
 * p + shift (shift = the horizon), so the window's last `shift` rows carry those of the forecast's steps 1 … horizon.
 * Numeric ones are scaled by `scaler` (fitted on the training split, never window-levelled), categorical ones
 * one-hot with their data.categorical levels.
 */
export interface FutureLayout {
  shift: number;
  numeric: string[];
  categories: Category[];
  scaler: Scaler;
}

interface DatasetCommon {
  file: string;
  featureNames: string[];
  /** forecast: target column names; classify: [] */
  targetNames: string[];
  /** window length (forecast) or longest sequence (classify) */
  steps: number;
  /** the head's width: leads × targets (forecast) or classes (classify) */
  outputSize: number;
  /** true when sequences are padded and batches carry a mask */
  masked: boolean;
  /** what a checkpoint of a model trained on this data stores: the scalers, the classes, the vocabularies */
  fitted: FittedTransforms;
  summary: DataSummary;
}

export interface ForecastDataset extends DatasetCommon {
  task: 'forecast';
  splits: Record<SplitName, ForecastSplit>;
  forecast: ForecastInfo;
}

export interface ClassifyDataset extends DatasetCommon {
  task: 'classify';
  splits: Record<SplitName, SplitData>;
}

export type Dataset = ForecastDataset | ClassifyDataset;
