import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyScaler, fitScaler, inverseScaler } from '../../src/data/scaler.js';

// Two columns, row-major: a = 1, 2, 3, 4; b = 5 (constant).
const rows = [1, 5, 2, 5, 3, 5, 4, 5];

test('zscore uses the population mean and std; a constant column gets scale 1', () => {
  const s = fitScaler('zscore', ['a', 'b'], rows);
  assert.deepEqual(s.offset, [2.5, 5]);
  assert.ok(Math.abs(s.scale[0] - Math.sqrt(1.25)) < 1e-12);
  assert.equal(s.scale[1], 1);
  const scaled = applyScaler(s, rows);
  assert.ok(Math.abs(scaled[0] - -1.5 / Math.sqrt(1.25)) < 1e-6);
  assert.equal(scaled[1], 0);
});

test('minmax maps the fitted range to [0, 1]; a constant column gets scale 1', () => {
  const s = fitScaler('minmax', ['a', 'b'], rows);
  assert.deepEqual(
    [s.offset, s.scale],
    [
      [1, 5],
      [3, 1],
    ],
  );
  assert.deepEqual(Array.from(applyScaler(s, rows)), [0, 0, 1 / 3, 0, 2 / 3, 0, 1, 0].map(Math.fround));
});

test('none is the identity', () => {
  const s = fitScaler('none', ['a', 'b'], rows);
  assert.deepEqual(
    [s.offset, s.scale],
    [
      [0, 0],
      [1, 1],
    ],
  );
  assert.deepEqual(Array.from(applyScaler(s, rows)), rows);
});

test('inverse undoes apply for every kind', () => {
  const values = [0.3, -7, 12.5, 5, -1, 5.5];
  for (const kind of ['zscore', 'minmax', 'none'] as const) {
    const s = fitScaler(kind, ['a', 'b'], rows);
    const back = inverseScaler(s, applyScaler(s, values));
    values.forEach((v, k) => assert.ok(Math.abs(back[k] - v) < 1e-5, `${kind}: ${back[k]} vs ${v}`));
  }
});
