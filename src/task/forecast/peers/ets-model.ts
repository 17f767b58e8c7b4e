// One exponential smoothing state-space model (Hyndman et al. 2008), as R's forecast::ets runs it: the recursions,
// the likelihood its AICc compares, and point forecasts from any state.
//
//   one step:  ŷ_t = (l + φb) ⊕ s_{t−m}            ⊕: + (season A), × (season M), none (N)
//   level:     l_t = q + α (p − q)                 q = l + φb, p = y_t ⊖ s_{t−m}
//   slope:     b_t = φb + (β/α) (l_t − l − φb)
//   season:    s_t = s_{t−m} + γ (y_t ⊘ q − s_{t−m})
//   error:     e_t = y_t − ŷ_t (A) or (y_t − ŷ_t) / ŷ_t (M); the error type changes the likelihood, not the states
//   −2 log L  = n log Σ e_t² (+ 2 Σ log |ŷ_t| for M), up to a constant

export interface EtsSpec {
  error: 'A' | 'M';
  trend: 'N' | 'A';
  damped: boolean;
  season: 'N' | 'A' | 'M';
  /** the season's length (1 without one) */
  m: number;
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** A state: level, slope and the last m seasonal values, a ring indexed by time (season[t mod m] is s_{t−m}). */
export interface EtsState {
  level: number;
  slope: number;
  season: Float64Array;
}

const TOL = 1e-10;
const HUGE = 1e10;

export const specName = (s: EtsSpec) => `ETS(${s.error},${s.trend}${s.damped ? 'd' : ''},${s.season})`;

/** The state after reading y at time t (in place). */
function update(spec: EtsSpec, par: EtsParams, st: EtsState, t: number, y: number): void {
  const damped = spec.trend === 'N' ? 0 : par.phi * st.slope;
  const q = st.level + damped;
  const i = t % spec.m;
  const old = st.season[i];
  const p = spec.season === 'N' ? y : spec.season === 'A' ? y - old : Math.abs(old) < TOL ? HUGE : y / old;
  const previous = st.level;
  st.level = q + par.alpha * (p - q);
  if (spec.trend !== 'N') st.slope = damped + (par.beta / par.alpha) * (st.level - previous - damped);
  if (spec.season === 'N') return;
  const ratio = spec.season === 'A' ? y - q : Math.abs(q) < TOL ? HUGE : y / q;
  st.season[i] = old + par.gamma * (ratio - old);
}

/**
 * −2 log-likelihood (up to a constant, as R's ets) of y from the initial state; the state is consumed. The optimiser
 * calls this thousands of times per model: the one-step forecast and update() fused, the spec's choices read once
 * into locals, the season's phase counted instead of t mod m; the same arithmetic in the same order.
 */
export function likelihood(spec: EtsSpec, par: EtsParams, st: EtsState, y: ArrayLike<number>): number {
  const { alpha, gamma, phi } = par;
  const slopeGain = par.beta / par.alpha;
  const trended = spec.trend !== 'N';
  const additive = spec.season === 'A';
  const multiplicative = spec.season === 'M';
  const relative = spec.error === 'M';
  const { m } = spec;
  const season = st.season;
  let level = st.level;
  let slope = st.slope;
  let sse = 0;
  let logs = 0;
  for (let t = 0, i = 0; t < y.length; t++, i = i + 1 === m ? 0 : i + 1) {
    const damped = trended ? phi * slope : 0;
    const q = level + damped;
    const old = season[i];
    let f = additive ? q + old : multiplicative ? q * old : q;
    const yt = y[t];
    if (!relative) sse += (yt - f) * (yt - f);
    else {
      if (Math.abs(f) < TOL) f += TOL;
      const e = (yt - f) / f;
      sse += e * e;
      logs += Math.log(Math.abs(f));
    }
    const p = additive ? yt - old : multiplicative ? (Math.abs(old) < TOL ? HUGE : yt / old) : yt;
    const previous = level;
    level = q + alpha * (p - q);
    if (trended) slope = damped + slopeGain * (level - previous - damped);
    if (additive) season[i] = old + gamma * (yt - q - old);
    else if (multiplicative) season[i] = old + gamma * ((Math.abs(q) < TOL ? HUGE : yt / q) - old);
  }
  st.level = level;
  st.slope = slope;
  return y.length * Math.log(sse) + (relative ? 2 * logs : 0);
}

/** Point forecasts [origins, h]: the state run through y, read after each origin (φ + … + φ^k damps the slope). */
export function forecastOrigins(
  spec: EtsSpec,
  par: EtsParams,
  st: EtsState,
  y: ArrayLike<number>,
  origins: Int32Array,
  h: number,
): Float64Array {
  const out = new Float64Array(origins.length * h);
  let next = 0;
  for (let t = 0; t < y.length && next < origins.length; t++) {
    update(spec, par, st, t, y[t]);
    for (; next < origins.length && origins[next] === t; next++) {
      let damping = 0;
      for (let k = 1; k <= h; k++) {
        damping += spec.damped ? par.phi ** k : 1;
        const q = spec.trend === 'N' ? st.level : st.level + damping * st.slope;
        const s = spec.season === 'N' ? 0 : st.season[(t + k) % spec.m];
        out[next * h + k - 1] = spec.season === 'N' ? q : spec.season === 'A' ? q + s : q * s;
      }
    }
  }
  return out;
}
