// Each window's level taken out of its inputs and targets (windowLevel last, standardize), and given back by restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csv, forecastCfg, loadForecastText } from './helpers.js';

// a rises by 2 a row, b is a covariate, c a second target that is not an input.
const N = 30;
const text = csv(
  'a,b,c',
  Array.from({ length: N }, (_, i) => [2 * i, (i * 7) % 5, 100 - i]),
);
const cfg = (windowLevel: string) =>
  forecastCfg({
    features: ['a', 'b'],
    targets: ['a', 'c'],
    window: 3,
    horizon: 2,
    split: { train: 0.6, val: 0.2, test: 0.2 },
    normalize: 'none',
    windowLevel,
  });

test('last: inputs that are targets and the targets are taken relative to the window end; restore gives it back', async () => {
  const ds = await loadForecastText(text, cfg('last'));
  const batch = ds.splits.train.batch([4]); // the window ending at row 6: rows 4..6, targets rows 7 and 8
  const [aEnd, cEnd] = [12, 94];
  const b = (i: number) => (i * 7) % 5;
  assert.deepEqual(Array.from(batch.x), [8 - aEnd, b(4), 10 - aEnd, b(5), 12 - aEnd, b(6)], 'b is not a target: as is');
  assert.deepEqual(Array.from(batch.y), [14 - aEnd, 93 - cEnd, 16 - aEnd, 92 - cEnd]);
  assert.deepEqual(Array.from(batch.restore!.offset), [aEnd, cEnd]);
  assert.deepEqual(Array.from(batch.restore!.scale), [1, 1]);
});

test('standardize: every input column and each target by its own window mean and spread (RevIN)', async () => {
  const ds = await loadForecastText(text, cfg('standardize'));
  const batch = ds.splits.train.batch([4]); // rows 4..6
  const stats = (xs: number[]) => {
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    return [mean, Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length)];
  };
  const [ma, sa] = stats([8, 10, 12]);
  const [mc, sc] = stats([96, 95, 94]); // c is not an input: its stats come from the target column's window rows
  const close = (got: ArrayLike<number>, want: number[]) =>
    want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-5, `${i}: ${got[i]} vs ${w}`));
  close([batch.x[0], batch.x[2], batch.x[4]], [(8 - ma) / sa, (10 - ma) / sa, (12 - ma) / sa]);
  close(batch.y, [(14 - ma) / sa, (93 - mc) / sc, (16 - ma) / sa, (92 - mc) / sc]);
  close(batch.restore!.offset, [ma, mc]);
  close(batch.restore!.scale, [sa, sc]);
  const absolute = ds.splits.train.absoluteBatch([4]);
  assert.deepEqual(Array.from(absolute.y), [14, 93, 16, 92], 'absoluteBatch: the levels themselves');
  assert.equal(absolute.restore, undefined);
});
