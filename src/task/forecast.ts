// The forecast task: scaled targets, MSE, MAE in original units, the persistence baseline, actual-vs-predicted.
import * as tf from '@tensorflow/tfjs';
import type { Dataset, Scaler, SplitData } from '../data/types.js';
import { inverseScaler } from '../data/scaler.js';
import { forecastSpec } from '../report/prediction-plot.js';
import { f32, formatNumber, formatTable } from '../report/table.js';
import { meanAbsoluteError, regressionMetrics, skill } from './metrics.js';
import { own, type ForecastPredictions, type ForecastReport, type Task } from './types.js';

const toOriginalUnits = (values: ArrayLike<number>, scaler?: Scaler) =>
  scaler ? inverseScaler(scaler, values) : Float32Array.from(values);

function persistenceOf(split: SplitData): Float32Array {
  if (split.persistence === undefined) throw new Error('a forecast split without its persistence forecast');
  return split.persistence(Array.from({ length: split.size }, (_, i) => i));
}

function report(p: ForecastPredictions, dataset: Dataset, split: SplitData): ForecastReport {
  const k = dataset.targetNames.length;
  const naive = persistenceOf(split);
  return {
    task: 'forecast',
    count: p.count,
    loss: p.loss,
    targets: dataset.targetNames.map((name, j) => {
      const model = regressionMetrics(p.yTrue, p.yPred, k, j);
      const persistence = regressionMetrics(p.yTrue, naive, k, j);
      return { name, model, persistence, skill: skill(model.mae, persistence.mae) };
    }),
  };
}

function formatReport(r: ForecastReport): string[] {
  const metrics = (m: ForecastReport['targets'][number]['model']) => [m.mse, m.rmse, m.mae, m.mape, m.r2];
  const rows = r.targets.flatMap((t) => [
    [t.name, 'model', ...metrics(t.model)],
    [t.name, 'persistence', ...metrics(t.persistence)],
  ]);
  const lines = [formatTable(['target', 'forecast', 'MSE', 'RMSE', 'MAE', 'MAPE %', 'R²'], rows)];
  for (const t of r.targets) {
    const verdict = Number.isNaN(t.skill) ? 'cannot be compared with' : t.skill > 0 ? 'beats' : 'does NOT beat';
    lines.push(
      `${t.name}: skill vs persistence ${formatNumber(t.skill)} (1 − MAE_model / MAE_naive): ` +
        `the model ${verdict} the naive last-value forecast`,
    );
    if (t.model.mapeSkipped > 0) lines.push(`  MAPE skips ${t.model.mapeSkipped} zero targets`);
  }
  return lines;
}

export const forecastTask: Task = {
  name: 'forecast',
  metric: 'mae',
  examples: 'windows',
  plotName: 'actual vs predicted',
  targetTensor: (batch, outputSize) => tf.tensor2d(batch.y, [batch.batchSize, outputSize]), // scaled targets
  loss: (output, target) => tf.losses.meanSquaredError<tf.Tensor2D, tf.Scalar>(target, output), // mean over batch and targets
  shown: (output) => output,
  batchMetric: (dataset, batch, output) =>
    meanAbsoluteError(toOriginalUnits(batch.y, dataset.targetScaler), toOriginalUnits(output, dataset.targetScaler)),
  collector(dataset, size) {
    const width = dataset.outputSize;
    const targets = new Float32Array(size * width);
    const outputs = new Float32Array(size * width);
    return {
      add(batch, start, shown) {
        targets.set(batch.y, start * width);
        outputs.set(shown, start * width);
      },
      finish: (loss) => ({
        task: 'forecast',
        loss,
        count: size,
        yTrue: toOriginalUnits(targets, dataset.targetScaler),
        yPred: toOriginalUnits(outputs, dataset.targetScaler),
      }),
    };
  },
  headline: (p) => {
    const f = own(p, 'forecast');
    return meanAbsoluteError(f.yTrue, f.yPred);
  },
  report: (p, dataset, split) => report(own(p, 'forecast'), dataset, split),
  predictionTable(p, dataset, split) {
    const { yTrue, yPred } = own(p, 'forecast');
    const k = dataset.targetNames.length;
    const headers = ['id', ...dataset.targetNames.flatMap((t) => [`${t}_true`, `${t}_pred`])];
    const rows = split.ids.map((id, i) => [
      id,
      ...dataset.targetNames.flatMap((_, j) => [f32(yTrue[i * k + j]), f32(yPred[i * k + j])]),
    ]);
    return { headers, rows };
  },
  plot(report, p, dataset, split, title) {
    const { yTrue, yPred } = own(p, 'forecast');
    const k = dataset.targetNames.length;
    const rows = split.ids.flatMap((id, i) =>
      dataset.targetNames.map((target, j) => ({
        id: Number(id),
        target,
        actual: yTrue[i * k + j],
        predicted: yPred[i * k + j],
      })),
    );
    return {
      name: 'predictions',
      spec: forecastSpec(rows, { title, subtitle: `${report.split} split, original units` }),
    };
  },
  formatReport: (r) => formatReport(own(r, 'forecast')),
};
