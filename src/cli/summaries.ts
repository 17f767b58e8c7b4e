// Plain-text summaries the CLI prints: the data, the model, the final scores.
import type { DataSummary } from '../data/types.js';
import type { SplitScores } from '../task/scores.js';
import { taskOf } from '../task/index.js';
import { formatNumber, formatTable } from '../util/table.js';

const print = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

export function printDataSummary(s: DataSummary): void {
  print(`data: ${s.file}`);
  const dropped = s.droppedRows ? ` (${s.droppedRows} dropped for missing values)` : '';
  print(`  task ${s.task}, ${s.rows} rows${dropped}, ${s.steps} steps per example`);
  print(`  features (${s.features.length}): ${s.features.join(', ')}`);
  if (s.targets.length > 0) print(`  targets: ${s.targets.join(', ')}`);
  if (s.series !== undefined) print(`  series: ${s.series}, each split by time on its own`);
  const what = taskOf(s.task).examples;
  const counts = s.classCounts;
  const splitRows = s.splitRows;
  const rows = (['train', 'val', 'test'] as const).map((split) => [
    split,
    ...(splitRows ? [splitRows[split]] : []),
    s.sizes[split],
    ...(counts ? s.classes.map((c) => counts[split][c] ?? 0) : []),
  ]);
  const headers = ['split', ...(splitRows ? ['rows'] : []), what, ...s.classes.map((c) => `class ${c}`)];
  print(formatTable(headers, rows));
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

/** `scope`: what the metric averages, e.g. ", the mean over 24 steps ahead" (said in the title). */
export function printScores(scores: SplitScores, metric: string, bestEpoch: number, scope = ''): void {
  const best =
    bestEpoch === 0 ? 'epoch 0: the start, the linear skip alone, which no epoch beat on val' : `epoch ${bestEpoch}`;
  print(`final metrics (best checkpoint, ${best}, eval mode${scope ? `; ${metric}${scope}` : ''}):`);
  const rows = (['train', 'val', 'test'] as const).map((s) => [
    s,
    scores[s].count,
    formatNumber(scores[s].loss),
    formatNumber(scores[s].metric),
  ]);
  print(formatTable(['split', 'examples', 'loss', metric], rows));
}
