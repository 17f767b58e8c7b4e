// The Theta method as R's forecast::thetaf (Hyndman & Billah 2003): a seasonality test, classical multiplicative
// decomposition, simple exponential smoothing of the adjusted series with a drift of half its linear trend's slope.
import { decompose, isSeasonal, line } from './decompose.js';
import { nelderMead } from './nelder-mead.js';
import type { Skipped, ThetaFit } from '../../../data/peer-fits.js';
import { definePeer, type FittedPeer } from './types.js';

/** R's ses() through ets("ANN"): α within [1e-4, 0.9999]; below this many values ets cannot fit it. */
const ALPHA = [1e-4, 0.9999];
const MIN_LENGTH = 7;

/** Mean squared one-step error of SES with smoothing α from level `level0` (ses's criterion, opt.crit "mse"). */
function sesMse(x: ArrayLike<number>, alpha: number, level0: number): number {
  if (!(alpha >= ALPHA[0] && alpha <= ALPHA[1])) return Infinity;
  let level = level0;
  let sse = 0;
  for (let t = 0; t < x.length; t++) {
    const e = x[t] - level;
    sse += e * e;
    level += alpha * e;
  }
  return sse / x.length;
}

/** α and the initial level minimising the one-step MSE, from R's start (α 0.2, the mean of the first ten). */
export function fitSes(x: ArrayLike<number>): { alpha: number; level0: number } {
  const first = Array.from(x).slice(0, Math.min(10, x.length));
  const start = [ALPHA[0] + 0.2 * (ALPHA[1] - ALPHA[0]), first.reduce((a, b) => a + b, 0) / first.length];
  const best = nelderMead((p) => sesMse(x, p[0], p[1]), start);
  return { alpha: best.x[0], level0: best.x[1] };
}

function estimateTheta(y: Float64Array, m: number): ThetaFit | Skipped {
  const n = y.length;
  if (n < MIN_LENGTH) return { skipped: `the training part has ${n} values, fewer than ${MIN_LENGTH}` };
  let figure: Float64Array = new Float64Array([1]);
  if (isSeasonal(y, m)) {
    const f = decompose(y, m, 'multiplicative');
    if (f.every((v) => Math.abs(v) >= 1e-4)) figure = f; // else thetaf falls back to the non-seasonal method
  }
  const adjusted = y.map((v, t) => v / figure[t % figure.length]);
  const { alpha, level0 } = fitSes(adjusted);
  return { alpha, level0, drift: line(adjusted).slope / 2, figure: Array.from(figure) };
}

function restoreTheta(state: ThetaFit): FittedPeer<'theta'> {
  const { alpha, level0, drift, figure } = state;
  const index = (t: number) => figure[t % figure.length];
  const seasonal = figure.length > 1 ? `seasonal (m = ${figure.length})` : 'non-seasonal';
  return {
    state,
    describe: `Theta, ${seasonal}, α ${alpha.toPrecision(3)}, drift ${drift.toPrecision(3)}`,
    forecast(series, origins, h) {
      const out = new Float64Array(origins.length * h);
      let level = level0;
      let next = 0;
      for (let t = 0; t < series.length && next < origins.length; t++) {
        level += alpha * (series[t] / index(t) - level);
        for (; next < origins.length && origins[next] === t; next++) {
          const seen = t + 1; // thetaf's n: the values the level has read
          const bend = (1 - (1 - alpha) ** seen) / alpha;
          for (let k = 1; k <= h; k++) out[next * h + k - 1] = (level + drift * (k - 1 + bend)) * index(t + k);
        }
      }
      return { values: out, fallbacks: 0 };
    },
  };
}

export const theta = definePeer<'theta'>({
  name: 'theta',
  applied: 'α, drift and seasonal indices from the training part; the level run on to each origin',
  estimate: estimateTheta,
  restore: restoreTheta,
});
