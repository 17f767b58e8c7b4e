// Builds a forecast Dataset from a parsed CSV: order by time, pick columns, handle empty cells, split, scale, window.
import { DataError, describeValue } from '../errors.js';
import type { ForecastDataConfig } from '../config/schema.js';
import { columnIndex, numericColumnsExcept, parseCell } from './columns.js';
import type { CsvTable } from './csv.js';
import { forecastSplit, windowEnds } from './forecast.js';
import { applyMissing, previousRowInGroup, type MissingContext } from './missing.js';
import { applyScaler, fitScaler } from './scaler.js';
import { chronologicalSegments, type Segments } from './split.js';
import { splitSizes } from './summary.js';
import { timeline, type Timeline } from './timeline.js';
import { describeFrequency } from './time.js';
import type { FittedTransforms, ForecastDataset, ForecastInfo, Series, SeriesTime, WindowSpec } from './types.js';

/** The used columns of the kept rows, in original units, in time order. */
interface RawSeries {
  featureRaw: Float64Array; // [rows, features]
  targetRaw: Float64Array; // [rows, targets]
  /** file data-row index of each kept row (-1: a row inserted in a gap) */
  rowIds: Int32Array;
  time?: SeriesTime;
  /** false when the file lacks a target that is not an input (data to predict from): targetRaw is NaN there */
  hasTargets: boolean;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * With `fitted` (a trained model's transforms) its columns, scalers, leads and time step are used as stored, and
 * only the whole series must hold one window; the split is computed exactly as in training.
 */
export function loadForecast(
  table: CsvTable,
  cfg: ForecastDataConfig,
  absPath: string,
  fitted?: FittedTransforms,
  inputsOnly = false,
): ForecastDataset {
  const targets = fitted?.targetScaler?.columns ?? cfg.targets;
  const features = fitted?.featureScaler.columns ?? cfg.features ?? defaultFeatures(table, targets, cfg.time);
  const leads = fitted?.forecast?.leads ?? range(cfg.horizon);
  const order = cfg.time === undefined ? undefined : timeOrder(table, cfg, fitted);
  const raw = readSeries(table, cfg, { features, targets, inputsOnly }, order);
  const n = raw.rowIds.length;
  const segments = chronologicalSegments(n, cfg.split);
  const maxLead = inputsOnly ? 0 : Math.max(...leads); // to forecast past the end, a window is enough
  checkRowCounts(table, cfg, segments, { rows: n, maxLead, fitting: fitted === undefined });
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
    targets: targets.length,
    targetFeature: Int32Array.from(targets, (t) => features.indexOf(t)),
  };
  const spec: WindowSpec = { window: cfg.window, leads, level: cfg.windowLevel };
  const split = (name: 'train' | 'val' | 'test' | 'all', [start, end]: [number, number]) =>
    forecastSplit(name, series, windowEnds(start, end, cfg.window, Math.max(...leads)), spec, raw.rowIds);
  const splits = {
    train: split('train', segments.train),
    val: split('val', segments.val),
    test: split('test', segments.test),
    all: split('all', [0, n]), // every window of the series, boundaries ignored: what a trained model is run on
  };
  const forecast: ForecastInfo = {
    leads,
    window: cfg.window,
    windowLevel: cfg.windowLevel,
    series,
    hasTargets: raw.hasTargets,
    season: cfg.season,
    intervalLevels: cfg.intervals,
    targetRaw: Float32Array.from(raw.targetRaw),
    rowIds: raw.rowIds,
    time: raw.time,
    intervals: fitted?.forecast?.intervals,
    gaps: { found: order?.gaps ?? 0, filled: order?.filled ?? 0 },
  };
  const notes = [
    ...(fitted === undefined && cfg.features === undefined
      ? defaultFeatureNotes(features, targets, raw.featureRaw)
      : []),
    ...gapNotes(cfg, order),
  ];
  const summary = {
    file: table.file,
    task: 'forecast' as const,
    rows: n,
    droppedRows: table.rows.length + (order?.filled ?? 0) - n,
    features: [...features],
    targets: [...targets],
    classes: [],
    sizes: splitSizes(splits),
    steps: cfg.window,
    notes,
  };
  const time = raw.time && { form: raw.time.form, frequency: raw.time.frequency };
  return {
    task: 'forecast',
    file: absPath,
    featureNames: [...features],
    targetNames: [...targets],
    classes: [],
    steps: cfg.window,
    outputSize: leads.length * targets.length,
    masked: false,
    featureScaler,
    targetScaler,
    fitted: { featureScaler, targetScaler, classes: [], forecast: { leads, ...(time ? { time } : {}) } },
    splits,
    forecast,
    summary,
  };
}

/** The rows in time order (gaps filled or not, by data.gaps), with the trained model's step when there is one. */
function timeOrder(table: CsvTable, cfg: ForecastDataConfig, fitted?: FittedTransforms): Timeline {
  const column = cfg.time ?? '';
  const c = columnIndex(table, column, 'time');
  return timeline(
    {
      file: table.file,
      column,
      columnNumber: c + 1,
      count: table.rows.length,
      cell: (r) => table.rows[r].cells[c],
      line: (r) => table.rows[r].line,
    },
    cfg.gaps,
    fitted?.forecast?.time?.frequency,
  );
}

function gapNotes(cfg: ForecastDataConfig, order?: Timeline): string[] {
  if (order === undefined || order.gaps === 0) return [];
  const freq = order.frequency ? ` (frequency ${describeFrequency(order.frequency, order.form)})` : '';
  const gaps = `${order.gaps} gap${order.gaps === 1 ? '' : 's'} in ${cfg.time}${freq}`;
  return cfg.gaps === 'fill'
    ? [`${gaps}: filled with ${order.filled} rows of empty cells, handled by data.missing ("${cfg.missing}")`]
    : [`${gaps}: ignored, the rows on either side taken as consecutive (data.gaps "ignore")`];
}

/**
 * Every numeric non-target column but the time column; when there is none (a single-series file), the targets
 * themselves, so the model forecasts the series from its own past rather than failing on an empty feature list.
 */
function defaultFeatures(table: CsvTable, targets: string[], time?: string): string[] {
  const others = numericColumnsExcept(table, [...targets, time]);
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
  const increasing = (j: number) => {
    for (let r = 0; r + 1 < rows; r++) if (!(featureRaw[(r + 1) * width + j] > featureRaw[r * width + j])) return false;
    return rows > 2;
  };
  const indexLike = features.filter((_, j) => increasing(j));
  const suggested = [...new Set([...targets, ...features.filter((f) => !indexLike.includes(f))])];
  // when the defaults already are the targets alone (a single-series file), there is no better list to suggest
  const differs = suggested.length !== features.length || suggested.some((f) => !features.includes(f));
  const fix = differs ? `; set "features": ${JSON.stringify(suggested)} in data to change that` : '';
  const notes: string[] = [];
  const unseen = targets.filter((t) => !features.includes(t));
  if (unseen.length > 0)
    notes.push(
      'data.features is not set, so the features are the numeric columns other than the targets: ' +
        `the model does not see the past of ${unseen.join(', ')}${fix}`,
    );
  for (const name of indexLike)
    notes.push(
      `feature ${name} increases on every row, like a time index: ` +
        `split by time, val and test hold only values beyond those seen in training${fix}`,
    );
  return notes;
}

/** A target that is not an input, absent from data to predict from: fine unless the window's level needs it. */
function optionalTarget(table: CsvTable, cfg: ForecastDataConfig, name: string): boolean {
  if (table.header.includes(name)) return false;
  if (cfg.windowLevel === 'absolute') return true;
  throw new DataError(
    `${table.file}:1`,
    `expected a target column "${name}": with windowLevel "${cfg.windowLevel}" each forecast is taken relative to ` +
      `its target's level in the window; the file's columns are: ${table.header.join(', ')}`,
  );
}

/**
 * Parses the feature and target columns (a column may be both) of the rows in `order` (all rows in file order
 * without a time column; -1 is a row inserted in a gap, all empty) and applies the missing-value policy.
 */
function readSeries(
  table: CsvTable,
  cfg: ForecastDataConfig,
  { features, targets, inputsOnly }: { features: string[]; targets: string[]; inputsOnly: boolean },
  order?: Timeline,
): RawSeries {
  const featureCols = features.map((n) => columnIndex(table, n, 'feature'));
  const absent = targets.filter((t) => inputsOnly && !features.includes(t) && optionalTarget(table, cfg, t));
  const targetCols = targets.map((n) => (absent.includes(n) ? -1 : columnIndex(table, n, 'target')));
  const cols = [...new Set([...featureCols, ...targetCols.filter((c) => c >= 0)])];
  const rows = order ? order.order : Int32Array.from(table.rows, (_, r) => r);
  const values = seriesMatrix(table, rows, cols);
  const kept = applyMissing(values, cols.length, cfg.missing, {
    locate: locateSeries(table, rows, cols),
    previous: previousRowInGroup(cols.length),
  });
  const pick = (which: number[]) =>
    gather(
      values,
      cols.length,
      kept,
      which.map((c) => cols.indexOf(c)),
    );
  const time = order && {
    column: cfg.time ?? '',
    values: Float64Array.from(kept, (i) => order.values[i]),
    form: order.form,
    frequency: order.frequency,
  };
  const rowIds = Int32Array.from(kept, (i) => rows[i]);
  return { featureRaw: pick(featureCols), targetRaw: pick(targetCols), rowIds, time, hasTargets: absent.length === 0 };
}

/** The columns `cols` of table rows `rows` (-1: an inserted row, all NaN) as [rows, cols]; empty cells are NaN. */
function seriesMatrix(table: CsvTable, rows: Int32Array, cols: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols.length).fill(NaN);
  rows.forEach((r, i) => {
    if (r < 0) return;
    const row = table.rows[r];
    cols.forEach((c, j) => {
      const v = parseCell(row.cells[c]);
      if (v === undefined)
        throw new DataError(
          `${table.file}:${row.line}:${c + 1}`,
          `column "${table.header[c]}": expected a number, got ${describeValue(row.cells[c])}`,
        );
      out[i * cols.length + j] = v;
    });
  });
  return out;
}

/** Where series cell (i, j) came from: its file:line:column, or the gap it was inserted in. */
function locateSeries(table: CsvTable, rows: Int32Array, cols: number[]): MissingContext['locate'] {
  return (i, j) => {
    const column = table.header[cols[j]];
    if (rows[i] >= 0) return { where: `${table.file}:${table.rows[rows[i]].line}:${cols[j] + 1}`, column };
    let next = i;
    while (next < rows.length && rows[next] < 0) next++;
    const before = next < rows.length ? `line ${table.rows[rows[next]].line}` : 'the end';
    return { where: `${table.file}: a row inserted for a gap (data.gaps "fill") before ${before}`, column };
  };
}

/** Columns `which` (indices into a row of `values`; -1 a column not read: NaN) of `rows`, as [rows, which]. */
function gather(values: Float64Array, width: number, rows: number[], which: number[]): Float64Array {
  const out = new Float64Array(rows.length * which.length);
  rows.forEach((r, i) => which.forEach((j, k) => (out[i * which.length + k] = j < 0 ? NaN : values[r * width + j])));
  return out;
}

/** The series must hold one window + the farthest lead; when fitting, so must each split segment asked for. */
function checkRowCounts(
  table: CsvTable,
  cfg: ForecastDataConfig,
  segments: Segments,
  o: { rows: number; maxLead: number; fitting: boolean },
): void {
  const need = cfg.window + o.maxLead;
  const dropped = table.rows.length - o.rows;
  const note = dropped > 0 ? ` (after dropping ${dropped} rows with empty cells)` : '';
  const what = `at least ${need} rows (window ${cfg.window} + horizon ${o.maxLead})`;
  if (o.rows < need) throw new DataError(table.file, `expected ${what}, found ${o.rows}${note}`);
  if (!o.fitting) return;
  for (const part of ['train', 'val', 'test'] as const) {
    const [start, end] = segments[part];
    if (part === 'test' && cfg.split.test === 0) continue; // no test split asked for
    if (end - start < need)
      throw new DataError(
        table.file,
        `expected ${what} in the ${part} split, found ${end - start} (${Math.round(cfg.split[part] * 100)}% of ${o.rows} rows${note})`,
        'use more data, a shorter window, or a larger split fraction',
      );
  }
}
