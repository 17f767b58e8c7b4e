// Builds a forecast Dataset from a parsed CSV: pick columns, handle empty cells, split by time, scale, window.
import { DataError } from '../errors.js';
import type { ForecastDataConfig } from '../config/schema.js';
import { columnIndex, numericColumnsExcept, numericMatrix } from './columns.js';
import type { CsvTable } from './csv.js';
import { forecastSplit, windowEnds, type Series } from './forecast.js';
import { applyMissing, previousRowInGroup } from './missing.js';
import { applyScaler, fitScaler } from './scaler.js';
import { chronologicalSegments } from './split.js';
import { splitSizes } from './summary.js';
import type { Dataset, FittedTransforms } from './types.js';

/**
 * With `fitted` (a trained model's transforms) its feature and target columns and scalers are used as stored,
 * and only the whole series must hold one window; the split is computed exactly as in training.
 */
export function loadForecast(table: CsvTable, cfg: ForecastDataConfig, absPath: string, fitted?: FittedTransforms): Dataset {
  const targets = fitted?.targetScaler?.columns ?? cfg.targets;
  const features = fitted?.featureScaler.columns ?? cfg.features ?? numericColumnsExcept(table, targets);
  if (features.length === 0)
    throw new DataError(`${table.file}:1`, `expected at least one numeric feature column besides the targets, found none among: ${table.header.join(', ')}`);
  const featureCols = features.map((n) => columnIndex(table, n, 'feature'));
  const targetCols = targets.map((n) => columnIndex(table, n, 'target'));
  const cols = [...new Set([...featureCols, ...targetCols])];
  const allRows = table.rows.map((_, r) => r);
  const values = numericMatrix(table, allRows, cols);
  const kept = applyMissing(values, cols.length, cfg.missing, {
    locate: (i, j) => ({ where: `${table.file}:${table.rows[i].line}:${cols[j] + 1}`, column: table.header[cols[j]] }),
    previous: previousRowInGroup(cols.length),
  });
  const n = kept.length;
  const need = cfg.window + cfg.horizon;
  const dropped = table.rows.length - n;
  const note = dropped ? ` (after dropping ${dropped} rows with empty cells)` : '';
  if (n < need)
    throw new DataError(table.file, `expected at least ${need} rows (window ${cfg.window} + horizon ${cfg.horizon}), found ${n}${note}`);
  const segments = chronologicalSegments(n, cfg.split);
  if (!fitted)
    for (const part of ['train', 'val'] as const) {
      const [start, end] = segments[part];
      if (end - start < need)
        throw new DataError(
          table.file,
          `expected at least ${need} rows (window ${cfg.window} + horizon ${cfg.horizon}) in the ${part} split, ` +
            `found ${end - start} (${Math.round(cfg.split[part] * 100)}% of ${n} rows${note})`,
          'use more data, a shorter window, or a larger split fraction',
        );
    }

  const pick = (which: number[]) => gather(values, cols.length, kept, which.map((c) => cols.indexOf(c)));
  const featureRaw = pick(featureCols); // [n, features]
  const targetRaw = pick(targetCols); // [n, targets]
  const [trainStart, trainEnd] = segments.train;
  const featureScaler = fitted?.featureScaler ?? fitScaler(cfg.normalize, features, featureRaw.subarray(trainStart * features.length, trainEnd * features.length));
  const targetScaler = fitted?.targetScaler ?? fitScaler(cfg.normalize, targets, targetRaw.subarray(trainStart * targets.length, trainEnd * targets.length));
  const series: Series = {
    rows: n,
    x: applyScaler(featureScaler, featureRaw),
    features: features.length,
    y: applyScaler(targetScaler, targetRaw),
    yRaw: Float32Array.from(targetRaw),
    targets: targets.length,
  };
  const split = (start: number, end: number) => forecastSplit(series, windowEnds(start, end, cfg.window, cfg.horizon), cfg.window, cfg.horizon, kept);
  const splits = {
    train: split(...segments.train),
    val: split(...segments.val),
    test: split(...segments.test),
    all: split(0, n), // every window of the series, boundaries ignored: what a trained model is run on
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
    summary: {
      file: table.file,
      task: 'forecast',
      rows: n,
      droppedRows: dropped,
      features: [...features],
      targets: [...targets],
      classes: [],
      sizes: splitSizes(splits),
      steps: cfg.window,
    },
  };
}

/** Columns `which` (indices into a row of `values`) of rows `rows`, as a new [rows, which] matrix. */
function gather(values: Float64Array, width: number, rows: number[], which: number[]): Float64Array {
  const out = new Float64Array(rows.length * which.length);
  rows.forEach((r, i) => which.forEach((j, k) => (out[i * which.length + k] = values[r * width + j])));
  return out;
}
