// Where a backtest's forecasts start: k origins s rows apart at the end of each series, and which model each uses.
import { UsageError } from '../errors.js';

/** every: a model per fold; never: one model for all; N: a new model every N folds. */
export type Refit = 'every' | 'never' | number;

export interface FoldPlan {
  folds: number;
  stride: number;
  refit: Refit;
}

/** What folds need to know of the loaded data: rows per series and the window that must fit before an origin. */
export interface SeriesLayout {
  seriesNames: string[];
  /** [first row, end row) of each series' observed rows */
  seriesBounds: [number, number][];
  window: number;
  /** the furthest step forecast: the last origin leaves exactly this many rows after it */
  horizon: number;
}

export interface Origin {
  fold: number;
  series: number;
  /** the window's last row (an index into the loaded rows) */
  row: number;
}

/** --refit: every, never, or a positive whole number of folds. */
export function parseRefit(value: string): Refit {
  if (value === 'every' || value === 'never') return value;
  if (/^\d+$/.test(value) && Number(value) >= 1) return Number(value);
  throw new UsageError(`--refit: expected every, never or a positive whole number of folds, got "${value}"`);
}

/** --folds and --stride themselves: both at least 1. */
export function checkPlan(plan: FoldPlan): void {
  if (!Number.isInteger(plan.folds) || plan.folds < 1)
    throw new UsageError(`--folds: expected a positive whole number of origins, got ${plan.folds}`);
  if (!Number.isInteger(plan.stride) || plan.stride < 1)
    throw new UsageError(`--stride: expected a positive whole number of rows between origins, got ${plan.stride}`);
}

/**
 * Fold f's origin in each series: (k − 1 − f) strides before the last origin, which leaves `horizon` rows after
 * it. The first origin must leave a whole window before it (inclusive of itself).
 */
export function foldOrigins(layout: SeriesLayout, plan: FoldPlan): Origin[] {
  checkPlan(plan);
  const reach = (plan.folds - 1) * plan.stride;
  return layout.seriesBounds.flatMap(([start, end], series) => {
    const last = end - 1 - layout.horizon;
    const first = last - reach;
    if (first - start < layout.window - 1) {
      const name = layout.seriesNames.length > 1 ? ` of series ${JSON.stringify(layout.seriesNames[series])}` : '';
      throw new UsageError(
        `--folds ${plan.folds} × --stride ${plan.stride}: expected the first origin to leave a whole window ` +
          `(${layout.window} rows) up to it, but it falls on row ${first - start} of the ${end - start} rows${name} ` +
          `(the last origin is row ${last - start}, ${layout.horizon} rows before the end); ` +
          `at most ${Math.max(0, Math.floor((last - start - layout.window + 1) / plan.stride) + 1)} folds fit at this stride`,
      );
    }
    return Array.from({ length: plan.folds }, (_, fold) => ({ fold, series, row: first + fold * plan.stride }));
  });
}

/** The fold whose origin fold f's model was trained up to (undefined: the given checkpoint, never retrained). */
export function trainedAt(fold: number, refit: Refit, fromCheckpoint: boolean): number | undefined {
  if (refit === 'every') return fold;
  if (refit === 'never') return fromCheckpoint ? undefined : 0;
  return Math.floor(fold / refit) * refit;
}
