// The classical tools the statistical peers start from, as R's stats defines them: the autocorrelation test of
// seasonality (forecast::thetaf), decompose() and a least-squares line.

/** The one-sided 95% normal quantile, qnorm(0.95): thetaf's test is at the 90% level, two-sided. */
const Z95 = 1.6448536269514722;

export const isConstant = (y: ArrayLike<number>) => Array.prototype.every.call(y, (v: number) => v === y[0]);

/** Sample autocorrelations r_1 … r_maxLag (R's acf: the lag-k sum over the full-length variance). */
export function autocorrelations(y: ArrayLike<number>, maxLag: number): number[] {
  const n = y.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += y[t] / n;
  let variance = 0;
  for (let t = 0; t < n; t++) variance += (y[t] - mean) ** 2;
  return Array.from({ length: maxLag }, (_, k) => {
    let sum = 0;
    for (let t = 0; t + k + 1 < n; t++) sum += (y[t] - mean) * (y[t + k + 1] - mean);
    return sum / variance;
  });
}

/**
 * thetaf's test: seasonal when |r_m| exceeds 1.645 standard errors, sqrt((1 + 2 Σ_{k<m} r_k²) / n); only with more
 * than two seasons of data that is not constant.
 */
export function isSeasonal(y: ArrayLike<number>, m: number): boolean {
  const n = y.length;
  if (m <= 1 || n <= 2 * m || isConstant(y)) return false;
  const r = autocorrelations(y, m);
  let sum = 0;
  for (let k = 0; k < m - 1; k++) sum += r[k] ** 2;
  return Math.abs(r[m - 1]) / Math.sqrt((1 + 2 * sum) / n) > Z95;
}

export type DecompositionType = 'additive' | 'multiplicative';

/**
 * R's decompose(): the trend a centred moving average over one season (2×m when m is even), each phase's mean
 * detrended value, normalised to mean 1 (multiplicative) or 0 (additive). Phases count from the first value:
 * `figure[t mod m]` is the seasonal index of y[t].
 */
export function decompose(y: ArrayLike<number>, m: number, type: DecompositionType): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const weight = (j: number) => (m % 2 === 0 && (j === -half || j === half) ? 0.5 / m : 1 / m);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    for (let j = -half; j <= half; j++) trend += weight(j) * y[t + j];
    const detrended = type === 'multiplicative' ? y[t] / trend : y[t] - trend;
    if (!Number.isFinite(detrended)) continue;
    sums[t % m] += detrended;
    counts[t % m]++;
  }
  const figure = sums.map((s, i) => s / counts[i]);
  const mean = figure.reduce((a, b) => a + b, 0) / m;
  return figure.map((f) => (type === 'multiplicative' ? f / mean : f - mean));
}

/** Least-squares intercept and slope of y on x = x0, x0 + 1, … (R's lsfit on a time index). */
export function line(y: ArrayLike<number>, x0 = 0): { intercept: number; slope: number } {
  const n = y.length;
  const meanX = x0 + (n - 1) / 2;
  let meanY = 0;
  for (let t = 0; t < n; t++) meanY += y[t] / n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (x0 + t - meanX) * (y[t] - meanY);
    sxx += (x0 + t - meanX) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: meanY - slope * meanX, slope };
}

/** Least squares by the normal equations and Gaussian elimination: coefficients of the columns of `x` [rows][k]. */
export function leastSquares(x: number[][], y: ArrayLike<number>): number[] {
  const k = x[0].length;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  x.forEach((row, t) => {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i][j] += row[i] * row[j];
      a[i][k] += row[i] * y[t];
    }
  });
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < k; r++) {
      if (r === c || a[c][c] === 0) continue;
      const factor = a[r][c] / a[c][c];
      for (let j = c; j <= k; j++) a[r][j] -= factor * a[c][j];
    }
  }
  return a.map((row, i) => (row[i] === 0 ? 0 : row[k] / row[i]));
}
