import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  macroF1,
  majorityBaseline,
  meanAbsoluteError,
  perClassMetrics,
  regressionMetrics,
  skill,
} from '../../src/task/metrics.js';

test('regression metrics of one target column in [n, targets] data', () => {
  // column 0: true 1, 2, 0, 4; predicted 2, 2, 1, 2 → errors 1, 0, 1, -2
  const yTrue = [1, 10, 2, 20, 0, 30, 4, 40];
  const yPred = [2, 10, 2, 20, 1, 30, 2, 40];
  const m = regressionMetrics(yTrue, yPred, 2, 0);
  assert.equal(m.count, 4);
  assert.equal(m.mse, (1 + 0 + 1 + 4) / 4);
  assert.equal(m.rmse, Math.sqrt(1.5));
  assert.equal(m.mae, (1 + 0 + 1 + 2) / 4);
  assert.equal(m.mapeSkipped, 1); // the zero target
  assert.ok(Math.abs(m.mape - (100 * (1 / 1 + 0 / 2 + 2 / 4)) / 3) < 1e-12);
  const mean = 7 / 4;
  const ssTot = [1, 2, 0, 4].reduce((a, t) => a + (t - mean) ** 2, 0);
  assert.ok(Math.abs(m.r2 - (1 - 6 / ssTot)) < 1e-12);
  const perfect = regressionMetrics(yTrue, yTrue, 2, 1);
  assert.equal(perfect.mae, 0);
  assert.equal(perfect.r2, 1);
});

test('skill against a baseline is positive only when the model has the lower MAE', () => {
  assert.equal(skill(1, 2), 0.5);
  assert.ok(skill(3, 2) < 0);
  assert.equal(meanAbsoluteError([1, 2, 3], [1, 3, 5]), 1);
});

test('classification metrics from a confusion matrix', () => {
  const labels = [0, 0, 0, 1, 1, 2];
  const scores = [
    [0.9, 0.1, 0],
    [0.2, 0.7, 0.1],
    [0.6, 0.3, 0.1],
    [0.1, 0.8, 0.1],
    [0.5, 0.4, 0.1],
    [0.2, 0.2, 0.6],
  ].flat();
  const predicted = argmaxRows(scores, 3);
  assert.deepEqual([...predicted], [0, 1, 0, 1, 0, 2]);
  assert.equal(accuracy(labels, predicted), 4 / 6);
  const m = confusionMatrix(labels, predicted, 3);
  assert.deepEqual(m, [
    [2, 1, 0],
    [1, 1, 0],
    [0, 0, 1],
  ]);
  const per = perClassMetrics(m);
  assert.deepEqual(
    per.map((c) => c.support),
    [3, 2, 1],
  );
  assert.equal(per[0].precision, 2 / 3);
  assert.equal(per[0].recall, 2 / 3);
  assert.equal(per[1].precision, 1 / 2);
  assert.equal(per[1].recall, 1 / 2);
  assert.equal(per[2].f1, 1);
  assert.ok(Math.abs(macroF1(per) - (2 / 3 + 1 / 2 + 1) / 3) < 1e-12);
  assert.equal(majorityBaseline(labels, 3), 3 / 6);
});

test('a class that is never predicted has precision 0, not NaN', () => {
  const per = perClassMetrics([
    [2, 0],
    [1, 0],
  ]);
  assert.equal(per[1].precision, 0);
  assert.equal(per[1].f1, 0);
});
