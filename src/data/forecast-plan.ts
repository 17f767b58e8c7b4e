// What a forecast file is read for: its numeric inputs and targets, the time, the series ids, the categories.
import { DataError } from '../errors.js';
import type { ForecastDataConfig } from '../config/schema.js';
import { numericColumnsExcept, requireColumn } from './columns.js';
import type { ReadPlan, Table } from './csv.js';
import { seriesColumns } from './forecast-rows.js';
import type { FittedTransforms } from './types.js';

/** The numeric feature columns: the trained model's, the config's, or (undefined) chosen from the file's numbers. */
export const givenFeatures = (cfg: ForecastDataConfig, fitted?: FittedTransforms) =>
  fitted?.featureScaler.columns ?? cfg.features;
export const targetsOf = (cfg: ForecastDataConfig, fitted?: FittedTransforms) =>
  fitted?.targetScaler?.columns ?? cfg.targets;
/** data.futureFeatures that are numbers: the others are categorical (one-hot with data.categorical's levels). */
export const futureNumericOf = (cfg: ForecastDataConfig) =>
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
 * The default features: the targets' own past and every other numeric column of the file that is not the time, an
 * id or a categorical, in the file's order (a column that counts up like a time index is left out later).
 */
export function defaultFeatures(table: Table, targets: string[], cfg: ForecastDataConfig): string[] {
  const others = numericColumnsExcept(table, [cfg.time, ...seriesColumns(cfg), ...(cfg.categorical ?? [])]);
  return [...new Set([...targets, ...others.filter((c) => !targets.includes(c))])];
}
