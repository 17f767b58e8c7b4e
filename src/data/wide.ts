// Classify, wide layout: one sequence per row, `steps × features` numeric columns (time-major) plus the label.
import { DataError } from '../errors.js';
import { labelColumn, numericColumnsExcept, numericMatrix, requireColumn } from './columns.js';
import type { ReadPlan, Table } from './csv.js';
import { applyMissing, locateIn, rowsWithKeys, type MissingPolicy } from './missing.js';
import type { Sequences } from './sequences.js';

/** The columns of one wide row: cols[t * features + j] names feature j at step t. */
interface WideColumns {
  featureNames: string[];
  cols: string[];
}

export interface WideOptions {
  label: string;
  steps: number;
  features?: string[];
  missing: MissingPolicy;
  /** data to predict from: a file without the label column is fine (every label is then '') */
  labelOptional?: boolean;
}

/**
 * What the wide layout reads: the label, and the named per-step columns of the given features as numbers (a cell
 * that is not one is an error at it); without named ones, every other column for as long as it holds numbers.
 */
export function widePlan(o: WideOptions, file: string) {
  return (header: string[]): ReadPlan => {
    const labelCol = labelColumn(header, file, o.label, o.labelOptional);
    const label = labelCol < 0 ? [] : [{ name: o.label, kind: 'text' as const }];
    const named = o.features?.flatMap((f) => Array.from({ length: o.steps }, (_, t) => `${f}_${t}`));
    if (named && named.every((n) => header.includes(n)))
      return { columns: [...label, ...named.map((name) => ({ name, kind: 'number' as const }))] };
    return { columns: label, candidates: header.filter((h) => h !== o.label) };
  };
}

const STEP_NAME = /^(.+)_(\d+)$/;

/**
 * Which columns hold which (step, feature). Two ways, tried in this order:
 *  1. named: columns `<feature>_<t>` for t = 0..steps-1 (any column order), features given or read off the names;
 *  2. positional (only when names do not follow 1): all non-label numeric columns in file order, time-major
 *     (step 0's features first), their count a multiple of `steps`; a feature is named by its step-0 column.
 * `features` (from the config, or a checkpoint's scaler) are base names, as in 1.
 */
export function wideColumns(table: Table, label: string, steps: number, features?: string[]): WideColumns {
  const numeric = numericColumnsExcept(table, [label]);
  if (features !== undefined) {
    const named = namedColumns(table, features, steps);
    if (named) return named;
    const positional = positionalColumns(numeric, steps);
    if (positional && sameNames(positional.featureNames, features)) return positional;
    const missing = features.flatMap((f) => Array.from({ length: steps }, (_, t) => `${f}_${t}`));
    for (const name of missing)
      requireColumn(table.header, table.file, name, `wide-layout feature (<feature>_<step>, step 0..${steps - 1})`);
  }
  const bases = [...new Set(numeric.map((n) => STEP_NAME.exec(n)?.[1] ?? ''))];
  const named = bases.includes('') ? undefined : namedColumns(table, bases, steps);
  if (named && named.cols.length === numeric.length) return named;
  const positional = positionalColumns(numeric, steps);
  if (positional) return positional;
  throw new DataError(
    `${table.file}:1`,
    `expected the non-label numeric columns to be named <feature>_<step> with step 0..${steps - 1} for every feature, ` +
      `or to number a multiple of steps=${steps} (time-major: step 0's features first); ` +
      `found ${numeric.length} numeric column${numeric.length === 1 ? '' : 's'}: ${numeric.join(', ') || '(none)'}`,
    'check data.steps, or list the per-step base names in data.features',
  );
}

function namedColumns(table: Table, features: string[], steps: number): WideColumns | undefined {
  const cols: string[] = [];
  for (let t = 0; t < steps; t++)
    for (const f of features) {
      const name = `${f}_${t}`;
      if (!table.numeric.includes(name)) return undefined;
      cols.push(name);
    }
  return { featureNames: [...features], cols };
}

function positionalColumns(numeric: string[], steps: number): WideColumns | undefined {
  if (numeric.length === 0 || numeric.length % steps !== 0) return undefined;
  return { featureNames: numeric.slice(0, numeric.length / steps), cols: [...numeric] };
}

const sameNames = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Reads every row as one sequence of `steps` steps; `ffill` carries a feature from the previous step of its row. */
export function readWide(table: Table, opts: WideOptions): Sequences {
  const labelCol = labelColumn(table.header, table.file, opts.label, opts.labelOptional);
  const { featureNames, cols } = wideColumns(table, opts.label, opts.steps, opts.features);
  const f = featureNames.length;
  const rows =
    labelCol < 0 ? Array.from({ length: table.rows }, (_, r) => r) : rowsWithKeys(table, [opts.label], opts.missing);
  const values = numericMatrix(table, rows, cols);
  for (const name of new Set(cols)) table.takeNumbers(name); // the file's columns are in `values` now: let them go
  const kept = applyMissing(values, cols.length, opts.missing, {
    locate: locateIn(table, rows, cols),
    previous: (i, j) => (j >= f ? i * cols.length + j - f : -1),
  });
  const x = kept.length === rows.length ? values : new Float64Array(kept.length * cols.length); // no row dropped: no copy
  if (x !== values)
    kept.forEach((i, k) => x.set(values.subarray(i * cols.length, (i + 1) * cols.length), k * cols.length));
  const used = kept.map((i) => rows[i]);
  const label = labelCol < 0 ? undefined : table.text(opts.label);
  return {
    featureNames,
    steps: opts.steps,
    x,
    lengths: new Int32Array(kept.length).fill(opts.steps),
    labels: used.map((r) => (label ? label.levels[label.codes[r]] : '')),
    labelAt: (k) => ({ row: used[k], column: labelCol }),
    ids: used,
    rows: kept.length,
    droppedRows: table.rows - kept.length,
  };
}
