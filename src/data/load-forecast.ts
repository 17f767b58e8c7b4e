// Builds a forecast Dataset from a CSV's columns: orders the series by time, splits them, fits the encoders on the
// training rows, encodes every row (forecast-build.ts) and cuts the windows.
import type { ForecastDataConfig } from '../config/schema.js';
import type { Table } from './csv.js';
import { fitCategory } from './features.js';
import { forecastInputs } from './encoders/index.js';
import { checkFutureRows, splitFutureRows, type FutureRows } from './future-rows.js';
import { forecastSplit, seriesWindowEnds } from './windows.js';
import { readSeriesColumns, type SeriesColumns } from './forecast-columns.js';
import { seriesColumns, seriesRows, type SeriesRows } from './forecast-rows.js';
import { buildSeries, futureOwnInputs, futureTails, type BuildPlan } from './forecast-build.js';
import {
  checkKnownSeries,
  fitScaler,
  fitScalers,
  seriesSegments,
  trainPositions,
  trainRows,
  type Parts,
} from './forecast-fit.js';
import { countsUp, defaultFeatureNotes, loadNotes } from './forecast-notes.js';
import { defaultFeatures, futureNumericOf, givenFeatures, targetsOf } from './forecast-plan.js';
import { loadedLevel } from './relevel.js';
import { isCountSplit } from './split.js';
import { splitSizes } from './summary.js';
import { formatTime } from './time.js';
import type { FeatureLayout, FittedTransforms, ForecastDataset, ForecastInfo, SplitName, WindowSpec } from './types.js';

export { forecastPlan } from './forecast-plan.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** What a forecast file is loaded with: the config, the file, and a trained model's transforms when predicting. */
export interface ForecastLoad {
  cfg: ForecastDataConfig;
  absPath: string;
  fitted?: FittedTransforms;
  /** data to predict from: a target that is no input may be absent, and a series need only hold one window */
  inputsOnly?: boolean;
}

/**
 * With `fitted` (a trained model's transforms) its columns, scalers, vocabularies, leads and time step are used as
 * stored, and each series need only hold one window (`inputsOnly`: without its targets); the splits are computed
 * exactly as in training.
 */
export function loadForecast(
  table: Table,
  { cfg, absPath, fitted, inputsOnly = false }: ForecastLoad,
): ForecastDataset {
  const targets = targetsOf(cfg, fitted);
  const present = targets.filter((t) => table.header.includes(t));
  const given = givenFeatures(cfg, fitted);
  const candidates = given ?? defaultFeatures(table, targets, cfg);
  const leads = fitted?.forecast?.leads ?? range(cfg.horizon);
  const futureNumeric = futureNumericOf(cfg);
  const allRows = seriesRows(table, cfg, fitted?.forecast?.time?.frequency);
  const future = cfg.futureFeatures ? splitFutureRows(table, allRows, present, futureNumeric) : undefined;
  const rows = future?.observed ?? allRows;
  const futureCount = future ? future.rows.reduce((n, r) => n + r.filter((row) => row >= 0).length, 0) : 0;
  const columns = readSeriesColumns(
    table,
    rows,
    [...new Set([...candidates, ...present, ...futureNumeric])],
    cfg.missing,
  );
  // a default feature that counts up like a time index would show val and test only values training never saw
  const indexLike = given ? [] : candidates.filter((n) => !targets.includes(n) && countsUp(columns, n));
  const numeric = candidates.filter((n) => !indexLike.includes(n));
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
  const plan: BuildPlan = { table, columns, layout, targets, scalers, future };
  const built = buildSeries(plan);
  const loaded: Loaded = { cfg, targets, leads, rows, columns, parts, plan, built, future };
  const splits = forecastSplits(loaded);
  const featureNames = forecastInputs(layout, scalers.featureScaler, columns.form).names;
  const notes = [
    ...defaultFeatureNotes(indexLike, cfg.time),
    ...loadNotes({
      cfg,
      rows,
      skipped: [...parts.skipped].map((s) => columns.names[s]),
      unseen: built.unseen,
    }),
    ...(fitted === undefined && isCountSplit(cfg.split)
      ? [
          'data.split by rows: each val and test window forecasts rows of its split from the rows before them ' +
            '(its inputs may lie in an earlier split); the scalers, the linear skip and the baselines are fitted ' +
            'on the training rows only',
        ]
      : []),
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
      splitRows: splitRows(columns, parts),
      steps: cfg.window,
      ...(seriesColumns(cfg).length > 0 ? { series: columns.names.length - parts.skipped.size } : {}),
      notes,
    },
  };
}

/** What loadForecast has worked out before it assembles the dataset, for the helpers that assemble it. */
interface Loaded {
  cfg: ForecastDataConfig;
  targets: string[];
  leads: number[];
  rows: SeriesRows;
  columns: SeriesColumns;
  parts: Parts;
  /** the encoders' layout and fitted scalers, with the rows they read */
  plan: BuildPlan;
  built: ReturnType<typeof buildSeries>;
  future?: FutureRows;
}

/** The train, val and test splits (and all: every window) of the series, each the windows inside its rows. */
function forecastSplits(l: Loaded): ForecastDataset['splits'] {
  const spec: WindowSpec = { window: l.cfg.window, leads: l.leads, level: loadedLevel(l.cfg.windowLevel) };
  // split by rows, a val or test window's targets lie in its split and its inputs may read the rows before it
  const history = isCountSplit(l.cfg.split) ? l.cfg.window - 1 + Math.min(...l.leads) : 0;
  const split = (part: SplitName) => {
    const ranges = l.columns.bounds.flatMap(([start, end], s): [number, number][] => {
      if (l.parts.skipped.has(s)) return [];
      const [a, b] = part === 'all' ? [0, end - start] : l.parts.segments[s][part];
      const reads = part === 'val' || part === 'test' ? Math.max(0, a - history) : a;
      return [[start + reads, start + b]];
    });
    const ends = seriesWindowEnds(ranges, l.cfg.window, Math.max(...l.leads));
    return forecastSplit(part, l.built.series, ends, spec, l.columns.rowIds, l.columns.seriesOf);
  };
  return { train: split('train'), val: split('val'), test: split('test'), all: split('all') };
}

/** The rows of each split over every kept series. */
function splitRows(c: SeriesColumns, parts: Parts): Record<'train' | 'val' | 'test', number> {
  const out = { train: 0, val: 0, test: 0 };
  c.names.forEach((_, s) => {
    if (parts.skipped.has(s)) return;
    for (const part of ['train', 'val', 'test'] as const)
      out[part] += parts.segments[s][part][1] - parts.segments[s][part][0];
  });
  return out;
}

/** What a checkpoint stores of this data: the scalers (per series too), the vocabularies, leads and time step. */
function fittedOf(l: Loaded): FittedTransforms {
  const { columns, rows } = l;
  const { scalers, layout } = l.plan;
  const perSeries = scalers.perSeries;
  const seriesScalers =
    perSeries &&
    Object.fromEntries(columns.names.flatMap((name, s) => (perSeries[s] ? [[name, perSeries[s]] as const] : [])));
  const time = rows.form && { form: rows.form, frequency: rows.frequency };
  return {
    featureScaler: scalers.featureScaler,
    targetScaler: scalers.targetScaler,
    classes: [],
    ...(layout.categories.length > 0 ? { categories: layout.categories } : {}),
    forecast: {
      leads: l.leads,
      ...(time ? { time } : {}),
      ...(seriesScalers ? { seriesScalers } : {}),
      ...(layout.future ? { future: layout.future } : {}),
    },
  };
}

/** What the baselines, forecasts and reports need of the series beyond the batches. */
function forecastInfo(l: Loaded, hasTargets: boolean): Omit<ForecastInfo, 'intervals'> {
  const { cfg, columns, rows } = l;
  const { scalers, layout } = l.plan;
  return {
    leads: l.leads,
    window: cfg.window,
    windowLevel: loadedLevel(cfg.windowLevel),
    series: l.built.series,
    seriesNames: columns.names,
    seriesBounds: columns.bounds,
    seriesOf: columns.seriesOf,
    targetScalerOf: (s) => scalers.perSeries?.[s]?.targetScaler ?? scalers.targetScaler,
    featureScalerOf: (s) => scalers.perSeries?.[s]?.featureScaler ?? scalers.featureScaler,
    layout,
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
    ...(l.future && layout.future
      ? {
          futureRows: l.future.rows.map((r) => r.length),
          futureTails: futureTails(l.plan, layout.future, l.future),
          futureOwn: futureOwnInputs(l.plan, layout.future, l.future),
        }
      : {}),
  };
}

export type { Category } from './features.js';
