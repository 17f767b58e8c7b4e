// Plain-text summaries the CLI prints: the data, the model, the final scores.
import type { DataSummary } from '../data/types.js';
import type { SplitScores } from '../eval/summary.js';
import { formatNumber, formatTable } from '../report/table.js';

const print = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

export function printDataSummary(s: DataSummary): void {
  print(`data: ${s.file}`);
  print(
    `  task ${s.task}, ${s.rows} rows${s.droppedRows ? ` (${s.droppedRows} dropped for missing values)` : ''}, ${s.steps} steps per example`,
  );
  print(`  features (${s.features.length}): ${s.features.join(', ')}`);
  if (s.task === 'forecast') print(`  targets: ${s.targets.join(', ')}`);
  const what = s.task === 'forecast' ? 'windows' : 'sequences';
  const rows = (['train', 'val', 'test'] as const).map((split) => [
    split,
    s.sizes[split],
    ...(s.classCounts ? s.classes.map((c) => s.classCounts![split][c] ?? 0) : []),
  ]);
  print(formatTable(['split', what, ...s.classes.map((c) => `class ${c}`)], rows));
  for (const note of s.notes ?? []) print(`note: ${note}`);
}

export function printModelSummary(m: {
  layers: { name: string; type: string; outputShape: string; params: number }[];
  params: number;
}): void {
  print('model:');
  print(
    formatTable(
      ['layer', 'type', 'output shape', 'params'],
      m.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
    ),
  );
  print(`  total parameters: ${m.params}`);
}

export function printScores(scores: SplitScores, metric: string, bestEpoch: number): void {
  print(`final metrics (best checkpoint, epoch ${bestEpoch}, eval mode):`);
  const rows = (['train', 'val', 'test'] as const).map((s) => [
    s,
    scores[s].count,
    formatNumber(scores[s].loss),
    formatNumber(scores[s].metric),
  ]);
  print(formatTable(['split', 'examples', 'loss', metric], rows));
}
