// Builds a forecast Dataset from a CSV's columns: series by time, empty cells, splits, scalers, inputs, windows.
import { DataError } from '../errors.js';
import type { ForecastDataConfig } from '../config/schema.js';
import { numericColumnsExcept, requireColumn } from './columns.js';
import type { ReadPlan, Table } from './csv.js';
import { writeCalendar } from './calendar.js';
import {
  calendarNames,
  fitCategory,
  futureNames,
  oneHotNames,
  oneHotWidth,
  writeOneHot,
  type Category,
} from './features.js';
import { checkFutureRows, splitFutureRows, type FutureRows } from './future-rows.js';
import { forecastSplit, seriesWindowEnds } from './windows.js';
import { readSeriesColumns, type SeriesColumns } from './forecast-columns.js';
import { seriesColumns, seriesRows, type SeriesRows } from './forecast-rows.js';
import { fitColumn } from './scaler.js';
import { chronologicalSegments, type Segments } from './split.js';
import { splitSizes } from './summary.js';
import { describeFrequency, formatTime } from './time.js';
import type {
  FeatureLayout,
  FittedTransforms,
  ForecastDataset,
  FutureLayout,
  ForecastInfo,
  Scaler,
  Series,
  SeriesScalers,
  SplitName,
  WindowSpec,
} from './types.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The numeric feature columns: the trained model's, the config's, or (undefined) chosen from the file's numbers. */
const givenFeatures = (cfg: ForecastDataConfig, fitted?: FittedTransforms) =>
  fitted?.featureScaler.columns ?? cfg.features;
const targetsOf = (cfg: ForecastDataConfig, fitted?: FittedTransforms) => fitted?.targetScaler?.columns ?? cfg.targets;
/** data.futureFeatures that are numbers: the others are categorical (one-hot with data.categorical's levels). */
const futureNumericOf = (cfg: ForecastDataConfig) =>
  (cfg.futureFeatures ?? []).filter((c) => !(cfg.categorical ?? []).includes(c));

/** A target that is not an input, absent from data to predict from: fine unless the window's level needs it. */
function absentTarget(header: string[], file: string, cfg: ForecastDataConfig, name: string): boolean {
  if (header.includes(name)) return false;
  if (cfg.windowLevel === 'absolute') return true;
  throw new DataError(
    `${file}:1`,
    `expected a target column "${name}": with windowLevel "${cfg.windowLevel}" each forecast is taken relative to ` +
      `its target's level in the window; the file's columns are: ${header.join(', ')}`,
  );
}

/** What a forecast file is read for: its numeric inputs and targets, the time, the series id, the categories. */
export function forecastPlan(cfg: ForecastDataConfig, file: string, fitted?: FittedTransforms, inputsOnly = false) {
  return (header: string[]): ReadPlan => {
    const features = givenFeatures(cfg, fitted);
    const ids = seriesColumns(cfg);
    const categorical = cfg.categorical ?? [];
    for (const f of features ?? []) requireColumn(header, file, f, 'feature');
    // with known-future columns the targets mark where the future rows start, so they must be there
    const future = cfg.futureFeatures ?? [];
    const targets = targetsOf(cfg, fitted).filter(
      (t) => !(inputsOnly && future.length === 0 && !features?.includes(t) && absentTarget(header, file, cfg, t)),
    );
    for (const c of future) requireColumn(header, file, c, 'future feature');
    const futureNumeric = futureNumericOf(cfg);
    for (const t of targets) requireColumn(header, file, t, 'target');
    if (cfg.time !== undefined) requireColumn(header, file, cfg.time, 'time');
    for (const c of ids) requireColumn(header, file, c, 'series id');
    for (const c of categorical) requireColumn(header, file, c, 'categorical');
    const excluded = [...targetsOf(cfg, fitted), cfg.time, ...ids, ...categorical, ...future];
    return {
      columns: [
        ...[...new Set([...(features ?? []), ...targets, ...futureNumeric])].map((name) => ({
          name,
          kind: 'number' as const,
        })),
        ...(cfg.time === undefined ? [] : [{ name: cfg.time, kind: 'time' as const }]),
        ...[...ids, ...categorical].map((name) => ({ name, kind: 'text' as const })),
      ],
      candidates: features === undefined ? header.filter((h) => !excluded.includes(h)) : undefined,
    };
  };
}

/**
 * With `fitted` (a trained model's transforms) its columns, scalers, vocabularies, leads and time step are used as
 * stored, and each series need only hold one window (`inputsOnly`: without its targets); the splits are computed
 * exactly as in training.
 */
export function loadForecast(
  table: Table,
  cfg: ForecastDataConfig,
  absPath: string,
  fitted?: FittedTransforms,
  inputsOnly = false,
): ForecastDataset {
  const targets = targetsOf(cfg, fitted);
  const present = targets.filter((t) => table.header.includes(t));
  const numeric = givenFeatures(cfg, fitted) ?? defaultFeatures(table, targets, cfg);
  const leads = fitted?.forecast?.leads ?? range(cfg.horizon);
  const futureNumeric = futureNumericOf(cfg);
  const allRows = seriesRows(table, cfg, fitted?.forecast?.time?.frequency);
  const future = cfg.futureFeatures ? splitFutureRows(table, allRows, present, futureNumeric) : undefined;
  const rows = future?.observed ?? allRows;
  const futureCount = future ? future.rows.reduce((n, r) => n + r.filter((row) => row >= 0).length, 0) : 0;
  const columns = readSeriesColumns(table, rows, [...new Set([...numeric, ...present, ...futureNumeric])], cfg.missing);
  const maxLead = inputsOnly ? 0 : Math.max(...leads); // to forecast past the end, a window is enough
  const parts = seriesSegments(table, cfg, columns, { maxLead, fitting: fitted === undefined, futureCount });
  checkKnownSeries(table, cfg, columns, fitted);
  const scalers = fitScalers(cfg, columns, parts, { numeric, targets, present }, fitted);
  const categories =
    fitted?.categories ??
    (cfg.categorical ?? []).map((c) =>
      fitCategory(c, table.text(c), trainRows(columns, parts), cfg.maxCategories, table.file),
    );
  const layout: FeatureLayout = {
    numeric,
    categories,
    calendar: cfg.calendar ?? [],
    ...(cfg.futureFeatures
      ? {
          future: fitted?.forecast?.future ?? {
            shift: cfg.horizon,
            numeric: futureNumeric,
            categories: categories.filter((k) => cfg.futureFeatures!.includes(k.column)),
            scaler: fitScaler(cfg, columns, trainPositions(columns, parts), futureNumeric),
          },
        }
      : {}),
  };
  if (future && layout.future)
    checkFutureRows(table, future, {
      ...layout.future,
      categorical: layout.future.categories.map((k) => k.column),
      seriesNames: columns.names,
      targets,
      ...(rows.form ? { time: (t: number) => formatTime(t, rows.form!) } : {}),
    });
  const built = buildSeries(table, columns, layout, { targets, present, scalers, future });
  const loaded: Loaded = { table, cfg, targets, leads, rows, columns, parts, scalers, layout, built, future };
  const splits = forecastSplits(loaded);
  const featureNames = [
    ...numeric,
    ...layout.categories.flatMap(oneHotNames),
    ...layout.calendar.flatMap(calendarNames),
    ...(layout.future ? futureNames(layout.future) : []),
  ];
  const notes = [
    ...(fitted === undefined && cfg.features === undefined ? defaultFeatureNotes(numeric, targets, columns) : []),
    ...loadNotes(loaded),
  ];
  return {
    task: 'forecast',
    file: absPath,
    featureNames,
    targetNames: [...targets],
    steps: cfg.window,
    outputSize: leads.length * targets.length,
    masked: false,
    fitted: fittedOf(loaded),
    splits,
    forecast: { ...forecastInfo(loaded, present.length === targets.length), intervals: fitted?.forecast?.intervals },
    summary: {
      file: table.file,
      task: 'forecast',
      rows: columns.rowIds.length,
      droppedRows: table.rows - futureCount + rows.gaps.filled - columns.rowIds.length,
      features: featureNames,
      targets: [...targets],
      classes: [],
      sizes: splitSizes(splits),
      steps: cfg.window,
      ...(seriesColumns(cfg).length > 0 ? { series: columns.names.length - parts.skipped.size } : {}),
      notes,
    },
  };
}

/** What loadForecast has worked out before it assembles the dataset, for the helpers that assemble it. */
interface Loaded {
  table: Table;
  cfg: ForecastDataConfig;
  targets: string[];
  leads: number[];
  rows: SeriesRows;
  columns: SeriesColumns;
  parts: Parts;
  scalers: Scalers;
  layout: FeatureLayout;
  built: ReturnType<typeof buildSeries>;
  future?: FutureRows;
}

/** The train, val and test splits (and all: every window) of the series, each the windows inside its rows. */
function forecastSplits(l: Loaded): ForecastDataset['splits'] {
  const spec: WindowSpec = { window: l.cfg.window, leads: l.leads, level: l.cfg.windowLevel };
  const split = (part: SplitName) => {
    const ranges = l.columns.bounds.flatMap(([start, end], s): [number, number][] => {
      if (l.parts.skipped.has(s)) return [];
      const [a, b] = part === 'all' ? [0, end - start] : l.parts.segments[s][part];
      return [[start + a, start + b]];
    });
    const ends = seriesWindowEnds(ranges, l.cfg.window, Math.max(...l.leads));
    return forecastSplit(part, l.built.series, ends, spec, l.columns.rowIds, l.columns.seriesOf);
  };
  return { train: split('train'), val: split('val'), test: split('test'), all: split('all') };
}

/** What a checkpoint stores of this data: the scalers (per series too), the vocabularies, leads and time step. */
function fittedOf(l: Loaded): FittedTransforms {
  const { scalers, columns, rows } = l;
  const perSeries = scalers.perSeries;
  const seriesScalers =
    perSeries &&
    Object.fromEntries(columns.names.flatMap((name, s) => (perSeries[s] ? [[name, perSeries[s]] as const] : [])));
  const time = rows.form && { form: rows.form, frequency: rows.frequency };
  return {
    featureScaler: scalers.featureScaler,
    targetScaler: scalers.targetScaler,
    classes: [],
    ...(l.layout.categories.length > 0 ? { categories: l.layout.categories } : {}),
    forecast: {
      leads: l.leads,
      ...(time ? { time } : {}),
      ...(seriesScalers ? { seriesScalers } : {}),
      ...(l.layout.future ? { future: l.layout.future } : {}),
    },
  };
}

/** What the baselines, forecasts and reports need of the series beyond the batches. */
function forecastInfo(l: Loaded, hasTargets: boolean): Omit<ForecastInfo, 'intervals'> {
  const { cfg, columns, rows, scalers } = l;
  return {
    leads: l.leads,
    window: cfg.window,
    windowLevel: cfg.windowLevel,
    series: l.built.series,
    seriesNames: columns.names,
    seriesBounds: columns.bounds,
    seriesOf: columns.seriesOf,
    targetScalerOf: (s) => scalers.perSeries?.[s]?.targetScaler ?? scalers.targetScaler,
    featureScalerOf: (s) => scalers.perSeries?.[s]?.featureScaler ?? scalers.featureScaler,
    layout: l.layout,
    hasTargets,
    season: cfg.season,
    intervalLevels: cfg.intervals,
    targetRaw: l.built.targetRaw,
    rowIds: columns.rowIds,
    time:
      columns.times && rows.form
        ? { column: cfg.time ?? '', values: columns.times, form: rows.form, frequency: rows.frequency }
        : undefined,
    gaps: rows.gaps,
    ...(l.future && l.layout.future
      ? {
          futureRows: l.future.rows.map((r) => r.length),
          futureTails: futureTails(l.table, l.layout.future, l.future),
          futureOwn: futureOwnInputs(l, l.layout.future, l.future),
        }
      : {}),
  };
}

/** The notes of loading: gaps, series left out, levels the training split lacks. */
function loadNotes(l: Loaded): string[] {
  const skipped = [...l.parts.skipped].map((s) => l.columns.names[s]);
  return [
    ...gapNotes(l.cfg, l.rows),
    ...(skipped.length > 0
      ? [
          `${skipped.length} series too short for a window and the horizon in each split were left out ` +
            `(data.shortSeries "skip"): ${skipped.join(', ')}`,
        ]
      : []),
    ...l.built.unseen.map(
      ([c, n]) => `${n} rows of ${c} have a level the training split does not have: encoded as all zeros`,
    ),
  ];
}

/** Every numeric column of the file that is not a target, the time, an id or a categorical; else the targets. */
function defaultFeatures(table: Table, targets: string[], cfg: ForecastDataConfig): string[] {
  const others = numericColumnsExcept(table, [...targets, cfg.time, ...seriesColumns(cfg), ...(cfg.categorical ?? [])]);
  return others.length > 0 ? others : [...targets];
}

interface Parts {
  /** per series: its train / val / test row ranges, relative to its own first row */
  segments: Segments[];
  skipped: Set<number>;
}

/**
 * Each series split by time on its own. When fitting, each split asked for must hold a window and the horizon:
 * a shorter series is an error naming it, or (shortSeries "skip") left out. With a trained model, a series needs
 * only a window and the horizon overall (one window, `maxLead` 0, to forecast past the end).
 */
function seriesSegments(
  table: Table,
  cfg: ForecastDataConfig,
  c: SeriesColumns,
  o: { maxLead: number; fitting: boolean; futureCount: number },
): Parts {
  const need = cfg.window + o.maxLead;
  const what = `at least ${need} rows (window ${cfg.window} + horizon ${o.maxLead})`;
  const dropped = table.rows - o.futureCount - c.rowIds.length;
  const note = dropped > 0 ? ` (after dropping ${dropped} rows with empty cells)` : '';
  const single = c.names.length === 1;
  const segments = c.bounds.map(([a, b]) => chronologicalSegments(b - a, cfg.split));
  const skipped = new Set<number>();
  c.bounds.forEach(([a, b], s) => {
    const rows = b - a;
    const short = (part: 'train' | 'val' | 'test') => {
      const [start, end] = segments[s][part];
      return !(part === 'test' && cfg.split.test === 0) && end - start < need;
    };
    const tooShort = rows < need || (o.fitting && (['train', 'val', 'test'] as const).some(short));
    if (!tooShort) return;
    if (!single && (cfg.shortSeries === 'skip' || !o.fitting)) return void skipped.add(s);
    if (single && rows < need) throw new DataError(table.file, `expected ${what}, found ${rows}${note}`);
    const part = (['train', 'val', 'test'] as const).find(short) ?? 'train';
    const [start, end] = segments[s][part];
    if (single)
      throw new DataError(
        table.file,
        `expected ${what} in the ${part} split, found ${end - start} (${Math.round(cfg.split[part] * 100)}% of ${rows} rows${note})`,
        'use more data, a shorter window, or a larger split fraction',
      );
    throw new DataError(
      table.file,
      `series ${JSON.stringify(c.names[s])} has ${rows} rows: expected ${what} in each split, found ${end - start} in ${part}`,
      'set data.shortSeries to "skip" to leave such series out, or use a shorter window',
    );
  });
  if (skipped.size === c.names.length)
    throw new DataError(table.file, `expected a series with ${what}, found none (${c.names.length} series)`);
  return { segments, skipped };
}

/** A series the model never saw has no scalers of its own when each series has its own: refuse it by name. */
function checkKnownSeries(table: Table, cfg: ForecastDataConfig, c: SeriesColumns, fitted?: FittedTransforms): void {
  const stored = fitted?.forecast?.seriesScalers;
  if (stored === undefined) return;
  const unknown = c.names.filter((n) => stored[n] === undefined);
  if (unknown.length > 0)
    throw new DataError(
      table.file,
      `series ${unknown.map((n) => JSON.stringify(n)).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not among ` +
        `those the model was trained on: with scaleBy "series" each series is scaled by its own training part`,
      'leave them out (lstm-predict --series names the series to forecast), or train with data.scaleBy "global"',
    );
}

/** The data rows of every (kept) series' train part: what scalers and vocabularies are fitted on. */
function trainRows(c: SeriesColumns, parts: Parts): Int32Array {
  const at = trainPositions(c, parts);
  const rows = new Int32Array(at.length);
  for (let i = 0; i < at.length; i++) rows[i] = c.rowIds[at[i]];
  return rows;
}

/** The positions of the train part of every kept series (or of series `only`). */
function trainPositions(c: SeriesColumns, parts: Parts, only?: number): Int32Array {
  const ranges = c.bounds.flatMap(([start], s): [number, number][] => {
    if ((only !== undefined && s !== only) || parts.skipped.has(s)) return [];
    const [a, b] = parts.segments[s].train;
    return [[start + a, start + b]];
  });
  const out = new Int32Array(ranges.reduce((n, [a, b]) => n + b - a, 0));
  let k = 0;
  for (const [a, b] of ranges) for (let p = a; p < b; p++) out[k++] = p;
  return out;
}

/** A scaler of `columns` fitted on the rows at positions `at` (an absent column: offset 0, scale 1). */
function fitScaler(cfg: ForecastDataConfig, c: SeriesColumns, at: Int32Array, columns: string[]): Scaler {
  const fitted = columns.map((name) => {
    const v = c.values.get(name);
    if (v === undefined) return [0, 1] as [number, number];
    const picked = new Float64Array(at.length);
    for (let i = 0; i < at.length; i++) picked[i] = v[at[i]];
    return fitColumn(cfg.normalize, picked);
  });
  return {
    kind: cfg.normalize,
    columns: [...columns],
    offset: fitted.map((f) => f[0]),
    scale: fitted.map((f) => f[1]),
  };
}

interface Scalers {
  featureScaler: Scaler;
  targetScaler: Scaler;
  /** scaleBy "series": per series index (undefined for a skipped one) */
  perSeries?: (SeriesScalers | undefined)[];
}

/** Scalers fitted on training rows only: over every series' (global), or each series' own. */
function fitScalers(
  cfg: ForecastDataConfig,
  c: SeriesColumns,
  parts: Parts,
  names: { numeric: string[]; targets: string[]; present: string[] },
  fitted?: FittedTransforms,
): Scalers {
  const positions = (s?: number) => trainPositions(c, parts, s);
  const fit = (columns: string[], at: Int32Array) => fitScaler(cfg, c, at, columns);
  const all = fitted ? new Int32Array(0) : positions();
  const featureScaler = fitted?.featureScaler ?? fit(names.numeric, all);
  const targetScaler = fitted?.targetScaler ?? fit(names.targets, all);
  const stored = fitted?.forecast?.seriesScalers;
  if (stored !== undefined) return { featureScaler, targetScaler, perSeries: c.names.map((n) => stored[n]) };
  if (fitted !== undefined || cfg.scaleBy === 'global' || c.names.length === 1) return { featureScaler, targetScaler };
  const perSeries = c.names.map((_, s) => {
    if (parts.skipped.has(s)) return undefined;
    const at = positions(s);
    return { featureScaler: fit(names.numeric, at), targetScaler: fit(names.targets, at) };
  });
  return { featureScaler, targetScaler, perSeries };
}

/** The scaled inputs and targets of every row, and the targets in original units. */
function buildSeries(
  table: Table,
  c: SeriesColumns,
  layout: FeatureLayout,
  o: { targets: string[]; present: string[]; scalers: Scalers; future?: FutureRows },
): { series: Series; targetRaw: Float32Array; unseen: [string, number][] } {
  const n = c.rowIds.length;
  const own = layout.numeric.length + oneHotWidth(layout.categories) + 2 * layout.calendar.length;
  const f = layout.future;
  const width = own + (f ? f.numeric.length + oneHotWidth(f.categories) : 0);
  const x = new Float32Array(n * width);
  const [t, scalers] = [o.targets.length, o.scalers];
  const y = new Float32Array(n * t);
  const targetRaw = new Float32Array(n * t).fill(NaN);
  // each series' rows are contiguous: scale them with its own scalers (or the global ones)
  c.bounds.forEach(([a, b], s) => {
    const own = scalers.perSeries?.[s] ?? scalers;
    layout.numeric.forEach((name, f) => {
      const v = c.values.get(name) as Float64Array;
      const [offset, scale] = [own.featureScaler.offset[f], own.featureScaler.scale[f]];
      for (let p = a; p < b; p++) x[p * width + f] = (v[p] - offset) / scale;
    });
    o.targets.forEach((name, j) => {
      const v = c.values.get(name);
      if (v === undefined) return; // absent from data to predict from
      const [offset, scale] = [own.targetScaler.offset[j], own.targetScaler.scale[j]];
      for (let p = a; p < b; p++) {
        targetRaw[p * t + j] = v[p];
        y[p * t + j] = (v[p] - offset) / scale;
      }
    });
  });
  let at = layout.numeric.length;
  const unseen: [string, number][] = [];
  for (const k of layout.categories) {
    const count = writeOneHot(k, table.text(k.column), c.rowIds, x, width, at);
    if (count > 0) unseen.push([k.column, count]);
    at += k.levels.length;
  }
  if (layout.calendar.length > 0 && c.times && c.form) writeCalendar(layout.calendar, c.times, c.form, x, width, at);
  if (f) writeFuture(table, c, f, o.future, x, width, own);
  const levelled = new Uint8Array(width);
  levelled.fill(1, 0, layout.numeric.length);
  const series: Series = {
    rows: n,
    x,
    features: width,
    y,
    targets: t,
    targetFeature: Int32Array.from(o.targets, (name) => layout.numeric.indexOf(name)),
    levelled,
  };
  return { series, targetRaw, unseen };
}

/**
 * Each row's known-future inputs: the values `shift` rows later in its series, from the series' own rows or, past
 * its end, from its future rows; 0 where neither reaches (no window that is used reads those).
 */
function writeFuture(
  table: Table,
  c: SeriesColumns,
  f: FutureLayout,
  future: FutureRows | undefined,
  x: Float32Array,
  width: number,
  at: number,
): void {
  const n = c.rowIds.length;
  const later = new Int32Array(n).fill(-1); // the data row `shift` rows later
  const value = f.numeric.map(() => new Float64Array(n).fill(NaN));
  c.bounds.forEach(([a, b], s) => {
    for (let p = a; p < b; p++) {
      const q = p + f.shift;
      if (q < b) {
        later[p] = c.rowIds[q];
        f.numeric.forEach((name, k) => (value[k][p] = c.values.get(name)![q]));
      } else if (future && q - b < future.rows[s].length) {
        later[p] = future.rows[s][q - b];
        f.numeric.forEach((name, k) => (value[k][p] = future.values[s].get(name)![q - b]));
      }
    }
  });
  writeLater(table, f, later, value, x, width, at);
}

/** The known-future inputs of rows whose later data rows are `later` (numeric values `value`), at `at` of each. */
function writeLater(
  table: Table,
  f: FutureLayout,
  later: Int32Array,
  value: Float64Array[],
  x: Float32Array,
  width: number,
  at: number,
): void {
  f.numeric.forEach((_, k) => {
    const [offset, scale] = [f.scaler.offset[k], f.scaler.scale[k]];
    for (let p = 0; p < later.length; p++) {
      const v = value[k][p];
      x[p * width + at + k] = Number.isNaN(v) ? 0 : (v - offset) / scale;
    }
  });
  let col = at + f.numeric.length;
  for (const k of f.categories) {
    writeOneHot(k, table.text(k.column), later, x, width, col);
    col += k.levels.length;
  }
}

/**
 * The future rows' own inputs, for a rollout's appended rows: each numeric or categorical input whose column is a
 * future feature (scaled, one-hot), NaN for the others; [future rows, numeric + one-hot inputs] per series.
 */
function futureOwnInputs(l: Loaded, f: FutureLayout, future: FutureRows): Float32Array[] {
  const { layout, scalers } = l;
  const width = layout.numeric.length + oneHotWidth(layout.categories);
  return future.rows.map((rows, s) => {
    const out = new Float32Array(rows.length * width).fill(NaN);
    const own = scalers.perSeries?.[s]?.featureScaler ?? scalers.featureScaler;
    layout.numeric.forEach((name, k) => {
      const values = future.values[s].get(name);
      if (!f.numeric.includes(name) || !values) return;
      for (let r = 0; r < rows.length; r++) out[r * width + k] = (values[r] - own.offset[k]) / own.scale[k];
    });
    let col = layout.numeric.length;
    for (const k of layout.categories) {
      if (f.categories.some((c) => c.column === k.column)) {
        for (let r = 0; r < rows.length; r++) out.fill(0, r * width + col, r * width + col + k.levels.length);
        writeOneHot(k, l.table.text(k.column), rows, out, width, col);
      }
      col += k.levels.length;
    }
    return out;
  });
}

/**
 * Past each series' end, the known-future inputs of the rows a rollout appends, as far as its future rows reach:
 * [rows, future inputs] per series (row k: the future row k + shift's values).
 */
function futureTails(table: Table, f: FutureLayout, future: FutureRows): Float32Array[] {
  const width = f.numeric.length + oneHotWidth(f.categories);
  return future.rows.map((rows, s) => {
    const n = Math.max(0, rows.length - f.shift);
    const later = rows.slice(f.shift);
    const value = f.numeric.map((name) => future.values[s].get(name)!.slice(f.shift));
    const out = new Float32Array(n * width);
    writeLater(table, f, later, value, out, width, 0);
    return out;
  });
}

function gapNotes(cfg: ForecastDataConfig, rows: SeriesRows): string[] {
  const { found, filled } = rows.gaps;
  if (found === 0) return [];
  const freq = rows.frequency && rows.form ? ` (frequency ${describeFrequency(rows.frequency, rows.form)})` : '';
  const gaps = `${found} gap${found === 1 ? '' : 's'} in ${cfg.time}${freq}`;
  return cfg.gaps === 'fill'
    ? [`${gaps}: filled with ${filled} rows of empty cells, handled by data.missing ("${cfg.missing}")`]
    : [`${gaps}: ignored, the rows on either side taken as consecutive (data.gaps "ignore")`];
}

/**
 * What a user of the default features should know: that the targets' own past is left out (when other columns
 * exist), and which features increase on every row like a time index (a chronological split then shows val and
 * test only values beyond the training range). Each names the config line that changes it.
 */
function defaultFeatureNotes(features: string[], targets: string[], c: SeriesColumns): string[] {
  const increasing = (name: string) => {
    const v = c.values.get(name);
    if (v === undefined || v.length <= 2) return false;
    for (let p = 0; p + 1 < v.length; p++) if (!(v[p + 1] > v[p]) && c.seriesOf[p + 1] === c.seriesOf[p]) return false;
    return true;
  };
  const indexLike = features.filter(increasing);
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

export type { Category };
