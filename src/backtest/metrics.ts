// A backtest's accuracy: MAE, RMSE, MASE (Hyndman & Koehler 2006) and sMAPE over (actual, forecast) points.
// Pure and small on purpose: the one place to point at shared metric functions once lstm-eval has them.

export interface Point {
  actual: number;
  forecast: number;
  /** MASE's scale: the in-sample seasonal-naive MAE of the series before the point's origin */
  scale: number;
}

export interface Scores {
  mae: number;
  rmse: number;
  /** NaN when no point has a positive, finite scale (a constant history) */
  mase: number;
  /** in percent, 0 … 200 */
  smape: number;
  count: number;
}

/** Mean |y[t] − y[t − m]| over the values given (a series up to an origin); NaN with m or fewer values. */
export function seasonalNaiveMae(values: ArrayLike<number>, m: number): number {
  let sum = 0;
  let n = 0;
  for (let t = m; t < values.length; t++) {
    const d = Math.abs(values[t] - values[t - m]);
    if (!Number.isFinite(d)) continue;
    sum += d;
    n++;
  }
  return n === 0 ? NaN : sum / n;
}

/** The four scores of a set of points; MASE scales each error by its own origin's scale, then averages. */
export function scores(points: Point[]): Scores {
  let abs = 0;
  let sq = 0;
  let sym = 0;
  let scaled = 0;
  let scaledCount = 0;
  for (const p of points) {
    const e = Math.abs(p.actual - p.forecast);
    abs += e;
    sq += e * e;
    const denominator = Math.abs(p.actual) + Math.abs(p.forecast);
    sym += denominator === 0 ? 0 : (200 * e) / denominator;
    if (!(p.scale > 0 && Number.isFinite(p.scale))) continue;
    scaled += e / p.scale;
    scaledCount++;
  }
  const n = points.length;
  return {
    mae: abs / n,
    rmse: Math.sqrt(sq / n),
    mase: scaledCount === 0 ? NaN : scaled / scaledCount,
    smape: sym / n,
    count: n,
  };
}
