// The peers' fitted models run on one window are linear maps of it, candidates for the skip's prior: ARIMA's
// recursion without its mean, ETS's smoothing in Holt-Winters form; the prior takes one when it fits the windows best.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { peerMaps } from '../../src/task/forecast/peer-maps.js';
import { arimaForecasts } from '../../src/task/forecast/peers/arima-model.js';
import { fitRidge } from '../../src/task/forecast/linear.js';
import { smoothedForecasts } from '../../src/task/forecast/smoothing-prior.js';
import type { PeerFits, SeriesPeerFits } from '../../src/data/peer-fits.js';
import { csv, forecastCfg, loadForecastText } from '../data/helpers.js';
import { useCpu } from '../models/helpers.js';

before(useCpu);

const skipped = { skipped: 'not fitted here' };
const fitsOf = (f: Partial<SeriesPeerFits>): PeerFits => ({
  season: 4,
  fits: [{ series: 's', target: 'v', rows: 0, hash: '', theta: skipped, ets: skipped, arima: skipped, ...f }],
});
const apply = (c: Float64Array, x: number[], k: number, leads: number) =>
  x.reduce((sum, v, t) => sum + v * c[t * leads + k], 0);

test("ARIMA's map of a window is its recursion on that window, its mean left out; too short a window gives none", () => {
  const arima = { ar: [0.5], ma: [0.3], sar: [], sma: [-0.4], d: 1, D: 1, m: 4, mean: 2, n: 80 };
  const [map] = peerMaps(fitsOf({ arima }), 12, [1, 3, 4]);
  assert.equal(map.about, 'ARIMA(1,1,1)(0,1,1)');
  const x = Array.from({ length: 12 }, (_, t) => 10 + t + 3 * Math.sin(t * 1.57) + Math.cos(t * 2.1));
  const direct = arimaForecasts({ ...arima, mean: 0 }, Float64Array.from(x), Int32Array.of(11), 4).values;
  [1, 3, 4].forEach((lead, k) => assert.ok(Math.abs(apply(map.c, x, k, 3) - direct[lead - 1]) < 1e-9));
  // a seasonal random walk is seasonal naive: the value one season back
  const [naive] = peerMaps(fitsOf({ arima: { ...arima, ar: [], ma: [], sma: [], d: 0 } }), 12, [1, 2]);
  [1, 2].forEach((lead, k) => assert.ok(Math.abs(apply(naive.c, x, k, 2) - x[12 - 4 + lead - 1]) < 1e-12));
  // five lags of differencing and AR need more than a window of 5
  assert.deepEqual(peerMaps(fitsOf({ arima: { ...arima, ar: [0.5, 0.1] } }), 5, [1]), []);
  // an MA lag reaching before the window reads no innovation there (zero, as before the series' start)
  const [seasonalMa] = peerMaps(fitsOf({ arima: { ...arima, ar: [], sma: [0.5], D: 0, m: 12 } }), 10, [1, 2]);
  assert.ok(seasonalMa.c.every(Number.isFinite));
});

test("ETS's smoothing as a map: its slope and season gains taken relative to α, as the grid's Holt-Winters has them", () => {
  const model = { error: 'A', trend: 'A', damped: true, season: 'A', m: 4 } as const;
  const ets = { model, alpha: 0.4, beta: 0.08, gamma: 0.12, phi: 0.9, level: 0, slope: 0, season: [], from: 0 };
  const [map] = peerMaps(fitsOf({ ets }), 12, [1, 2], 4);
  assert.deepEqual(map.smoothing, { trend: true, alpha: 0.4, beta: 0.2, gamma: 0.2, phi: 0.9 });
  assert.equal(map.season, 4);
  const x = Array.from({ length: 12 }, (_, t) => 5 + 0.3 * t + 2 * Math.sin(t * 1.57));
  const direct = smoothedForecasts(x, [1, 2], map.smoothing, 4);
  direct.forEach((v, k) => assert.ok(Math.abs(apply(map.c, x, k, 2) - v) < 1e-9));
  // the same model from two series is one candidate
  const twice: PeerFits = { season: 4, fits: [...fitsOf({ ets }).fits, ...fitsOf({ ets }).fits] };
  assert.equal(peerMaps(twice, 12, [1, 2], 4).length, 1);
});

test("on an AR(2) cycle the skip's prior is the peer ARIMA run on the window, not smoothing", async () => {
  // a damped cycle kept going by noise: what smoothing cannot follow and an AR(2) can
  let [a, b, seed] = [1, 0, 7];
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.4;
  const rows = Array.from({ length: 240 }, () => {
    [a, b] = [1.6 * a - 0.9 * b + noise(), a];
    return [a];
  });
  const data = forecastCfg({ targets: ['v'], window: 10, horizon: 3, split: { val: 3, test: 3 } });
  const ds = await loadForecastText(csv('v', rows), data);
  const fit = fitRidge(ds, 'levelled', { prior: true });
  assert.ok(!('skipped' in fit) && fit.prior, 'a fit towards a prior');
  assert.match(fit.prior.about, /^ARIMA\(\d,\d,\d\) run on the window$/);
});
