// Prediction intervals by split conformal prediction: half-widths from a calibration split's absolute residuals.
import { halfWidths } from '../../data/interval-bounds.js';
import type { Intervals } from '../../data/types.js';

export { halfWidths, levelName } from '../../data/interval-bounds.js';
import type { ForecastPredictions } from '../types.js';

/**
 * For each level, lead and target: the ⌈(n + 1)·level⌉-th smallest of the n calibration residuals |y − ŷ|, the
 * split-conformal quantile, which covers a new residual with probability at least `level` when the windows are
 * exchangeable. Infinity when n is too small for the level (⌈(n + 1)·level⌉ > n). With `p.units` (scaleBy
 * "series") the residuals are taken in each series' own target scale, so the widths scale with the series.
 */
export function conformalWidths(p: ForecastPredictions, levels: number[]): Intervals {
  const [L, T] = [p.leads.length, p.targets];
  const unit = (i: number, j: number) => p.units?.[i * T + j] ?? 1;
  const widths = levels.map((level) =>
    Array.from({ length: L }, (_, k) =>
      Array.from({ length: T }, (_, j) => {
        const residuals = Float64Array.from({ length: p.count }, (_, i) => {
          const at = (i * L + k) * T + j;
          return Math.abs(p.yTrue[at] - p.yPred[at]) / unit(i, j);
        }).sort();
        const rank = Math.ceil((p.count + 1) * level);
        return rank > p.count ? Infinity : residuals[rank - 1];
      }),
    ),
  );
  return { levels: [...levels], widths, windows: p.count, ...(p.units ? { perSeries: true } : {}) };
}

/** The share of truths inside ŷ ± width: per level and lead over every target, and per level over everything. */
export function coverage(p: ForecastPredictions, intervals: Intervals): { byLead: number[][]; overall: number[] } {
  const [L, T] = [p.leads.length, p.targets];
  const byLead = intervals.levels.map((_, l) =>
    p.leads.map((_, k) => {
      let inside = 0;
      for (let i = 0; i < p.count; i++) {
        const widths = halfWidths(intervals, k, p.units?.subarray(i * T, (i + 1) * T))[l];
        for (let j = 0; j < T; j++) {
          const at = (i * L + k) * T + j;
          if (Math.abs(p.yTrue[at] - p.yPred[at]) <= widths[j]) inside++;
        }
      }
      return p.count > 0 ? inside / (p.count * T) : NaN;
    }),
  );
  return { byLead, overall: byLead.map((perLead) => perLead.reduce((a, b) => a + b, 0) / perLead.length) };
}
