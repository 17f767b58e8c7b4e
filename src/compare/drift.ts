// How far hand and builtin, trained from identical weights on identical batches, drift apart epoch by epoch.
import type { HistoryRow } from '../train/state.js';
import type { Variant } from './variants.js';

export interface Drift {
  builtin: Variant;
  hand: Variant;
  /** |Δ train loss| per epoch, over the epochs both ran */
  trainLossDiffs: number[];
  valLossDiffs: number[];
  firstEpochDiff: number;
  maxDiff: number;
  /** 1-based epoch of maxDiff */
  maxEpoch: number;
}

/** |a − b| per epoch for the epochs both histories have. */
export function epochDiffs(a: HistoryRow[], b: HistoryRow[], key: 'trainLoss' | 'valLoss'): number[] {
  const n = Math.min(a.length, b.length);
  return Array.from({ length: n }, (_, k) => Math.abs(a[k][key] - b[k][key]));
}

/** The builtin ↔ hand pairs among the results (uni and bi), each with its per-epoch train-loss drift. */
export function drifts(results: { variant: Variant; history: HistoryRow[] }[]): Drift[] {
  const byVariant = new Map(results.map((r) => [r.variant, r.history]));
  const pairs: [Variant, Variant][] = [
    ['builtin', 'hand'],
    ['builtin-bi', 'hand-bi'],
  ];
  return pairs
    .filter(([b, h]) => byVariant.has(b) && byVariant.has(h))
    .map(([builtin, hand]) => {
      const trainLossDiffs = epochDiffs(byVariant.get(builtin)!, byVariant.get(hand)!, 'trainLoss');
      const valLossDiffs = epochDiffs(byVariant.get(builtin)!, byVariant.get(hand)!, 'valLoss');
      const maxDiff = Math.max(0, ...trainLossDiffs);
      return {
        builtin,
        hand,
        trainLossDiffs,
        valLossDiffs,
        firstEpochDiff: trainLossDiffs[0] ?? NaN,
        maxDiff,
        maxEpoch: trainLossDiffs.indexOf(maxDiff) + 1,
      };
    });
}
