import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hourlyCsv, orderCsv, orderLongCsv, sineCsv, stationsCsv } from '../../scripts/make-data.js';
import { classifyCfg, forecastCfg, loadText } from './helpers.js';

const parse = (text: string) =>
  text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

test('the shipped CSVs are exactly what the generator writes, and small', () => {
  for (const [name, make, maxKb] of [
    ['sine.csv', sineCsv, 200],
    ['order.csv', orderCsv, 1024],
    ['order-long.csv', orderLongCsv, 1024],
    ['hourly.csv', hourlyCsv, 400],
    ['hourly-ahead.csv', () => hourlyCsv({ ahead: 24 }), 400],
    ['stations.csv', stationsCsv, 200],
  ] as const) {
    const shipped = readFileSync(new URL(`../../data/${name}`, import.meta.url), 'utf8');
    assert.equal(shipped, make(), `${name}: run npx tsx scripts/make-data.ts`);
    assert.ok(shipped.length < maxKb * 1024, `${name} is ${shipped.length} bytes`);
  }
});

test('order data: the label is the order of the two bumps, classes balanced', () => {
  const rows = parse(orderCsv({ sequences: 400 }));
  let agree = 0;
  for (const r of rows) {
    const xs = r
      .slice(0, 40)
      .filter((_, k) => k % 2 === 0)
      .map(Number);
    const ys = r
      .slice(0, 40)
      .filter((_, k) => k % 2 === 1)
      .map(Number);
    const argmax = (v: number[]) => v.indexOf(Math.max(...v));
    if ((argmax(xs) < argmax(ys) ? 'xy' : 'yx') === r[40]) agree++;
  }
  assert.ok(agree / rows.length > 0.95, `peak order matches the label in ${agree} of ${rows.length}`);
  const xy = rows.filter((r) => r[40] === 'xy').length;
  assert.ok(Math.abs(xy / rows.length - 0.5) < 0.1, `${xy} of ${rows.length} are xy`);
});

/** Out-of-sample RMSE of least squares predicting value[t+1] from the last 16 values (and aux values). */
function linearRmse(value: number[], aux: number[] | undefined): number {
  const lags = 16;
  const X: number[][] = [];
  const Y: number[] = [];
  for (let t = lags - 1; t < value.length - 1; t++) {
    const row = [1, ...value.slice(t - lags + 1, t + 1), ...(aux ? aux.slice(t - lags + 1, t + 1) : [])];
    X.push(row);
    Y.push(value[t + 1]);
  }
  const n = Math.floor(X.length * 0.7);
  const w = solve(X.slice(0, n), Y.slice(0, n));
  const err = X.slice(n).map((row, i) => row.reduce((s, x, k) => s + x * w[k], 0) - Y[n + i]);
  return Math.sqrt(err.reduce((s, e) => s + e * e, 0) / err.length);
}

/** Normal equations by Gaussian elimination with partial pivoting. */
function solve(X: number[][], Y: number[]): number[] {
  const d = X[0].length;
  // Augmented matrix [XᵀX | XᵀY], reduced to the identity.
  const A = Array.from({ length: d }, (_, i) => [
    ...Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[i] * r[j], 0)),
    X.reduce((s, r, k) => s + r[i] * Y[k], 0),
  ]);
  for (let c = 0; c < d; c++) {
    const p = A.reduce((best, _, r) => (r >= c && Math.abs(A[r][c]) > Math.abs(A[best][c]) ? r : best), c);
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= d; k++) A[r][k] -= f * A[c][k];
    }
  }
  return A.map((row, i) => row[d] / row[i]);
}

test('sine data: aux carries information value alone does not', () => {
  const rows = parse(sineCsv());
  const value = rows.map((r) => Number(r[1]));
  const aux = rows.map((r) => Number(r[2]));
  const without = linearRmse(value, undefined);
  const withAux = linearRmse(value, aux);
  assert.ok(withAux < 0.8 * without, `rmse with aux ${withAux.toFixed(3)} vs without ${without.toFixed(3)}`);
});

test('the shipped examples load with the configs described for them', async () => {
  const sine = await loadText(sineCsv(), forecastCfg({ features: ['value', 'aux'], targets: ['value'], window: 32 }));
  assert.ok(sine.splits.train.size > 2000 && sine.splits.test.size > 300);
  const order = await loadText(orderCsv(), classifyCfg({ steps: 20 }));
  assert.deepEqual([order.featureNames, order.fitted.classes, order.steps], [['x', 'y'], ['xy', 'yx'], 20]);
  const long = await loadText(orderLongCsv(), classifyCfg({ layout: 'long', sequenceId: 'seq', orderBy: 'step' }));
  assert.deepEqual([long.featureNames, long.steps, long.masked, long.splits.all.size], [['x', 'y'], 20, true, 300]);
});
