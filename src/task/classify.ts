// The classify task: one-hot targets, softmax cross-entropy on logits, accuracy, the majority-class baseline.
import * as tf from '@tensorflow/tfjs';
import type { Batch, Dataset } from '../data/types.js';
import { confusionSpec } from '../report/prediction-plot.js';
import { f32, formatNumber, formatTable } from '../report/table.js';
import { accuracy, argmaxRows, confusionMatrix, macroF1, majorityBaseline, perClassMetrics } from './metrics.js';
import { own, type ClassifyPredictions, type ClassifyReport, type Task } from './types.js';

function report(p: ClassifyPredictions, classes: string[]): ClassifyReport {
  const predicted = argmaxRows(p.probabilities, classes.length);
  const confusion = confusionMatrix(p.labels, predicted, classes.length);
  const perClass = perClassMetrics(confusion);
  return {
    task: 'classify',
    count: p.count,
    loss: p.loss,
    accuracy: accuracy(p.labels, predicted),
    macroF1: macroF1(perClass),
    majorityBaseline: majorityBaseline(p.labels, classes.length),
    classes,
    perClass: perClass.map((m, c) => ({ label: classes[c], ...m })),
    confusion,
  };
}

function formatReport(r: ClassifyReport): string[] {
  return [
    `loss ${formatNumber(r.loss)}  accuracy ${formatNumber(r.accuracy)}  macro-F1 ${formatNumber(r.macroF1)}  ` +
      `majority-class baseline accuracy ${formatNumber(r.majorityBaseline)}`,
    formatTable(
      ['class', 'precision', 'recall', 'F1', 'support'],
      r.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, c.support]),
    ),
    'confusion matrix (rows: true, columns: predicted)',
    formatTable(
      ['true \\ pred', ...r.classes],
      r.confusion.map((row, i) => [r.classes[i], ...row]),
    ),
  ];
}

function collector(dataset: Dataset, size: number) {
  const labels = new Int32Array(size);
  const probabilities = new Float32Array(size * dataset.outputSize);
  return {
    add(batch: Batch, start: number, shown: Float32Array) {
      labels.set(batch.y, start);
      probabilities.set(shown, start * dataset.outputSize);
    },
    finish: (loss: number): ClassifyPredictions => ({ task: 'classify', loss, count: size, labels, probabilities }),
  };
}

export const classifyTask: Task = {
  name: 'classify',
  metric: 'accuracy',
  examples: 'sequences',
  plotName: 'confusion matrix',
  usesTrainingData: false,
  metricScope: () => '',
  targetTensor: (batch, outputSize) =>
    tf.tidy(() => tf.oneHot(tf.tensor1d(batch.y, 'int32'), outputSize).toFloat() as tf.Tensor2D), // [batch, classes]
  loss: (output, target) => tf.losses.softmaxCrossEntropy<tf.Tensor2D, tf.Scalar>(target, output), // mean over batch; logits
  shown: (output) => tf.softmax(output),
  batchMetric: (dataset, batch, output) => accuracy(batch.y, argmaxRows(output, dataset.outputSize)),
  collector,
  reportContext: () => ({}),
  checkpointTransforms: (dataset) => dataset.fitted,
  headline: (p, dataset) => {
    const c = own(p, 'classify');
    return accuracy(c.labels, argmaxRows(c.probabilities, dataset.outputSize));
  },
  report: (p, dataset) => report(own(p, 'classify'), dataset.classes),
  predictionTable(p, dataset, split) {
    const { labels, probabilities } = own(p, 'classify');
    const classes = dataset.classes;
    const predicted = argmaxRows(probabilities, classes.length);
    const headers = ['id', 'label_true', 'label_pred', ...classes.map((c) => `p_${c}`)];
    const rows = split.ids.map((id, i) => [
      id,
      classes[labels[i]],
      classes[predicted[i]],
      ...classes.map((_, c) => f32(probabilities[i * classes.length + c])),
    ]);
    return { headers, rows };
  },
  plots(report, _p, _dataset, _split, title) {
    const r = own(report, 'classify');
    const spec = confusionSpec(r.classes, r.confusion, { title, subtitle: `${r.split} split, ${r.count} sequences` });
    return [{ name: 'confusion', spec }];
  },
  formatReport: (r) => formatReport(own(r, 'classify')),
};
