// The naive forecasts every forecaster is scored against, from the series itself (original units).
import type { ForecastInfo } from '../../data/types.js';

/** [examples, leads, targets] values of the window ends' rows `row(end, lead)` of the raw targets. */
function fromRows(
  info: ForecastInfo,
  ends: ArrayLike<number>,
  row: (end: number, lead: number) => number,
): Float32Array {
  const t = info.targetRaw.length / info.rowIds.length;
  const leads = info.leads;
  const out = new Float32Array(ends.length * leads.length * t);
  for (let i = 0; i < ends.length; i++)
    leads.forEach((lead, k) => {
      const r = row(ends[i], lead);
      out.set(info.targetRaw.subarray(r * t, (r + 1) * t), (i * leads.length + k) * t);
    });
  return out;
}

/** Persistence: the window's last value of each target, for every lead. */
export function persistence(info: ForecastInfo, ends: ArrayLike<number>): Float32Array {
  return fromRows(info, ends, (end) => end);
}

/**
 * Seasonal naive with period `season` (Darts' NaiveSeasonal(K)): lead k repeats the value one season before its
 * own time, from the last season before the forecast starts (end − season + 1 + ((k − 1) mod season)). Where the
 * series does not reach that far back (the first windows), the last value stands in, and `fallbacks` counts them.
 */
export function seasonalNaive(
  info: ForecastInfo,
  ends: ArrayLike<number>,
  season: number,
): { values: Float32Array; fallbacks: number } {
  let fallbacks = 0;
  const values = fromRows(info, ends, (end, lead) => {
    const r = end - season + 1 + ((lead - 1) % season);
    if (r >= 0) return r;
    fallbacks++;
    return end;
  });
  return { values, fallbacks };
}
