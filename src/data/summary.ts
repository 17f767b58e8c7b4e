// A dataset's summary: what was read and how it was split, as data (DataSummary) and as printable lines.
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

/** The summary as short human-readable lines (the CLI decides where they go). */
export function formatSummary(s: DataSummary): string[] {
  const unit = s.task === 'forecast' ? 'windows' : 'sequences';
  const lines = [
    `data: ${s.file} (${s.task}), ${s.rows} rows used${s.droppedRows ? `, ${s.droppedRows} dropped for empty cells` : ''}`,
    `features (${s.features.length}): ${s.features.join(', ')}; steps ${s.steps}`,
    s.task === 'forecast' ? `targets: ${s.targets.join(', ')}` : `classes (${s.classes.length}): ${s.classes.join(', ')}`,
    `${unit}: train ${s.sizes.train}, val ${s.sizes.val}, test ${s.sizes.test}`,
  ];
  if (s.classCounts)
    for (const split of ['train', 'val', 'test'] as const)
      lines.push(`  ${split}: ${Object.entries(s.classCounts[split]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  return lines;
}
