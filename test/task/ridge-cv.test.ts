// The skip start's penalty by blocked cross-validation, read from normal equations: the squared error they give is
// the squared error of the windows, and the penalty chosen is the one whose held-out fits err least.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossValidatedPenalty, squaredError, type Equations } from '../../src/task/forecast/ridge-cv.js';
import { Rng } from '../../src/util/rng.js';

const [d, m] = [4, 2];

/** Equations of rows x [n, d] (last column 1) and targets y [n, m]. */
function equationsOf(x: number[][], y: number[][]): Equations {
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d * m);
  let yty = 0;
  x.forEach((row, r) => {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) xtx[i * d + j] += row[i] * row[j];
      for (let c = 0; c < m; c++) xty[i * m + c] += row[i] * y[r][c];
    }
    for (let c = 0; c < m; c++) yty += y[r][c] ** 2;
  });
  return { xtx, xty, yty, count: x.length };
}

/** Ridge towards zero (intercept too), solved by Gaussian elimination: the reference fit. */
function ridge(e: Equations, penalty: number): Float32Array {
  const a = Array.from({ length: d }, (_, i) => [
    ...Array.from({ length: d }, (_, j) => e.xtx[i * d + j] + (i === j ? penalty : 0)),
    ...Array.from({ length: m }, (_, c) => e.xty[i * m + c]),
  ]);
  for (let i = 0; i < d; i++)
    for (let k = i + 1; k < d; k++) {
      const f = a[k][i] / a[i][i];
      for (let j = i; j < d + m; j++) a[k][j] -= f * a[i][j];
    }
  const w = new Float32Array(d * m);
  for (let c = 0; c < m; c++)
    for (let i = d - 1; i >= 0; i--) {
      let sum = a[i][d + c];
      for (let j = i + 1; j < d; j++) sum -= a[i][j] * w[j * m + c];
      w[i * m + c] = sum / a[i][i];
    }
  return w;
}

const rng = new Rng(3);
const rows = (n: number, noise: number) => {
  const x = Array.from({ length: n }, () => [rng.next() - 0.5, rng.next() - 0.5, rng.next() - 0.5, 1]);
  const y = x.map((r) => [2 * r[0] - r[1] + noise * (rng.next() - 0.5), r[2] + 0.3 + noise * (rng.next() - 0.5)]);
  return { x, y };
};

test('the squared error read from normal equations is the squared error of the windows', () => {
  const { x, y } = rows(30, 0.2);
  const w = Float32Array.from({ length: d * m }, () => rng.next() - 0.5);
  let direct = 0;
  x.forEach((r, k) =>
    [0, 1].forEach((c) => (direct += (y[k][c] - r.reduce((a, v, i) => a + v * w[i * m + c], 0)) ** 2)),
  );
  assert.ok(Math.abs(squaredError(equationsOf(x, y), w, d, m) - direct) < 1e-9 * Math.max(1, direct));
});

test('the penalty chosen is the one whose fits of the other blocks predict each block (and val) best', () => {
  const blocks = [0, 1, 2, 3, 4].map(() => rows(8, 0.5));
  const folds = blocks.map((b) => equationsOf(b.x, b.y));
  const val = rows(3, 0.5);
  const all = equationsOf(
    blocks.flatMap((b) => b.x),
    blocks.flatMap((b) => b.y),
  );
  const valEq = equationsOf(val.x, val.y);
  const penalties = [1e-3, 0.1, 1, 10, 1000];
  const chosen = crossValidatedPenalty({ folds, all, val: valEq, d, m }, penalties, ridge);
  // brute force: refit without each block from its rows, score on its rows
  const heldOut = penalties.map((p) => {
    let sum = 0;
    blocks.forEach((b, k) => {
      const others = blocks.filter((_, j) => j !== k);
      const w = ridge(
        equationsOf(
          others.flatMap((o) => o.x),
          others.flatMap((o) => o.y),
        ),
        p,
      );
      sum += squaredError(equationsOf(b.x, b.y), w, d, m);
    });
    return sum + squaredError(valEq, ridge(all, p), d, m);
  });
  assert.equal(chosen, penalties[heldOut.indexOf(Math.min(...heldOut))]);
  assert.notEqual(chosen, 1000, 'a strong signal is not shrunk to zero');
});
