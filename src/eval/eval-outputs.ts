// lstm-eval's written outputs: the per-example predictions CSV and the task's chart.
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Dataset } from '../data/types.js';
import { writePlot } from '../report/render.js';
import { toCsv } from '../report/table.js';
import { taskOf } from '../task/index.js';
import type { Evaluation } from './evaluate.js';

/** One row per window (and step ahead) or sequence: its id, the truth and the prediction in original units. */
export function writePredictions(path: string, e: Evaluation, dataset: Dataset): string {
  const { headers, rows } = taskOf(dataset.task).predictionTable(e.predictions, dataset, e.split, e.context);
  writeFileSync(path, toCsv(headers, rows));
  return path;
}

/**
 * The task's charts as SVG, PNG and spec: forecast, actual vs predicted over time and the MAE by step ahead against
 * the baselines; classify, the confusion matrix.
 */
export async function writeEvalPlot(dir: string, e: Evaluation, dataset: Dataset, title: string): Promise<string[]> {
  const charts = taskOf(dataset.task).plots(e.report, e.predictions, dataset, e.split, title);
  const files: string[] = [];
  for (const chart of charts) files.push(...(await writePlot(dir, chart.name, chart.spec)));
  return files;
}

export const plotDirFor = (predictionsPath: string | undefined) =>
  predictionsPath ? dirname(predictionsPath) : process.cwd();
