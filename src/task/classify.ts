// The classify task: one-hot targets, softmax cross-entropy on logits, accuracy, the majority-class baseline.
import * as tf from '@tensorflow/tfjs';
import type { Batch, Dataset } from '../data/types.js';
import { confusionSpec, predictedClassesSpec } from '../charts/prediction-plot.js';
import { UsageError } from '../errors.js';
import { loadCardData } from './dataset.js';
import type { Forward } from './forward.js';
import { f32, formatNumber, formatTable } from '../util/table.js';
import { accuracy, argmaxRows, confusionMatrix, macroF1, majorityBaseline, perClassMetrics } from './metrics.js';
import type { Labelled } from './prediction.js';
import { runForward } from './run-model.js';
import { asTask, own, type ClassifyPredictions, type ClassifyMetrics, type Predictor, type Task } from './types.js';

function classifyMetrics(p: ClassifyPredictions, classes: string[]): ClassifyMetrics {
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

function formatMetrics(r: ClassifyMetrics): string[] {
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

function reportTables(e: ClassifyMetrics) {
  const headline = {
    headers: ['accuracy', 'macro F1', 'majority class (baseline)'],
    rows: [[e.accuracy, e.macroF1, e.majorityBaseline]],
  };
  const perClass = e.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, c.support]);
  return {
    tables: [headline, { headers: ['class', 'precision', 'recall', 'F1', 'support'], rows: perClass }],
    notes: [],
  };
}

/** The example's true and predicted labels. */
function caption(p: ClassifyPredictions, dataset: Dataset, index: number): string {
  const k = dataset.fitted.classes.length;
  const probs = p.probabilities.subarray(index * k, (index + 1) * k);
  const predicted = probs.indexOf(Math.max(...probs));
  return `label ${dataset.fitted.classes[p.labels[index]]}, predicted ${dataset.fitted.classes[predicted]}`;
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

/** A label and every class's probability for each sequence of the file. */
async function labelSequences(forward: Forward, data: Dataset, batchSize: number): Promise<Labelled> {
  const split = data.splits.all;
  const p = own(await runForward(classifyTask, forward, data, split, batchSize), 'classify');
  const k = data.fitted.classes.length;
  const predicted = argmaxRows(p.probabilities, k);
  const rows = split.ids.map((sequence, i) => ({
    sequence,
    label: data.fitted.classes[predicted[i]],
    probabilities: Array.from(p.probabilities.subarray(i * k, (i + 1) * k)),
  }));
  return { task: 'classify', classes: data.fitted.classes, rows, notes: [] };
}

const classifier: Predictor = asTask<Predictor, 'classify'>('classify', {
  async run(r) {
    if (r.steps !== undefined || r.from !== undefined)
      throw new UsageError(
        `${r.steps !== undefined ? '--steps' : '--from'}: a classifier labels whole sequences; it takes neither --steps nor --from`,
      );
    const data = await loadCardData(r.card, r.dataPath, true, r.onProgress);
    return r.withForward(data, (forward) => labelSequences(forward, data, r.batchSize));
  },
  table: (c) => ({
    headers: ['sequence', 'label', ...c.classes.map((k) => `p_${k}`)],
    rows: c.rows.map((r) => [r.sequence, r.label, ...r.probabilities.map(f32)]),
  }),
  extras: () => ({}),
  chart(c, name) {
    const title = `${name}: predicted labels`;
    const labels = c.rows.map((r) => r.label);
    const spec = predictedClassesSpec(c.classes, labels, { title, subtitle: `${c.rows.length} sequences` });
    return { name: 'labels', spec };
  },
});

export const classifyTask: Task = asTask<Task, 'classify'>('classify', {
  name: 'classify',
  metric: 'accuracy',
  examples: 'sequences',
  usesTrainingData: false,
  higherIsBetter: true,
  forecastsAhead: false,
  modelNoun: 'a classifier',
  outputs: 'classes',
  head: 'softmax',
  masked: (data) => data.layout === 'long',
  metricScope: () => '',
  targetTensor: (batch, outputSize) =>
    tf.tidy(() => tf.oneHot(tf.tensor1d(batch.y, 'int32'), outputSize).toFloat() as tf.Tensor2D), // [batch, classes]
  loss: (output, target, classWeights) => {
    if (classWeights === undefined) return tf.losses.softmaxCrossEntropy<tf.Tensor2D, tf.Scalar>(target, output); // mean; logits
    // Σ w·CE / Σ w, w each example's class weight: the weighted mean PyTorch's CrossEntropyLoss(weight) takes
    const w = tf.sum(tf.mul(target, classWeights), 1); // [batch]
    const each = tf.losses.softmaxCrossEntropy(target, output, undefined, undefined, tf.Reduction.NONE); // [batch]
    return tf.div(tf.sum(tf.mul(each, w)), tf.sum(w));
  },
  shown: (output) => tf.softmax(output),
  batchMetric: (dataset, batch, output) => accuracy(batch.y, argmaxRows(output, dataset.outputSize)),
  collector,
  metricsContext: () => ({}),
  settle: (config, dataset) => ({ config, dataset, notes: [] }),
  startWeights: () => ({ notes: [], started: false }),
  checkpointTransforms: (dataset) => dataset.fitted,
  headline: (p, dataset) => {
    const c = p;
    return accuracy(c.labels, argmaxRows(c.probabilities, dataset.outputSize));
  },
  metrics: (p, dataset) => classifyMetrics(p, dataset.fitted.classes),
  predictionTable(p, dataset, split) {
    const { labels, probabilities } = p;
    const classes = dataset.fitted.classes;
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
  plots(metrics, _p, _dataset, _split, name) {
    const r = metrics;
    const spec = confusionSpec(r.classes, r.confusion, {
      title: `${name}: confusion matrix`,
      subtitle: `${r.split} split, ${r.count} sequences`,
    });
    return [{ name: 'confusion', spec }];
  },
  formatMetrics: (r) => formatMetrics(r),
  reportTables: (e) => reportTables(e),
  scoreText: (e) => formatNumber(e.accuracy),
  caption,
  predictor: classifier,
});
