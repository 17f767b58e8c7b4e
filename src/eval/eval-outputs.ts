// lstm-eval's written outputs: the per-example predictions CSV (the charts: task/evaluate.ts).
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Dataset } from '../data/types.js';
import { toCsv } from '../util/table.js';
import { taskOf } from '../task/index.js';
import type { Evaluation } from '../task/evaluate.js';

/** One row per window (and step ahead) or sequence: its id, the truth and the prediction in original units. */
export function writePredictions(path: string, e: Evaluation, dataset: Dataset): string {
  const { headers, rows } = taskOf(dataset.task).predictionTable(e.predictions, dataset, e.split, e.context);
  writeFileSync(path, toCsv(headers, rows));
  return path;
}

export const plotDirFor = (predictionsPath: string | undefined) =>
  predictionsPath ? dirname(predictionsPath) : process.cwd();
