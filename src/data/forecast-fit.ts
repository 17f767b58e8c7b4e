// Each forecast series split by time, and what is fitted on the training rows only: scalers (global or per series).
import { DataError } from '../errors.js';
import type { ForecastDataConfig } from '../config/schema.js';
import type { Table } from './csv.js';
import type { SeriesColumns } from './forecast-columns.js';
import { fitColumn } from './scaler.js';
import { chronologicalSegments, isCountSplit, type Segments, type SplitSpec } from './split.js';
import type { FittedTransforms, Scaler, SeriesScalers } from './types.js';

export interface Parts {
  /** per series: its train / val / test row ranges, relative to its own first row */
  segments: Segments[];
  skipped: Set<number>;
}

/**
 * Each series split by time on its own. When fitting, each split asked for must hold its windows: with fractions a
 * window and the horizon each; by counts, training a window and the horizon, val and test the horizon (their
 * windows read the rows before them). A shorter series is an error naming it, or (shortSeries "skip") left out.
 * With a trained model, a series needs only a window and the horizon overall (one window, `maxLead` 0, to forecast
 * past the end).
 */
export function seriesSegments(
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
  const needs = partNeeds(cfg, o.maxLead);
  const skipped = new Set<number>();
  c.bounds.forEach(([a, b], s) => {
    const rows = b - a;
    const short = (part: Part) => {
      const [start, end] = segments[s][part];
      return !(part === 'test' && cfg.split.test === 0) && end - start < needs[part];
    };
    const tooShort = rows < need || (o.fitting && PARTS.some(short));
    if (!tooShort) return;
    if (!single && (cfg.shortSeries === 'skip' || !o.fitting)) return void skipped.add(s);
    if (single && rows < need) throw new DataError(table.file, `expected ${what}, found ${rows}${note}`);
    const part = PARTS.find(short) ?? 'train';
    const [start, end] = segments[s][part];
    if (single) throw shortSplit(table.file, cfg, { part, found: end - start, rows, need: needs[part], note });
    throw new DataError(
      table.file,
      `series ${JSON.stringify(c.names[s])} has ${rows} rows: expected at least ${needs[part]} rows in its ${part} ` +
        `split, found ${end - start} in ${part}`,
      'set data.shortSeries to "skip" to leave such series out, or use a shorter window',
    );
  });
  if (skipped.size === c.names.length)
    throw new DataError(table.file, `expected a series with ${what}, found none (${c.names.length} series)`);
  return { segments, skipped };
}

type Part = 'train' | 'val' | 'test';
const PARTS: Part[] = ['train', 'val', 'test'];

/** The rows each split must hold: see seriesSegments. */
function partNeeds(cfg: ForecastDataConfig, maxLead: number): Record<Part, number> {
  const need = cfg.window + maxLead;
  return isCountSplit(cfg.split)
    ? { train: need, val: maxLead, test: maxLead }
    : { train: need, val: need, test: need };
}

/** A single series' split too short for its windows, said with the config's numbers. */
function shortSplit(
  file: string,
  cfg: ForecastDataConfig,
  o: { part: Part; found: number; rows: number; need: number; note: string },
): DataError {
  const split = cfg.split as SplitSpec;
  const expected =
    o.need > cfg.window
      ? `expected at least ${o.need} rows (window ${cfg.window} + horizon ${o.need - cfg.window})`
      : `expected at least ${o.need} rows (the horizon)`;
  if (!isCountSplit(split))
    return new DataError(
      file,
      `${expected} in the ${o.part} split, found ${o.found} (${Math.round(split[o.part] * 100)}% of ${o.rows} rows${o.note})`,
      'use more data, a shorter window, a larger split fraction, or split by rows ("split": {"val": …, "test": …})',
    );
  const given =
    o.part === 'train'
      ? `${o.rows} rows less data.split.val ${split.val} and data.split.test ${split.test}`
      : `data.split.${o.part} ${split[o.part]}`;
  return new DataError(
    file,
    `data.split: ${expected} in the ${o.part} split, found ${o.found} (${given}${o.note})`,
    o.part === 'train'
      ? 'use smaller val and test counts, or a shorter window'
      : `set data.split.${o.part} to at least ${o.need}`,
  );
}

/** A series the model never saw has no scalers of its own when each series has its own: refuse it by name. */
export function checkKnownSeries(
  table: Table,
  cfg: ForecastDataConfig,
  c: SeriesColumns,
  fitted?: FittedTransforms,
): void {
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
export function trainRows(c: SeriesColumns, parts: Parts): Int32Array {
  const at = trainPositions(c, parts);
  const rows = new Int32Array(at.length);
  for (let i = 0; i < at.length; i++) rows[i] = c.rowIds[at[i]];
  return rows;
}

/** The positions of the train part of every kept series (or of series `only`). */
export function trainPositions(c: SeriesColumns, parts: Parts, only?: number): Int32Array {
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
export function fitScaler(cfg: ForecastDataConfig, c: SeriesColumns, at: Int32Array, columns: string[]): Scaler {
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

export interface Scalers {
  featureScaler: Scaler;
  targetScaler: Scaler;
  /** scaleBy "series": per series index (undefined for a skipped one) */
  perSeries?: (SeriesScalers | undefined)[];
}

/** Scalers fitted on training rows only: over every series' (global), or each series' own. */
export function fitScalers(
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
