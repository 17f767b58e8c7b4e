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

/** The fewest calibration windows split conformal needs for a level: ⌈1 / (1 − level)⌉ − 1 (0.8: 4, 0.95: 19). */
export const windowsNeeded = (level: number) => Math.ceil(1 / (1 - level) - 1e-9) - 1;

/**
 * The intervals without the levels too few windows calibrated (their widths are Infinity: never a bound to show),
 * and a note for each level left out; undefined when none is left.
 */
export function calibratedLevels<T extends Pick<Intervals, 'levels' | 'widths' | 'windows'>>(
  intervals: T | undefined,
): { intervals?: T; notes: string[] } {
  if (intervals === undefined) return { notes: [] };
  const finite = (l: number) => intervals.widths[l].every((perLead) => perLead.every((w) => Number.isFinite(w ?? NaN)));
  const kept = intervals.levels.flatMap((_, l) => (finite(l) ? [l] : []));
  const notes = intervals.levels
    .filter((_, l) => !finite(l))
    .map(
      (level) =>
        `no ${levelName(level)}% interval: split conformal needs at least ${windowsNeeded(level)} calibration ` +
        `windows for it, the val split has ${intervals.windows} (a longer val split gives more)`,
    );
  if (kept.length === intervals.levels.length) return { intervals, notes };
  if (kept.length === 0) return { notes };
  return {
    intervals: {
      ...intervals,
      levels: kept.map((l) => intervals.levels[l]),
      widths: kept.map((l) => intervals.widths[l]),
    },
    notes,
  };
}
