// The statistical peers against R's forecast package (8.20) on AirPassengers, and the rules they keep: a forecast
// reads only the history up to its origin, a peer that cannot fit says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nelderMead } from '../../src/task/forecast/peers/nelder-mead.js';
import { decompose, isSeasonal } from '../../src/task/forecast/peers/decompose.js';
import { PEERS } from '../../src/task/forecast/peers/index.js';
import { arimaForecasts } from '../../src/task/forecast/peers/arima-model.js';
import { smape } from '../../src/task/forecast/scale-free.js';
import { AIR_PASSENGERS, R_AIR_PASSENGERS } from './r-references.js';

/** The largest |a − b| relative to b's mean level. */
function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const level = Array.from(b).reduce((s, v) => s + Math.abs(v), 0) / b.length;
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))) / level;
}

const series = Float64Array.from(AIR_PASSENGERS);
const TRAIN = 132; // R: window(AirPassengers, end = c(1959, 12)), the last 12 months held out

function forecastLastYear(name: 'theta' | 'ets' | 'arima') {
  const fit = PEERS[name].fit(series.subarray(0, TRAIN), 12);
  assert.ok(!('skipped' in fit), 'skipped' in fit ? fit.skipped : '');
  return { describe: fit.describe, values: fit.forecast(series, Int32Array.of(TRAIN - 1), 12).values };
}

test('Nelder–Mead finds the minimum of the Rosenbrock valley from R’s usual start', () => {
  const rosenbrock = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
  const best = nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 5000, relTol: 1e-12 });
  assert.ok(Math.abs(best.x[0] - 1) < 1e-3 && Math.abs(best.x[1] - 1) < 1e-3, `${best.x.join(', ')}`);
});

test('the seasonality test and decompose() find AirPassengers’ yearly pattern: July high, November low', () => {
  assert.equal(isSeasonal(series.subarray(0, TRAIN), 12), true);
  assert.equal(
    isSeasonal(
      Float64Array.from({ length: 60 }, (_, t) => t),
      12,
    ),
    false,
  );
  const figure = decompose(series.subarray(0, TRAIN), 12, 'multiplicative');
  assert.ok(Math.abs(figure.reduce((a, b) => a + b, 0) / 12 - 1) < 1e-12);
  assert.equal(figure.indexOf(Math.max(...figure)), 6); // the series starts in January
  assert.equal(figure.indexOf(Math.min(...figure)), 10);
});

test('Theta matches R’s thetaf on AirPassengers’ last 12 months to 1e-5 of the level', () => {
  const ours = forecastLastYear('theta');
  assert.match(ours.describe, /seasonal \(m = 12\)/);
  const gap = relativeGap(ours.values, R_AIR_PASSENGERS.theta);
  assert.ok(gap < 1e-5, `gap ${gap}`);
});

test('ETS chooses R’s model, ETS(M,Ad,M), and its forecasts are within 0.5% of R’s ets', () => {
  const ours = forecastLastYear('ets');
  assert.match(ours.describe, /^ETS\(M,Ad,M\)/);
  const gap = relativeGap(ours.values, R_AIR_PASSENGERS.ets);
  assert.ok(gap < 5e-3, `gap ${gap}`);
});

test('AutoARIMA chooses R’s ARIMA(1,1,0)(0,1,0)[12] and forecasts within 0.01% of auto.arima', () => {
  const ours = forecastLastYear('arima');
  assert.match(ours.describe, /^ARIMA\(1,1,0\)\(0,1,0\)\[12\]/);
  const gap = relativeGap(ours.values, R_AIR_PASSENGERS.arima);
  assert.ok(gap < 1e-4, `gap ${gap}`);
});

for (const name of ['theta', 'ets', 'arima'] as const)
  test(`${name}: a forecast from an origin reads only the values up to it`, () => {
    const fit = PEERS[name].fit(series.subarray(0, TRAIN), 12);
    assert.ok(!('skipped' in fit));
    const origins = Int32Array.of(119, 125, 131);
    const before = fit.forecast(series, origins, 6).values;
    const changed = Float64Array.from(series, (v, t) => (t > 131 ? v * 3 : v));
    assert.deepEqual(fit.forecast(changed, origins, 6).values, before);
    const later = fit.forecast(changed, Int32Array.of(135), 6).values;
    assert.notDeepEqual(later, fit.forecast(series, Int32Array.of(135), 6).values);
    fit.dispose?.();
  });

test('a peer that cannot fit says why: too short a training part, too long a season', () => {
  const short = series.subarray(0, 6);
  for (const name of ['theta', 'ets', 'arima'] as const) {
    const fit = PEERS[name].fit(short, 1);
    assert.ok('skipped' in fit, name);
    assert.match(fit.skipped, /6 values/);
  }
  const hourly = PEERS.arima.fit(series, 48);
  assert.ok('skipped' in hourly);
  assert.match(hourly.skipped, /season of 48/);
});

test('sMAPE: 200 |ŷ − y| / (|y| + |ŷ|) averaged, a term with both zero counting 0', () => {
  assert.equal(smape([100, 0], [50, 0]), (200 * 50) / 150 / 2);
  assert.equal(smape([1], [-1]), 200);
});

test('the ARIMA recursion: ARIMA(0,1,1) forecasts the level of simple exponential smoothing with α = 1 − θ', () => {
  const y = Float64Array.from(AIR_PASSENGERS.slice(0, 40));
  const theta = 0.3;
  const model = { ar: [], ma: [theta], sar: [], sma: [], d: 1, D: 0, m: 1, mean: 0 };
  const origins = Int32Array.of(5, 20, 39);
  const { values, fallbacks } = arimaForecasts(model, y, origins, 3);
  assert.equal(fallbacks, 0);
  let level = y[0];
  const levels: number[] = [];
  for (let t = 1; t < y.length; t++) levels[t] = level += (1 - theta) * (y[t] - level);
  origins.forEach((t, i) => {
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(values[i * 3 + k] - levels[t]) < 1e-9, `origin ${t} step ${k + 1}`);
  });
});
