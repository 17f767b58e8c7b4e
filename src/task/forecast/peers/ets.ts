// ETS with the model chosen by AICc, as R's forecast::ets(y) (model "ZZZ", restrict, no multiplicative trend): every
// error × trend × season combination it tries, each fitted by maximum likelihood with Nelder–Mead from R's start.
import { decompose, leastSquares, line } from './decompose.js';
import { forecastOrigins, likelihood, specName, type EtsParams, type EtsSpec, type EtsState } from './ets-model.js';
import { nelderMead } from './nelder-mead.js';
import type { EtsFit, Skipped } from '../../../data/peer-fits.js';
import { definePeer, type FittedPeer } from './types.js';

/** ets's usual bounds: α, β, γ in [1e-4, 0.9999], φ in [0.8, 0.98], with β ≤ α and γ ≤ 1 − α. */
const LOWER = [1e-4, 1e-4, 1e-4, 0.8];
const UPPER = [0.9999, 0.9999, 0.9999, 0.98];
/** ets leaves seasonality out above this period ("frequency too high"). */
const MAX_SEASON = 24;
/** Fitted on at most the last this many training values (the search's cost is in proportion)… */
const MAX_FIT = 500;
/** …and on the last this many seasons with a season over 12, whose many seasonal states slow Nelder–Mead… */
const MAX_FIT_SEASONS = 10;
/**
 * …where Nelder–Mead stops after this many evaluations, as R's ets(y, maxit = 1000). Its default, 2000, the seasonal
 * models' 25 or more parameters all reach, at twice the cost, for forecasts a few tenths of a percent away.
 */
const MAX_EVALUATIONS_LONG_SEASON = 1000;

interface Fitted {
  spec: EtsSpec;
  par: EtsParams;
  start: EtsState;
  aicc: number;
}

/** The seasonal pattern ets starts from: decompose() with 3 seasons of data, else a line plus one Fourier pair. */
function seasonalStart(y: Float64Array, spec: EtsSpec): Float64Array {
  const { m } = spec;
  const type = spec.season === 'A' ? 'additive' : 'multiplicative';
  if (y.length >= 3 * m) {
    const figure = decompose(y, m, type);
    return y.map((_, t) => figure[t % m]);
  }
  const angle = (t: number) => (2 * Math.PI * (t + 1)) / m;
  const rows = Array.from(y, (_, t) => [1, t + 1, ...(m > 2 ? [Math.sin(angle(t))] : []), Math.cos(angle(t))]);
  const [a, b] = leastSquares(rows, y);
  return y.map((v, t) => (type === 'additive' ? v - a - b * (t + 1) : v / (a + b * (t + 1))));
}

/** R's initstate: [l0, b0?, s_0 … s_{m−2}] (s_0 the most recent), from the seasonally adjusted first values. */
function initialStates(y: Float64Array, spec: EtsSpec): number[] {
  const { m } = spec;
  let seasons: number[] = [];
  let adjusted = y;
  if (spec.season !== 'N') {
    const seasonal = seasonalStart(y, spec);
    seasons = Array.from({ length: m - 1 }, (_, k) => seasonal[m - 1 - k]);
    if (spec.season === 'A') adjusted = y.map((v, t) => v - seasonal[t]);
    else {
      seasons = seasons.map((s) => Math.max(s, 0.01));
      const sum = seasons.reduce((a, b) => a + b, 0);
      if (sum > m) seasons = seasons.map((s) => s / (sum + 0.01 * seasons.length));
      adjusted = y.map((v, t) => v / Math.max(seasonal[t], 0.01));
    }
  }
  const first = adjusted.subarray(0, Math.min(Math.max(10, 2 * m), y.length));
  if (spec.trend === 'N') return [first.reduce((a, b) => a + b, 0) / first.length, ...seasons];
  let { intercept: level, slope } = line(first, 1);
  if (Math.abs(level + slope) < 1e-8) [level, slope] = [level * 1.001, slope * 0.999];
  return [level, slope, ...seasons];
}

/** R's initparam: α at 20% of its range (over m), β at 10% of its, γ at 5%, φ at 99%. */
function initialParams(spec: EtsSpec): number[] {
  const alpha = LOWER[0] + (0.2 * (UPPER[0] - LOWER[0])) / spec.m;
  const par = [alpha];
  if (spec.trend !== 'N') par.push(LOWER[1] + 0.1 * (Math.min(UPPER[1], alpha) - LOWER[1]));
  if (spec.season !== 'N') par.push(LOWER[2] + 0.05 * (Math.min(UPPER[2], 1 - alpha) - LOWER[2]));
  if (spec.damped) par.push(LOWER[3] + 0.99 * (UPPER[3] - LOWER[3]));
  return par;
}

interface Unpacked {
  par: EtsParams;
  state: EtsState;
}

const unpacked = (m: number): Unpacked => ({
  par: { alpha: 0, beta: 0, gamma: 0, phi: 1 },
  state: { level: 0, slope: 0, season: new Float64Array(m) },
});

/**
 * The parameters and initial state a vector of the optimiser's stands for, written into `into` (the objective reuses
 * one: an object per evaluation is garbage V8 collects for tens of milliseconds in a fresh process), or undefined
 * outside the bounds.
 */
function unpack(x: ArrayLike<number>, spec: EtsSpec, into = unpacked(spec.m)): Unpacked | undefined {
  let i = 0;
  const alpha = x[i++];
  const beta = spec.trend !== 'N' ? x[i++] : 0;
  const gamma = spec.season !== 'N' ? x[i++] : 0;
  const phi = spec.damped ? x[i++] : 1;
  if (alpha < LOWER[0] || alpha > UPPER[0]) return undefined;
  if (spec.trend !== 'N' && (beta < LOWER[1] || beta > alpha || beta > UPPER[1])) return undefined;
  if (spec.damped && (phi < LOWER[3] || phi > UPPER[3])) return undefined;
  if (spec.season !== 'N' && (gamma < LOWER[2] || gamma > 1 - alpha || gamma > UPPER[2])) return undefined;
  const { par, state } = into;
  par.alpha = alpha;
  par.beta = beta;
  par.gamma = gamma;
  par.phi = phi;
  state.level = x[i++];
  state.slope = spec.trend !== 'N' ? x[i++] : 0;
  const { m } = spec;
  const season = state.season;
  if (spec.season !== 'N') {
    let sum = 0;
    for (let k = 0; k < m - 1; k++) sum += season[m - 1 - k] = x[i + k];
    season[0] = (spec.season === 'M' ? m : 0) - sum; // the last seasonal state closes the pattern
  }
  return into;
}

/** Maximum likelihood fit of one model, or undefined when it has too many parameters for the data (as ets). */
function fitModel(y: Float64Array, spec: EtsSpec, maxEvaluations: number): Fitted | undefined {
  const start = [...initialParams(spec), ...initialStates(y, spec)];
  const n = y.length;
  if (start.length >= n - 1) return undefined;
  const scratch = unpacked(spec.m); // the likelihood consumes its state: refilled at every evaluation
  const objective = (x: Float64Array) => {
    const u = unpack(x, spec, scratch);
    return u === undefined ? Infinity : likelihood(spec, u.par, u.state, y);
  };
  const best = nelderMead(objective, start, { maxEvaluations });
  const u = unpack(best.x, spec);
  if (u === undefined || !Number.isFinite(best.value)) return undefined;
  const k = start.length + 1; // and σ
  const aicc = best.value + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
  return { spec, par: u.par, start: u.state, aicc };
}

/** The models ets(y) tries on this series: no multiplicative error on data with values ≤ 0, A error with M season. */
export function candidates(y: Float64Array, m: number): EtsSpec[] {
  const positive = y.every((v) => v > 0);
  const seasonal = m > 1 && m <= MAX_SEASON && y.length > m;
  const specs: EtsSpec[] = [];
  for (const error of positive ? (['A', 'M'] as const) : (['A'] as const))
    for (const trend of ['N', 'A'] as const)
      for (const season of seasonal ? (['N', 'A', 'M'] as const) : (['N'] as const))
        for (const damped of trend === 'N' ? [false] : [true, false]) {
          if (error === 'A' && season === 'M') continue;
          specs.push({ error, trend, damped, season, m: season === 'N' ? 1 : m });
        }
  return specs;
}

/** The model of the lowest AICc among ets's candidates. */
export function fitEts(y: Float64Array, m: number): Fitted | undefined {
  let best: Fitted | undefined;
  const maxEvaluations = m > 12 ? MAX_EVALUATIONS_LONG_SEASON : 2000;
  for (const spec of candidates(y, m)) {
    const fit = fitModel(y, spec, maxEvaluations);
    if (fit && (best === undefined || fit.aicc < best.aicc)) best = fit;
  }
  return best;
}

function estimateEts(y: Float64Array, m: number): EtsFit | Skipped {
  if (y.length < 8) return { skipped: `the training part has ${y.length} values: ets needs more than 7` };
  const most = m > 12 ? Math.min(MAX_FIT, MAX_FIT_SEASONS * m) : MAX_FIT;
  const from = Math.max(0, y.length - most); // the states start here, in the training series and any other
  const fit = fitEts(y.subarray(from), m);
  if (fit === undefined) return { skipped: 'no ETS model could be fitted (too few values for its parameters)' };
  const { spec, par, start } = fit;
  return { model: { ...spec }, ...par, level: start.level, slope: start.slope, season: Array.from(start.season), from };
}

function restoreEts(fit: EtsFit, y: Float64Array, m: number): FittedPeer<'ets'> {
  const { model: spec, from } = fit;
  const par: EtsParams = { alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma, phi: fit.phi };
  const notes = [
    ...(from > 0 ? [`fitted on the last ${y.length - from} values`] : []),
    ...(m > MAX_SEASON ? [`seasonality left out: m = ${m} > ${MAX_SEASON}, as ets does`] : []),
  ];
  return {
    state: fit,
    describe: [`${specName(spec)}, α ${par.alpha.toPrecision(3)}`, ...notes].join(', '),
    forecast(series, origins, h) {
      const late = origins.filter((t) => t >= from);
      const state = { level: fit.level, slope: fit.slope, season: Float64Array.from(fit.season) };
      const shifted = Int32Array.from(late, (t) => t - from);
      const values = new Float64Array(origins.length * h);
      values.set(
        forecastOrigins(spec, par, state, series.subarray(from), shifted, h),
        (origins.length - late.length) * h,
      );
      const early = origins.length - late.length; // origins ascend: the early ones come first
      for (let i = 0; i < early; i++) values.fill(series[origins[i]], i * h, (i + 1) * h);
      return { values, fallbacks: early };
    },
  };
}

export const ets = definePeer<'ets'>({
  name: 'ets',
  applied: 'model, parameters and initial states from the training part; the states run on to each origin',
  estimate: estimateEts,
  restore: restoreEts,
});
