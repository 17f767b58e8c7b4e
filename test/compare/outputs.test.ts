import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSpec, driftParagraph, lossRows, type CompareRecord } from '../../src/compare/outputs.js';
import { markdownTable } from '../../src/compare/table.js';
import { parseVariants } from '../../src/compare/variants.js';
import type { VariantResult } from '../../src/compare/race.js';
import type { HistoryRow } from '../../src/train/state.js';

const history = (losses: number[]) =>
  losses.map((l, k) => ({ epoch: k + 1, trainLoss: l, valLoss: l * 1.5 }) as HistoryRow);
const result = (variant: VariantResult['variant'], losses: number[]) =>
  ({ variant, history: history(losses) }) as VariantResult;

function record(variants: VariantResult[], drift: CompareRecord['drift']): CompareRecord {
  return {
    name: 'x',
    task: 'classify',
    metric: 'accuracy',
    backend: 'wasm',
    weights: 'seed 1',
    dropout: 0,
    kernel: 'fused',
    parity: [],
    variants,
    drift,
  };
}

test('markdown tables escape pipes in headers and cells and right-align numeric columns', () => {
  const md = markdownTable(['pair', 'max |Δ|'], [['a | b', 1e-7]]).split('\n');
  assert.deepEqual(md, ['| pair | max \\|Δ\\| |', '|---|---:|', '| a \\| b | 1e-7 |']);
});

test('the overlay has one series per variant, train and val, builtin drawn wide under hand', () => {
  const variants = [result('builtin', [1, 0.5]), result('hand', [1, 0.5])];
  assert.equal(lossRows(variants).length, 8);
  const spec = compareSpec(record(variants, [])) as unknown as {
    layer: { mark: { strokeWidth: number }; transform: { filter: string }[] }[];
  };
  assert.deepEqual(
    spec.layer.map((l) => l.mark.strokeWidth),
    [5, 2],
  );
  assert.match(spec.layer[0].transform[0].filter, /'builtin'\) === 0/);
});

test('the drift paragraph reports the measured differences and explains a non-zero drift by float32 summation order', () => {
  const drift = [
    {
      builtin: 'builtin' as const,
      hand: 'hand' as const,
      trainLossDiffs: [2e-7, 3e-5],
      valLossDiffs: [0, 0],
      firstEpochDiff: 2e-7,
      maxDiff: 3e-5,
      maxEpoch: 2,
    },
  ];
  const text = driftParagraph(record([], drift));
  assert.match(
    text,
    /builtin ↔ hand: epoch-1 train loss \|Δ\| = 2\.0e-7; the largest per-epoch \|Δ train loss\| is 3\.0e-5 \(epoch 2 of 2\)/,
  );
  assert.match(text, /float32/);
  assert.match(text, /Training amplifies it/);
  const none = driftParagraph(
    record([], [{ ...drift[0], trainLossDiffs: [0, 0], firstEpochDiff: 0, maxDiff: 0, maxEpoch: 1 }]),
  );
  assert.match(none, /identical to the last bit/);
});

test('--variants keeps the canonical order and drops repeats', () => {
  assert.deepEqual(parseVariants('hand-bi, builtin,hand-bi'), ['builtin', 'hand-bi']);
  assert.throws(() => parseVariants(' , '), /got nothing/);
});
