// Exponential smoothing run on one window is linear in the window's values, so it is a linear map like the skip's:
// the ridge behind the skip's start shrinks towards it instead of towards zero. Few training windows then give
// Holt-Winters on the window (not a ridge that has learned noise), many give what the windows support.

/** One member of the family: smoothing of level α, trend β (none: no trend at all), season γ, trend damping φ. */
export interface Smoothing {
  trend: boolean;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** A member as a note says it: level α 0.3, trend β 0.1 damped φ 0.9, season γ 0.1 (no season: none said). */
export const describeSmoothing = (s: Smoothing, seasonal: boolean) =>
  [
    `level α ${s.alpha}`,
    s.trend ? `trend β ${s.beta}${s.phi < 1 ? ` damped φ ${s.phi}` : ''}` : 'no trend',
    ...(seasonal ? [`season γ ${s.gamma}`] : []),
  ].join(', ');

/** The season as a window of n values sees it: none unless it is longer than one row and fits in the window. */
export const windowSeason = (season: number | undefined, n: number) =>
  season !== undefined && season > 1 && n >= season ? season : undefined;

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1];
const BETAS = [0, 0.02, 0.1, 0.3];
const GAMMAS = [0, 0.05, 0.1, 0.3, 0.5];
const PHIS = [0.8, 0.9, 0.98, 1];

/** The state before the window's first value: a line a + b·t through it, and a season's deviations from it. */
function initialState(x: ArrayLike<number>, m: number, trended: boolean) {
  const n = x.length;
  // complete seasons' means sit at their centres, free of the season: a line through them is the trend
  const width = m > 0 ? m : 1;
  const blocks = Math.floor(n / width);
  const centres = Array.from({ length: blocks }, (_, i) => i * width + (width - 1) / 2);
  const means = centres.map((_, i) => {
    let sum = 0;
    for (let t = i * width; t < (i + 1) * width; t++) sum += x[t];
    return sum / width;
  });
  const [cBar, mBar] = [centres.reduce((a, c) => a + c, 0) / blocks, means.reduce((a, v) => a + v, 0) / blocks];
  let [sxy, sxx] = [0, 0];
  centres.forEach((c, i) => ((sxy += (c - cBar) * (means[i] - mBar)), (sxx += (c - cBar) ** 2)));
  const trend = trended && sxx > 0 ? sxy / sxx : 0;
  const a = mBar - trend * cBar;
  const seasonal = Array.from({ length: m }, (_, p) => {
    let sum = 0;
    for (let i = 0; i < blocks; i++) sum += x[i * m + p] - (a + trend * (i * m + p));
    return sum / blocks;
  });
  const centre = seasonal.reduce((acc, v) => acc + v, 0) / Math.max(1, m);
  return { level: a - trend, trend, seasonal: seasonal.map((v) => v - centre) };
}

/**
 * The forecasts at `leads` of additive (damped) Holt-Winters run through the window x[0..n-1]. It starts from a
 * line through the means of the window's complete seasons (of its values, without a season) and each phase's mean
 * deviation from that line, then runs the recursions over every value.
 */
export function smoothedForecasts(x: ArrayLike<number>, leads: number[], s: Smoothing, season?: number): number[] {
  const n = x.length;
  const m = windowSeason(season, n) ?? 0;
  const init = initialState(x, m, s.trend);
  let [level, trend] = [init.level, init.trend];
  const seasonal = init.seasonal; // seasonal[t] is the index that time t reads (set at t − m)
  for (let t = 0; t < n; t++) {
    const past = m > 0 ? seasonal[t] : 0;
    const next = s.alpha * (x[t] - past) + (1 - s.alpha) * (level + s.phi * trend);
    trend = s.trend ? s.beta * (next - level) + (1 - s.beta) * s.phi * trend : 0;
    level = next;
    if (m > 0) seasonal.push(s.gamma * (x[t] - level) + (1 - s.gamma) * past);
  }
  return leads.map((h) => {
    let damped = 0;
    for (let k = 1, p = s.phi; k <= h; k++, p *= s.phi) damped += p;
    return level + damped * trend + (m > 0 ? seasonal[n + ((h - 1) % m)] : 0);
  });
}

/** The map's coefficients [window, leads]: the forecasts of each unit window (the recursions are linear). */
export function smoothingMap(n: number, leads: number[], s: Smoothing, season?: number): Float64Array {
  const out = new Float64Array(n * leads.length);
  const unit = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    unit.fill(0);
    unit[t] = 1;
    smoothedForecasts(unit, leads, s, season).forEach((v, k) => (out[t * leads.length + k] = v));
  }
  return out;
}

/** The family tried: every grid point (no season parameter without a season: pass windowSeason's). */
export function family(season?: number): Smoothing[] {
  const gammas = season !== undefined ? GAMMAS : [0];
  const out: Smoothing[] = [];
  for (const alpha of ALPHAS)
    for (const gamma of gammas) {
      out.push({ trend: false, alpha, beta: 0, gamma, phi: 1 });
      for (const beta of BETAS) for (const phi of PHIS) out.push({ trend: true, alpha, beta, gamma, phi });
    }
  return out;
}

/** What the prior is fitted from: the normal equations over the levelled train windows, X = [window flattened | 1]. */
export interface PriorInput {
  xtx: Float64Array;
  xty: Float64Array;
  /** X's width: window × features + 1 */
  d: number;
  features: number;
  window: number;
  leads: number[];
  /** per target, its input column, or -1 */
  targetFeature: ArrayLike<number>;
  season?: number;
  /** more candidates beside the grid (the peers' models run on the window) */
  extra?: WindowMap[];
}

/** A candidate map of one window column to the leads, c[t × leads + k], and what it is. */
export interface WindowMap {
  about: string;
  c: Float64Array;
  /** a smoothing member (what the grid's are), and the season it runs with */
  smoothing?: Smoothing;
  season?: number;
}

/**
 * Σ_lead cᵀ(XᵀX)c − 2cᵀ(XᵀY) over the block of target j's column (input f): the member's squared error on the train
 * windows less the constant ΣY². `block` is that column's n × n block of XᵀX, `cross` its rows of XᵀY [n, m].
 */
function memberError(
  c: Float64Array,
  block: Float64Array,
  cross: Float64Array,
  o: { n: number; h: number },
  j: number,
  targets: number,
  m: number,
): number {
  const { n, h } = o;
  let e = 0;
  for (let k = 0; k < h; k++) {
    const col = k * targets + j;
    for (let t = 0; t < n; t++) {
      const ct = c[t * h + k];
      if (ct === 0) continue;
      let quad = 0;
      for (let u = 0; u < n; u++) quad += block[t * n + u] * c[u * h + k];
      e += ct * (quad - 2 * cross[t * m + col]);
    }
  }
  return e;
}

/**
 * The prior weights [d, leads × targets]: for each target read among the inputs, the map (of the grid, with and
 * without the season, and `extra`) with the least squared error on the train windows, put on that target's column
 * of the window; zero elsewhere.
 */
export function smoothingPrior(p: PriorInput): { w: Float64Array; chosen: (WindowMap | undefined)[] } {
  const { xtx, xty, d, features, window: n, leads, targetFeature } = p;
  const targets = targetFeature.length;
  const m = leads.length * targets;
  const w = new Float64Array(d * m);
  const season = windowSeason(p.season, n);
  // with a season, its members and the family without one: the peers' seasonality test, made on the windows
  const grid = (of: number | undefined) =>
    family(of).map((s) => ({
      about: `Holt-Winters (${describeSmoothing(s, of !== undefined)}${season !== undefined && of === undefined ? ', no season' : ''})`,
      c: smoothingMap(n, leads, s, of),
      smoothing: s,
      season: of,
    }));
  const candidates: WindowMap[] = [...grid(season), ...(season ? grid(undefined) : []), ...(p.extra ?? [])];
  const chosen = Array.from(targetFeature, (f, j) => {
    if (f < 0) return undefined;
    const row = (t: number) => t * features + f;
    // the target column's block of XᵀX and rows of XᵀY, copied once: every member reads only these
    const block = Float64Array.from({ length: n * n }, (_, i) => xtx[row(Math.floor(i / n)) * d + row(i % n)]);
    const cross = Float64Array.from({ length: n * m }, (_, i) => xty[row(Math.floor(i / m)) * m + (i % m)]);
    let [best, least] = [candidates[0], Infinity];
    for (const cand of candidates) {
      const e = memberError(cand.c, block, cross, { n, h: leads.length }, j, targets, m);
      if (e < least) [best, least] = [cand, e];
    }
    for (let t = 0; t < n; t++)
      for (let k = 0; k < leads.length; k++) w[row(t) * m + k * targets + j] = best.c[t * leads.length + k];
    return best;
  });
  return { w, chosen };
}
