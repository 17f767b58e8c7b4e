// The peers' fast inner loops give what the plain equations give, on a shipped file (data/hourly.csv): ETS's fused
// likelihood, Nelder–Mead without allocations (the fit it finds, pinned), ARIMA's one pass over every origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { candidates, fitEts } from '../../src/task/forecast/peers/ets.js';
import { likelihood, specName, type EtsParams, type EtsSpec } from '../../src/task/forecast/peers/ets-model.js';
import { arimaForecasts, type ArimaCoefficients } from '../../src/task/forecast/peers/arima-model.js';
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

test('ETS on hourly.csv still finds the fit it found before the fast loops: ETS(A,N,A), the same AICc', () => {
  const fit = fitEts(fitted, 24);
  assert.ok(fit);
  assert.equal(specName(fit.spec), 'ETS(A,N,A)');
  // the AICc and α of the per-step likelihood and the allocating Nelder–Mead, 2026-12-07
  assert.ok(Math.abs(fit.aicc - 1993.0544325912388) < 1e-9, `AICc ${fit.aicc}`);
  assert.ok(Math.abs(fit.par.alpha - 0.8201976733813479) < 1e-12, `α ${fit.par.alpha}`);
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
