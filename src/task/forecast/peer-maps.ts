// The statistical peers fitted on the training part, run on one window with their fitted parameters: linear maps of
// the window too, so they are candidates for the skip's prior beside the smoothing grid. ARIMA runs its recursion
// over the window without its mean (the window's level is taken away); ETS's smoothing runs as additive Holt-Winters.
import type { PeerFits } from '../../data/peer-fits.js';
import { arimaForecasts } from './peers/arima-model.js';
import { describeSmoothing, smoothingMap, windowSeason, type Smoothing, type WindowMap } from './smoothing-prior.js';

const round = (v: number) => Number(v.toPrecision(3));

/** ARIMA's forecasts of each unit window, or undefined when the window is shorter than its lags (AR, MA or differencing). */
function arimaMap(fit: PeerFits['fits'][number]['arima'], n: number, leads: number[]): WindowMap | undefined {
  if ('skipped' in fit) return undefined;
  const h = Math.max(...leads);
  const c = new Float64Array(n * leads.length);
  const unit = new Float64Array(n);
  const coefficients = { ...fit, mean: 0 };
  for (let t = 0; t < n; t++) {
    unit.fill(0);
    unit[t] = 1;
    const { values, fallbacks } = arimaForecasts(coefficients, unit, Int32Array.of(n - 1), h);
    if (fallbacks > 0 || !values.every(Number.isFinite)) return undefined;
    leads.forEach((lead, k) => (c[t * leads.length + k] = values[lead - 1]));
  }
  const seasonal = fit.sar.length + fit.D + fit.sma.length > 0 ? `(${fit.sar.length},${fit.D},${fit.sma.length})` : '';
  return { about: `ARIMA(${fit.ar.length},${fit.d},${fit.ma.length})${seasonal}`, c };
}

/** ETS's smoothing parameters as the grid's Holt-Winters form (its slope and season gains are relative to α). */
function etsMap(fit: PeerFits['fits'][number]['ets'], n: number, leads: number[], season?: number) {
  if ('skipped' in fit) return undefined;
  const { model, alpha } = fit;
  const s: Smoothing = {
    trend: model.trend !== 'N',
    alpha: round(alpha),
    beta: model.trend !== 'N' ? round(Math.min(1, fit.beta / alpha)) : 0,
    gamma: model.season !== 'N' && alpha < 1 ? round(Math.min(1, fit.gamma / (1 - alpha))) : 0,
    phi: model.damped ? round(fit.phi) : 1,
  };
  const seasonal = model.season !== 'N' ? windowSeason(season, n) : undefined;
  // a multiplicative model's parameters, run additively on the (levelled) window: an approximation, said so
  const additive = model.error === 'M' || model.season === 'M' ? ', in additive form' : '';
  return {
    about: `ETS's smoothing (${describeSmoothing(s, seasonal !== undefined)}${additive})`,
    c: smoothingMap(n, leads, s, seasonal),
    smoothing: s,
    season: seasonal,
  };
}

/** Each distinct peer model of the training series (ARIMA and ETS) as a map of an n-value window. */
export function peerMaps(fits: PeerFits, n: number, leads: number[], season?: number): WindowMap[] {
  const maps = fits.fits.flatMap((f) => [arimaMap(f.arima, n, leads), etsMap(f.ets, n, leads, season)]);
  const seen = new Set<string>();
  return maps.filter((m): m is WindowMap => {
    if (m === undefined) return false;
    const key = Array.from(m.c, (v) => v.toPrecision(6)).join();
    return !seen.has(key) && (seen.add(key), true);
  });
}
