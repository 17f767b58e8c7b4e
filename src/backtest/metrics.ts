// A backtest's accuracy: MAE, RMSE, MASE (Hyndman & Koehler 2006) and sMAPE over (actual, forecast) points, by
// lstm-eval's rules for MASE's scale and sMAPE (src/task/forecast/scale-free.ts).
import { seasonalNaiveMae as seasonalNaiveOf, smape } from '../task/forecast/scale-free.js';

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

/** MASE's scale of a series up to an origin: its in-sample seasonal-naive MAE (lstm-eval's rule); NaN with m or fewer values. */
export const seasonalNaiveMae = (values: ArrayLike<number>, m: number) =>
  seasonalNaiveOf(values.length, m, (t) => values[t]);

/** The four scores of a set of points; MASE scales each error by its own origin's scale, then averages. */
export function scores(points: Point[]): Scores {
  let abs = 0;
  let sq = 0;
  let scaled = 0;
  let scaledCount = 0;
  for (const p of points) {
    const e = Math.abs(p.actual - p.forecast);
    abs += e;
    sq += e * e;
    if (!(p.scale > 0 && Number.isFinite(p.scale))) continue;
    scaled += e / p.scale;
    scaledCount++;
  }
  const n = points.length;
  return {
    mae: abs / n,
    rmse: Math.sqrt(sq / n),
    mase: scaledCount === 0 ? NaN : scaled / scaledCount,
    smape: smape(
      points.map((p) => p.actual),
      points.map((p) => p.forecast),
    ),
    count: n,
  };
}
