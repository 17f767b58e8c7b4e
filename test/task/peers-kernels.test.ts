// The peers' fast inner loops give what the plain equations give, on a shipped file (data/hourly.csv): ETS's fused
// likelihood, Nelder–Mead without allocations and capped for a long season (the fit R's ets finds), ARIMA's one pass
// over every origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { candidates, fitEts } from '../../src/task/forecast/peers/ets.js';
import {
  forecastOrigins,
  likelihood,
  specName,
  type EtsParams,
  type EtsSpec,
} from '../../src/task/forecast/peers/ets-model.js';
import type { ArimaCoefficients } from '../../src/data/peer-fits.js';
import { arimaForecasts } from '../../src/task/forecast/peers/arima-model.js';
import { DATA } from '../cli/helpers.js';

const rows = readFileSync(join(DATA, 'hourly.csv'), 'utf8').trim().split('\n').slice(1);
const load = Float64Array.from(rows, (r) => Number(r.split(',')[1]));
/** What ETS fits on for configs/hourly.json: the last 10 seasons of the 7,056 training rows. */
const fitted = load.subarray(7056 - 240, 7056);

/** The equations of ets-model.ts one line each, a step at a time, for comparison. */
function plainLikelihood(spec: EtsSpec, par: EtsParams, level0: number, slope0: number, season0: Float64Array) {
  const [season, m] = [Float64Array.from(season0), spec.m];
  let [level, slope, sse, logs] = [level0, slope0, 0, 0];
  for (let t = 0; t < fitted.length; t++) {
    const y = fitted[t];
    const damped = spec.trend === 'N' ? 0 : par.phi * slope;
    const q = level + damped;
    const old = season[t % m];
    let f = spec.season === 'N' ? q : spec.season === 'A' ? q + old : q * old;
    if (spec.error === 'A') sse += (y - f) ** 2;
    else {
      if (Math.abs(f) < 1e-10) f += 1e-10;
      sse += ((y - f) / f) ** 2;
      logs += Math.log(Math.abs(f));
    }
    const p = spec.season === 'N' ? y : spec.season === 'A' ? y - old : Math.abs(old) < 1e-10 ? 1e10 : y / old;
    const previous = level;
    level = q + par.alpha * (p - q);
    if (spec.trend !== 'N') slope = damped + (par.beta / par.alpha) * (level - previous - damped);
    const ratio = spec.season === 'A' ? y - q : Math.abs(q) < 1e-10 ? 1e10 : y / q;
    if (spec.season !== 'N') season[t % m] = old + par.gamma * (ratio - old);
  }
  return fitted.length * Math.log(sse) + (spec.error === 'M' ? 2 * logs : 0);
}

test('the fused ETS likelihood equals the step-by-step equations for every model ets tries on hourly.csv', () => {
  const specs = candidates(fitted, 24);
  assert.equal(specs.length, 15);
  const level = fitted.subarray(0, 24).reduce((a, b) => a + b, 0) / 24;
  for (const spec of specs)
    for (const par of [
      { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.95 },
      { alpha: 0.82, beta: 1e-4, gamma: 1e-4, phi: 0.98 },
    ]) {
      const season = Float64Array.from({ length: spec.m }, (_, k) =>
        spec.season === 'M' ? fitted[k] / level : spec.season === 'A' ? fitted[k] - level : 0,
      );
      const plain = plainLikelihood(spec, par, level, 0.1, season);
      const fused = likelihood(spec, par, { level, slope: 0.1, season: Float64Array.from(season) }, fitted);
      assert.ok(Number.isFinite(plain));
      assert.equal(fused, plain, `${specName(spec)} ${JSON.stringify(par)}`);
    }
});

/**
 * R's forecasts from the end of `fitted` (R 4, forecast 8.20): y <- the load column;
 * forecast(ets(ts(y[6817:7056], frequency = 24), maxit = 1000), h = 24)$mean, chose ETS(A,N,A) with α 0.8087837.
 */
const R_HOURLY_ETS = [
  71.8546550976, 73.6728060117, 74.2555009212, 74.6786320186, 77.2836152774, 96.9942324079, 108.9731868527,
  121.1904261711, 126.8343753444, 117.8939037317, 102.0535651604, 89.9901145489, 82.4933471034, 80.3904944822,
  81.1325155073, 86.4102015209, 98.3006099676, 112.4148614044, 129.3057387123, 136.6269219977, 130.7957650798,
  116.6095469209, 101.8666815003, 94.2888908873,
];

test('ETS on hourly.csv (season 24) fits what R’s ets(y, maxit = 1000) fits: ETS(A,N,A), the same forecasts', () => {
  const fit = fitEts(fitted, 24);
  assert.ok(fit);
  assert.equal(specName(fit.spec), 'ETS(A,N,A)');
  assert.ok(Math.abs(fit.par.alpha - 0.8087837) < 1e-6, `α ${fit.par.alpha}`);
  const ours = forecastOrigins(fit.spec, fit.par, fit.start, fitted, Int32Array.of(fitted.length - 1), 24);
  const level = R_HOURLY_ETS.reduce((a, b) => a + b, 0) / 24;
  R_HOURLY_ETS.forEach((r, k) => assert.ok(Math.abs(ours[k] - r) / level < 1e-9, `step ${k + 1}: ${ours[k]}, R ${r}`));
});

test('ARIMA’s one pass forecasts from each origin what a pass over only the history up to it gives', () => {
  const models: ArimaCoefficients[] = [
    { ar: [-0.224434], ma: [], sar: [], sma: [0.96464], d: 1, D: 1, m: 24, mean: 0 }, // ctsa's fit on hourly.csv
    { ar: [0.5, -0.2], ma: [0.3], sar: [0.2], sma: [0.6], d: 1, D: 1, m: 24, mean: 0 },
    { ar: [0.7], ma: [-0.4, 0.1], sar: [], sma: [], d: 0, D: 0, m: 1, mean: 80 },
  ];
  const origins = Int32Array.from({ length: 60 }, (_, i) => 3 + i * 167); // the first ones too early for some
  const h = 24;
  for (const c of models) {
    const once = arimaForecasts(c, load, origins, h);
    let fallbacks = 0;
    origins.forEach((origin, i) => {
      const alone = arimaForecasts(c, load.subarray(0, origin + 1), Int32Array.of(origin), h);
      fallbacks += alone.fallbacks;
      assert.deepEqual(once.values.subarray(i * h, (i + 1) * h), alone.values, `origin ${origin}`);
    });
    assert.equal(once.fallbacks, fallbacks);
  }
});
