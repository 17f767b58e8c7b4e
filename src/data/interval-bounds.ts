// Prediction intervals as every path writes them: a level's column suffix and the half-widths at a step ahead.
// Dependency-free: predict.js bundles it.
import type { Intervals } from './types.js';

/** The column suffix of a level: 0.8 → "80", 0.975 → "97.5". */
export const levelName = (level: number) => String(Number((level * 100).toPrecision(6)));

/**
 * The half-widths [level][target] at lead index `k` of an example whose series' target scales are `units`
 * (needed only when the widths are per series). A width stored as null (JSON's Infinity) is Infinity.
 */
export function halfWidths(
  intervals: Pick<Intervals, 'widths' | 'perSeries'>,
  k: number,
  units?: ArrayLike<number>,
): number[][] {
  return intervals.widths.map((perLead) =>
    perLead[k].map((w, j) => (w ?? Infinity) * (intervals.perSeries ? (units?.[j] ?? NaN) : 1)),
  );
}
