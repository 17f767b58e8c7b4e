// The skip's start shrinks towards Holt-Winters run on the window: a linear map of the window, exact on a trend plus
// a season, and what the start is when there are too few windows for a ridge towards zero.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../src/config/schema.js';
import { fitRidge } from '../../src/task/forecast/linear.js';
import { normalEquations } from '../../src/task/forecast/ridge.js';
import { family, smoothedForecasts, smoothingPrior } from '../../src/task/forecast/smoothing-prior.js';
import { resolveLinearSkip } from '../../src/task/linear-skip.js';
import { csv, forecastCfg, loadForecastText } from '../data/helpers.js';
import { useCpu } from '../models/helpers.js';

before(useCpu);

const seasonal = (t: number) =>
  100 + 0.8 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 4 * Math.cos((4 * Math.PI * t) / 12);

test('Holt-Winters on a window forecasts a linear trend plus a season exactly, whatever its smoothing', () => {
  const x = Array.from({ length: 24 }, (_, t) => seasonal(t));
  for (const [alpha, beta, gamma] of [
    [0.1, 0.1, 0.1],
    [0.9, 0.3, 0.5],
  ])
    smoothedForecasts(x, [1, 5, 12], { trend: true, alpha, beta, gamma, phi: 1 }, 12).forEach((v, k) =>
      assert.ok(Math.abs(v - seasonal(23 + [1, 5, 12][k])) < 1e-9, `${v} vs ${seasonal(23 + [1, 5, 12][k])}`),
    );
  // linear in the window: f(a·x + b·y) = a·f(x) + b·f(y), so it is a map the skip can hold
  const y = Array.from({ length: 24 }, (_, t) => Math.cos(t * 1.3) * 7);
  const s = { trend: true, alpha: 0.3, beta: 0.1, gamma: 0.2, phi: 0.9 };
  const [fx, fy] = [smoothedForecasts(x, [1, 12], s, 12), smoothedForecasts(y, [1, 12], s, 12)];
  const mixed = smoothedForecasts(
    x.map((v, t) => 2 * v - 3 * y[t]),
    [1, 12],
    s,
    12,
  );
  mixed.forEach((v, k) => assert.ok(Math.abs(v - (2 * fx[k] - 3 * fy[k])) < 1e-9));
});

test('with fewer training windows than window inputs, the start is smoothing (exact here) where a ridge towards zero is refused', async () => {
  const rows = Array.from({ length: 60 }, (_, t) => [seasonal(t)]);
  const data = forecastCfg({ targets: ['v'], window: 24, horizon: 6, season: 12, split: { val: 6, test: 6 } });
  const ds = await loadForecastText(csv('v', rows), data);
  assert.ok(ds.splits.train.size < 24, `${ds.splits.train.size} training windows`);
  const smoothing = configSchema.parse({ data, model: { skipStart: 'smoothing' } });
  const ridge = configSchema.parse({ data, model: { skipStart: 'ridge' } });
  assert.equal(resolveLinearSkip(smoothing, ds).config.model.linearSkip, true);
  const off = resolveLinearSkip(ridge, ds);
  assert.equal(off.config.model.linearSkip, false);
  assert.match(off.note ?? '', /is off: the window has 24 inputs/);
  const fit = fitRidge(ds, 'levelled', { prior: true });
  assert.ok(!('skipped' in fit));
  // the levelled val window's targets, against the start's map of its inputs
  const b = ds.splits.val.batch([0]);
  let worst = 0;
  for (let c = 0; c < fit.m; c++) {
    let sum = fit.w[(fit.d - 1) * fit.m + c];
    for (let i = 0; i < fit.d - 1; i++) sum += b.x[i] * fit.w[i * fit.m + c];
    worst = Math.max(worst, Math.abs(sum - b.y[c]));
  }
  assert.ok(worst < 1e-3, `largest levelled error ${worst}`);
});

test('the member chosen is the one with the least squared error on the levelled train windows; a target that is not an input gets no smoothing', async () => {
  const rows = Array.from({ length: 160 }, (_, t) => [
    seasonal(t) + 3 * Math.sin(t * 1.7) + 2 * Math.cos(t * 0.37), // a: a target and an input
    Math.cos(t / 3), // b: an input only
    50 + Math.sin(t / 5), // c: a target only
  ]);
  const data = forecastCfg({ features: ['a', 'b'], targets: ['a', 'c'], window: 12, horizon: 3, season: 4 });
  const ds = await loadForecastText(csv('a,b,c', rows), data);
  const [F, T, H] = [2, 2, 3];
  const d = 12 * F + 1;
  const m = H * T;
  const { xtx, xty } = normalEquations({ split: ds.splits.train, levels: 'levelled' }, d, m);
  const input = { xtx, xty, d, features: F, window: 12, leads: [1, 2, 3], season: 4 };
  const { w, chosen } = smoothingPrior({ ...input, targetFeature: ds.forecast.series.targetFeature });
  assert.equal(chosen[1], undefined);
  for (let i = 0; i < d; i++) for (let k = 0; k < H; k++) assert.equal(w[i * m + k * T + 1], 0);
  // brute force: each member's squared error over the train windows, from the windows themselves
  const b = ds.splits.train.batch(Array.from({ length: ds.splits.train.size }, (_, i) => i));
  const errorOf = (s: Parameters<typeof smoothedForecasts>[2], season?: number) => {
    let e = 0;
    for (let r = 0; r < b.batchSize; r++) {
      const window = Array.from({ length: 12 }, (_, t) => b.x[r * 12 * F + t * F]);
      smoothedForecasts(window, [1, 2, 3], s, season).forEach((v, k) => (e += (v - b.y[r * m + k * T]) ** 2));
    }
    return e;
  };
  // the seasonal members and, as the seasonality test, the members without a season
  const errors = [...family(4).map((s) => errorOf(s, 4)), ...family().map((s) => errorOf(s))];
  const least = Math.min(...errors);
  const { smoothing, season } = chosen[0]!;
  assert.ok(errorOf(smoothing!, season) <= least * (1 + 1e-9), `${errorOf(smoothing!, season)} vs ${least}`);
  // and the weights on a's column are that member's map of the window
  const window = Array.from({ length: 12 }, (_, t) => b.x[t * F]);
  const direct = smoothedForecasts(window, [1, 2, 3], smoothing!, season);
  direct.forEach((v, k) => {
    let sum = 0;
    for (let i = 0; i < d - 1; i++) sum += b.x[i] * w[i * m + k * T];
    assert.ok(Math.abs(sum - v) < 1e-4, `${sum} vs ${v}`);
  });
});
