// A fitted seasonal ARIMA's point forecasts from every origin in one pass: the conditional-sum-of-squares innovations
// over the series, then each origin's h steps with future innovations zero (Box & Jenkins' recursion).
//
//   φ(B) Φ(B^m) (w_t − μ) = θ(B) Θ(B^m) e_t,   w_t = (1 − B)^d (1 − B^m)^D y_t
//   φ(B) = 1 − Σ φ_i B^i,  Φ(B^m) = 1 − Σ Φ_i B^{mi},  θ(B) = 1 − Σ θ_j B^j,  Θ(B^m) = 1 − Σ Θ_j B^{mj}   (ctsa's signs)
import type { ArimaCoefficients } from '../../../data/peer-fits.js';

/** Coefficients of the product of two polynomials in B, each [1, c_1, c_2, …]. */
function times(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] += x * y)));
  return out;
}

/** [1, −c_1 at lag `every`, −c_2 at lag 2·every, …]: 1 − Σ c_i B^{every·i}. */
function lagPolynomial(c: number[], every: number): number[] {
  const out = new Array<number>(c.length * every + 1).fill(0);
  out[0] = 1;
  c.forEach((v, i) => (out[(i + 1) * every] = -v));
  return out;
}

/** The model's expanded lags: w_t − μ = Σ ar[k] (w_{t−k} − μ) + e_t − Σ ma[k] e_{t−k}; y_t = w_t + Σ diff[k] y_{t−k}. */
function expand(c: ArimaCoefficients) {
  const negate = (p: number[]) => p.map((v, k) => (k === 0 ? 0 : -v));
  let difference = [1];
  for (let i = 0; i < c.d; i++) difference = times(difference, [1, -1]);
  for (let i = 0; i < c.D; i++) difference = times(difference, lagPolynomial([1], c.m));
  return {
    ar: negate(times(lagPolynomial(c.ar, 1), lagPolynomial(c.sar, c.m))),
    ma: negate(times(lagPolynomial(c.ma, 1), lagPolynomial(c.sma, c.m))),
    diff: negate(difference),
  };
}

/** Forecasts [origins, h] from each origin (the index in y of the last value read); origins too early repeat it. */
export function arimaForecasts(c: ArimaCoefficients, y: Float64Array, origins: Int32Array, h: number) {
  const { ar, ma, diff } = expand(c);
  const n = y.length;
  const start = diff.length - 1; // the first index with a differenced value
  const w = new Float64Array(n); // w_t − μ
  const e = new Float64Array(n);
  for (let t = start; t < n; t++) {
    let wt = y[t];
    for (let k = 1; k < diff.length; k++) wt -= diff[k] * y[t - k];
    w[t] = wt - c.mean;
    let predicted = 0;
    for (let k = 1; k < ar.length && t - k >= start; k++) predicted += ar[k] * w[t - k];
    for (let k = 1; k < ma.length && t - k >= start; k++) predicted -= ma[k] * e[t - k];
    e[t] = t - start >= ar.length - 1 ? w[t] - predicted : 0; // conditional: no innovation before the AR lags fill
  }
  const values = new Float64Array(origins.length * h);
  const wf = new Float64Array(h); // the origin's future w and y, reused from one origin to the next
  const yf = new Float64Array(h);
  let fallbacks = 0;
  for (let i = 0; i < origins.length; i++) {
    const origin = origins[i];
    if (origin < start + ar.length - 1) {
      values.fill(y[origin], i * h, (i + 1) * h);
      fallbacks++;
      continue;
    }
    for (let step = 1; step <= h; step++) {
      const t = origin + step;
      let next = 0;
      for (let k = 1; k < ar.length; k++) next += ar[k] * (k < step ? wf[step - k - 1] : w[t - k]);
      for (let k = step; k < ma.length && t - k >= 0; k++) next -= ma[k] * e[t - k];
      wf[step - 1] = next;
      let level = next + c.mean;
      for (let k = 1; k < diff.length; k++) level += diff[k] * (k < step ? yf[step - k - 1] : y[t - k]);
      yf[step - 1] = level;
      values[i * h + step - 1] = level;
    }
  }
  return { values, fallbacks };
}
