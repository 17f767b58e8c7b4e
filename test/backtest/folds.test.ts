import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldOrigins, parseRefit, trainedAt } from '../../src/backtest/folds.js';
import { UsageError } from '../../src/errors.js';

const layout = {
  seriesNames: ['a', 'b'],
  seriesBounds: [
    [0, 30],
    [30, 50],
  ] as [number, number][],
  window: 5,
  horizon: 3,
};

test("foldOrigins puts k origins s rows apart at each series' end, the last leaving the horizon after it", () => {
  const origins = foldOrigins(layout, { folds: 3, stride: 4, refit: 'never' });
  assert.deepEqual(
    origins.map((o) => [o.fold, o.series, o.row]),
    [
      [0, 0, 18],
      [1, 0, 22],
      [2, 0, 26],
      [0, 1, 38],
      [1, 1, 42],
      [2, 1, 46],
    ],
  );
});

test('foldOrigins refuses folds whose first origin has no whole window before it, naming the series and numbers', () => {
  // series b: last origin at row 16 of 20; 4 folds × 4 apart start at row 4 (rows 0 … 4 are the window), 5 at row 0
  assert.equal(foldOrigins(layout, { folds: 4, stride: 4, refit: 'never' }).length, 8);
  assert.throws(
    () => foldOrigins(layout, { folds: 5, stride: 4, refit: 'never' }),
    (e: unknown) =>
      e instanceof UsageError &&
      /--folds 5 × --stride 4: .*\(5 rows\).*row 0 of the 20 rows of series "b".*at most 4 folds fit/.test(e.message),
  );
  assert.throws(() => foldOrigins(layout, { folds: 0, stride: 1, refit: 'never' }), /--folds: .* got 0/);
  assert.throws(() => foldOrigins(layout, { folds: 2, stride: -1, refit: 'never' }), /--stride: .* got -1/);
});

test('trainedAt: every fold its own model, never one (or the checkpoint), N a model per N folds', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((f) => trainedAt(f, 'every', false)),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(
    [0, 1, 2].map((f) => trainedAt(f, 'never', false)),
    [0, 0, 0],
  );
  assert.deepEqual(
    [0, 1, 2].map((f) => trainedAt(f, 'never', true)),
    [undefined, undefined, undefined],
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((f) => trainedAt(f, parseRefit('2'), false)),
    [0, 0, 2, 2, 4],
  );
  assert.throws(() => parseRefit('0'), /--refit: expected every, never or a positive whole number of folds, got "0"/);
});
