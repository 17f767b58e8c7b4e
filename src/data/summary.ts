// A dataset's summary: what was read and how it was split, as data (DataSummary; the CLI prints it).
import type { DataSummary, SplitData } from './types.js';

/** Counts of each class (by name) among a split's class indices. */
export function countClasses(y: ArrayLike<number>, members: number[], classes: string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  for (const i of members) counts[classes[y[i]]] += 1;
  return counts;
}

export function splitSizes(splits: Record<'train' | 'val' | 'test', SplitData>): DataSummary['sizes'] {
  return { train: splits.train.size, val: splits.val.size, test: splits.test.size };
}
