// The ridge fit behind the linear baseline and the skip's start: the float64 least squares of the train windows, the
// penalty chosen on val; a bounded sample of windows when the split is large; a dry run fits nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { loadConfig } from '../../src/config/load.js';
import type { ForecastDataset } from '../../src/data/types.js';
import { memberLayer } from '../../src/models/ensemble.js';
import { LINEAR_SKIP } from '../../src/models/linear-skip.js';
import { loadData } from '../../src/task/dataset.js';
import { fitRidge } from '../../src/task/forecast/linear.js';
import { prepare } from '../../src/train/prepare.js';

type Levels = 'absolute' | 'levelled';

/** The ridge of every train window, solved on the whole design matrix in float64 by ml-matrix. */
function reference(ds: ForecastDataset, levels: Levels, penalty: number): number[] {
  const split = ds.splits.train;
  const all = Array.from({ length: split.size }, (_, i) => i);
  const b = levels === 'absolute' ? split.absoluteBatch(all) : split.batch(all);
  const [n, d, m] = [b.batchSize, b.steps * b.features + 1, ds.outputSize];
  const x = new Matrix(n, d);
  const y = new Matrix(n, m);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d - 1; i++) x.set(r, i, b.x[r * (d - 1) + i]);
    x.set(r, d - 1, 1);
    for (let c = 0; c < m; c++) y.set(r, c, b.y[r * m + c]);
  }
  const xtx = x.transpose().mmul(x);
  let meanDiagonal = 0;
  for (let i = 0; i < d; i++) meanDiagonal += xtx.get(i, i) / d;
  for (let i = 0; i < d - 1; i++) xtx.set(i, i, xtx.get(i, i) + penalty * meanDiagonal);
  return new CholeskyDecomposition(xtx).solve(x.transpose().mmul(y)).to1DArray();
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

async function shipped(config: string): Promise<ForecastDataset> {
  const ds = await loadData(loadConfig(config));
  assert.equal(ds.task, 'forecast');
  return ds;
}

// the penalties are the ones the fit chose before it was rewritten (normal equations from tfjs matMuls)
const CASES: [string, Levels, number][] = [
  ['configs/forecast.json', 'absolute', 1e-3],
  ['configs/forecast.json', 'levelled', 1e-3],
  ['configs/hourly.json', 'absolute', 1e-6],
  ['configs/hourly.json', 'levelled', 1e-3],
];

for (const [config, levels, penalty] of CASES)
  test(`the ridge of ${config}'s ${levels} windows is the float64 least squares of them all, penalty ${penalty}`, async () => {
    const ds = await shipped(config);
    const fit = fitRidge(ds, levels);
    assert.ok(!('skipped' in fit));
    assert.equal(fit.penalty, penalty);
    const worst = maxDiff(fit.w, reference(ds, levels, penalty));
    assert.ok(worst < 1e-6, `max |w − reference| ${worst}`);
  });

test('a train split too large for the budget is fitted on a fixed sample of its windows', async () => {
  const ds = await shipped('configs/forecast.json'); // d = 65 inputs + 1: 20 × 66 = 1320 of ~2100 windows
  const full = fitRidge(ds, 'absolute');
  const sampled = fitRidge(ds, 'absolute', { work: 1 });
  const again = fitRidge(ds, 'absolute', { work: 1 });
  assert.ok(!('skipped' in full) && !('skipped' in sampled) && !('skipped' in again));
  assert.deepEqual(sampled.w, again.w);
  const apart = maxDiff(sampled.w, full.w);
  assert.ok(apart > 1e-6 && apart < 0.05, `max |sampled − full| ${apart}`);
});

test('a dry run builds the model and fits nothing: the linear skip stays at zero', async () => {
  const config = loadConfig('configs/forecast.json');
  const skipOf = async (dryRun: boolean) => {
    const { model } = await prepare(config, { dryRun });
    const kernel = memberLayer(model, LINEAR_SKIP)!.getWeights()[0].dataSync();
    model.dispose();
    return Math.max(...Array.from(kernel, Math.abs));
  };
  assert.equal(await skipOf(true), 0);
  assert.ok((await skipOf(false)) > 0);
});
