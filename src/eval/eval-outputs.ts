// lstm-eval's written outputs: the per-example predictions CSV and the pictures.
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Dataset, SplitData } from '../data/types.js';
import { toCsv } from '../report/table.js';
import { writePlot } from '../report/render.js';
import { confusionSpec, forecastSpec } from '../report/prediction-plot.js';
import { argmaxRows } from './metrics.js';
import type { Predictions } from './predict.js';
import type { EvalReport } from './evaluate.js';

/** float32 values printed as float32: 0.6147 rather than 0.6147000193595886 */
const f32 = (x: number) => Number(x.toPrecision(7));

/** One row per window or sequence: its id, the truth and the prediction in original units (classify: + probabilities). */
export function predictionTable(
  p: Predictions,
  dataset: Dataset,
  split: SplitData,
): { headers: string[]; rows: (string | number)[][] } {
  if (dataset.task === 'forecast') {
    const k = dataset.targetNames.length;
    const headers = ['id', ...dataset.targetNames.flatMap((t) => [`${t}_true`, `${t}_pred`])];
    const rows = split.ids.map((id, i) => [
      id,
      ...dataset.targetNames.flatMap((_, j) => [f32(p.yTrue![i * k + j]), f32(p.yPred![i * k + j])]),
    ]);
    return { headers, rows };
  }
  const classes = dataset.classes;
  const predicted = argmaxRows(p.probabilities!, classes.length);
  const headers = ['id', 'label_true', 'label_pred', ...classes.map((c) => `p_${c}`)];
  const rows = split.ids.map((id, i) => [
    id,
    classes[p.labels![i]],
    classes[predicted[i]],
    ...classes.map((_, c) => f32(p.probabilities![i * classes.length + c])),
  ]);
  return { headers, rows };
}

export function writePredictions(path: string, p: Predictions, dataset: Dataset, split: SplitData): string {
  const { headers, rows } = predictionTable(p, dataset, split);
  writeFileSync(path, toCsv(headers, rows));
  return path;
}

/** forecast: predictions.svg/png, actual vs predicted over time; classify: confusion.svg/png. */
export async function writeEvalPlot(
  dir: string,
  report: EvalReport,
  p: Predictions,
  dataset: Dataset,
  split: SplitData,
  title: string,
): Promise<string[]> {
  if (report.task === 'classify')
    return writePlot(
      dir,
      'confusion',
      confusionSpec(report.classes, report.confusion, {
        title,
        subtitle: `${report.split} split, ${report.count} sequences`,
      }),
    );
  const k = dataset.targetNames.length;
  const rows = split.ids.flatMap((id, i) =>
    dataset.targetNames.map((target, j) => ({
      id: Number(id),
      target,
      actual: p.yTrue![i * k + j],
      predicted: p.yPred![i * k + j],
    })),
  );
  return writePlot(
    dir,
    'predictions',
    forecastSpec(rows, { title, subtitle: `${report.split} split, original units` }),
  );
}

export const plotDirFor = (predictionsPath: string | undefined) =>
  predictionsPath ? dirname(predictionsPath) : process.cwd();
