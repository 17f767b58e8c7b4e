import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scores, seasonalNaiveMae } from '../../src/backtest/metrics.js';

test('metrics: MAE, RMSE, sMAPE and MASE with each origin its own scale', () => {
  // seasonal naive (m 2) on 1 2 4 3 6: |4−1|, |3−2|, |6−4| → mean 2
  assert.equal(seasonalNaiveMae([1, 2, 4, 3, 6], 2), 2);
  assert.ok(Number.isNaN(seasonalNaiveMae([1, 2], 2)));
  const s = scores([
    { actual: 10, forecast: 8, scale: 2 },
    { actual: 0, forecast: 0, scale: 4 },
    { actual: -4, forecast: 0, scale: 1 },
  ]);
  assert.equal(s.mae, 2);
  assert.ok(Math.abs(s.rmse - Math.sqrt(20 / 3)) < 1e-12);
  assert.ok(Math.abs(s.mase - (1 + 0 + 4) / 3) < 1e-12);
  // sMAPE: 200·2/18, 0 (both zero), 200·4/4
  assert.ok(Math.abs(s.smape - (400 / 18 + 200) / 3) < 1e-12);
  assert.ok(Number.isNaN(scores([{ actual: 1, forecast: 2, scale: 0 }]).mase), 'a constant history has no MASE');
});
