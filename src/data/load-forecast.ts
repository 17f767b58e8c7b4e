// Builds a forecast Dataset from a parsed CSV: pick columns, handle empty cells, split by time, scale, window.
import { DataError } from '../errors.js';
import type { ForecastDataConfig } from '../config/schema.js';
import { columnIndex, numericColumnsExcept, numericMatrix } from './columns.js';
import type { CsvTable } from './csv.js';
import { forecastSplit, windowEnds, type Series } from './forecast.js';
import { applyMissing, locateIn, previousRowInGroup } from './missing.js';
import { applyScaler, fitScaler } from './scaler.js';
import { chronologicalSegments, type Segments } from './split.js';
import { splitSizes } from './summary.js';
import type { Dataset, FittedTransforms } from './types.js';

/** The used columns of the kept rows, in original units. */
interface RawSeries {
  featureRaw: Float64Array; // [rows, features]
  targetRaw: Float64Array; // [rows, targets]
  /** file data-row index of each kept row */
  kept: number[];
}

/**
 * With `fitted` (a trained model's transforms) its feature and target columns and scalers are used as stored,
 * and only the whole series must hold one window; the split is computed exactly as in training.
 */
export function loadForecast(
  table: CsvTable,
  cfg: ForecastDataConfig,
  absPath: string,
  fitted?: FittedTransforms,
): Dataset {
  const targets = fitted?.targetScaler?.columns ?? cfg.targets;
  const features = fitted?.featureScaler.columns ?? cfg.features ?? defaultFeatures(table, targets);
  const raw = readSeries(table, cfg, features, targets);
  const n = raw.kept.length;
  const segments = chronologicalSegments(n, cfg.split);
  checkRowCounts(table, cfg, segments, n, fitted === undefined);
  const [trainStart, trainEnd] = segments.train;
  const trainRows = (m: Float64Array, width: number) => m.subarray(trainStart * width, trainEnd * width);
  const featureScaler =
    fitted?.featureScaler ?? fitScaler(cfg.normalize, features, trainRows(raw.featureRaw, features.length));
  const targetScaler =
    fitted?.targetScaler ?? fitScaler(cfg.normalize, targets, trainRows(raw.targetRaw, targets.length));
  const series: Series = {
    rows: n,
    x: applyScaler(featureScaler, raw.featureRaw),
    features: features.length,
    y: applyScaler(targetScaler, raw.targetRaw),
    yRaw: Float32Array.from(raw.targetRaw),
    targets: targets.length,
  };
  const split = ([start, end]: [number, number]) =>
    forecastSplit(series, windowEnds(start, end, cfg.window, cfg.horizon), cfg.window, cfg.horizon, raw.kept);
  const splits = {
    train: split(segments.train),
    val: split(segments.val),
    test: split(segments.test),
    all: split([0, n]), // every window of the series, boundaries ignored: what a trained model is run on
  };
  const summary = {
    file: table.file,
    task: 'forecast' as const,
    rows: n,
    droppedRows: table.rows.length - n,
    features: [...features],
    targets: [...targets],
    classes: [],
    sizes: splitSizes(splits),
    steps: cfg.window,
    notes:
      fitted === undefined && cfg.features === undefined ? defaultFeatureNotes(features, targets, raw.featureRaw) : [],
  };
  return {
    task: 'forecast',
    file: absPath,
    featureNames: [...features],
    targetNames: [...targets],
    classes: [],
    steps: cfg.window,
    outputSize: targets.length,
    masked: false,
    featureScaler,
    targetScaler,
    splits,
    summary,
  };
}

/**
 * Every numeric non-target column; when there is none (a single-series file), the targets themselves, so the
 * model forecasts the series from its own past rather than failing on an empty feature list.
 */
function defaultFeatures(table: CsvTable, targets: string[]): string[] {
  const others = numericColumnsExcept(table, targets);
  return others.length > 0 ? others : [...targets];
}

/**
 * What a user of the default features should know: that the targets' own past is left out (when other columns
 * exist), and which features increase on every row like a time index (a chronological split then shows val and
 * test only values beyond the training range). Each names the config line that changes it.
 */
function defaultFeatureNotes(features: string[], targets: string[], featureRaw: Float64Array): string[] {
  const width = features.length;
  const rows = featureRaw.length / width;
  const increasing = (j: number) =>
    rows > 2 &&
    Array.from({ length: rows - 1 }, (_, r) => r).every(
      (r) => featureRaw[(r + 1) * width + j] > featureRaw[r * width + j],
    );
  const indexLike = features.filter((_, j) => increasing(j));
  const suggested = [...new Set([...targets, ...features.filter((f) => !indexLike.includes(f))])];
  // when the defaults already are the targets alone (a single-series file), there is no better list to suggest
  const differs = suggested.length !== features.length || suggested.some((f) => !features.includes(f));
  const fix = differs ? `; set "features": ${JSON.stringify(suggested)} in data to change that` : '';
  const notes: string[] = [];
  const unseen = targets.filter((t) => !features.includes(t));
  if (unseen.length > 0)
    notes.push(
      `data.features is not set, so the features are the numeric columns other than the targets: the model does not see the past of ${unseen.join(', ')}${fix}`,
    );
  for (const name of indexLike)
    notes.push(
      `feature ${name} increases on every row, like a time index: split by time, val and test hold only values beyond those seen in training${fix}`,
    );
  return notes;
}

/** Parses the feature and target columns (a column may be both) and applies the missing-value policy. */
function readSeries(table: CsvTable, cfg: ForecastDataConfig, features: string[], targets: string[]): RawSeries {
  const featureCols = features.map((n) => columnIndex(table, n, 'feature'));
  const targetCols = targets.map((n) => columnIndex(table, n, 'target'));
  const cols = [...new Set([...featureCols, ...targetCols])];
  const rows = table.rows.map((_, r) => r);
  const values = numericMatrix(table, rows, cols);
  const kept = applyMissing(values, cols.length, cfg.missing, {
    locate: locateIn(table, rows, cols),
    previous: previousRowInGroup(cols.length),
  });
  const pick = (which: number[]) =>
    gather(
      values,
      cols.length,
      kept,
      which.map((c) => cols.indexOf(c)),
    );
  return { featureRaw: pick(featureCols), targetRaw: pick(targetCols), kept };
}

/** Columns `which` (indices into a row of `values`) of rows `rows`, as a new [rows, which] matrix. */
function gather(values: Float64Array, width: number, rows: number[], which: number[]): Float64Array {
  const out = new Float64Array(rows.length * which.length);
  rows.forEach((r, i) => which.forEach((j, k) => (out[i * which.length + k] = values[r * width + j])));
  return out;
}

/** The series must hold one window + horizon; when fitting, so must each split segment asked for. */
function checkRowCounts(
  table: CsvTable,
  cfg: ForecastDataConfig,
  segments: Segments,
  n: number,
  fitting: boolean,
): void {
  const need = cfg.window + cfg.horizon;
  const dropped = table.rows.length - n;
  const note = dropped ? ` (after dropping ${dropped} rows with empty cells)` : '';
  const what = `at least ${need} rows (window ${cfg.window} + horizon ${cfg.horizon})`;
  if (n < need) throw new DataError(table.file, `expected ${what}, found ${n}${note}`);
  if (!fitting) return;
  for (const part of ['train', 'val', 'test'] as const) {
    const [start, end] = segments[part];
    if (part === 'test' && cfg.split.test === 0) continue; // no test split asked for
    if (end - start < need)
      throw new DataError(
        table.file,
        `expected ${what} in the ${part} split, found ${end - start} (${Math.round(cfg.split[part] * 100)}% of ${n} rows${note})`,
        'use more data, a shorter window, or a larger split fraction',
      );
  }
}
