// The parity check: builtin and hand LSTMs built from identical weights must compute the same function.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config/schema.js';
import type { Batch, Dataset } from '../data/types.js';
import { buildModel, modelInputs, shapeOf } from '../models/build.js';
import { batchInputs } from '../task/batch.js';
import { taskOf, type Task } from '../task/index.js';
import { describeDiagnosis, diagnose, maxAbs, type Candidate, type Diagnosis } from './diagnose.js';
import { variantModel, type Variant } from './variants.js';

/** float32 tolerances: outputs, and loss gradients w.r.t. every weight and the input. */
export const FORWARD_TOL = 1e-5;
export const GRADIENT_TOL = 1e-4;
/** Examples in the parity batch: enough to be a real batch, few enough to step through quickly. */
export const PARITY_BATCH = 16;

export interface ParityResult {
  /** e.g. "builtin ↔ hand" or "hand-bi: reference ↔ fused kernel" */
  pair: string;
  reference: string;
  candidate: string;
  forwardMaxDiff: number;
  gradientMaxDiff: number;
  /** the weight (reference model's name) or "input" with the largest gradient difference */
  worstGradient: string;
  pass: boolean;
  /** when it fails: where the layers depart from the equations and why */
  diagnosis: Diagnosis[];
  /** the diagnosis in words */
  explanation?: string;
}

/** Outputs and loss gradients (every trainable weight, then the input x) in eval mode. */
function outputAndGrads(model: tf.LayersModel, batch: Batch, task: Task, outputSize: number) {
  return tf.tidy(() => {
    const inputs = batchInputs(batch);
    const [x0, mask] = Array.isArray(inputs) ? inputs : [inputs, undefined];
    const x = tf.variable(x0, true, `parity_x_${model.id}`);
    const y = task.targetTensor(batch, outputSize);
    const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), x];
    let output: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      output = tf.keep(model.apply(modelInputs(model, x, mask), { training: false }) as tf.Tensor);
      return task.loss(output as tf.Tensor2D, y);
    }, vars);
    value.dispose();
    const names = [...model.trainableWeights.map((w) => w.originalName), 'input'];
    const gradients = vars.map((v) => grads[v.name]);
    x.dispose();
    return { output: output!, gradients, names };
  });
}

/**
 * Runs one batch through both models (the caller has given them identical weights) and compares outputs and
 * gradients; on failure, diagnoses the first LSTM layer where either departs from the equations.
 */
export function compareModels(
  reference: Candidate,
  candidate: Candidate,
  batch: Batch,
  dataset: Pick<Dataset, 'task' | 'outputSize'>,
): ParityResult {
  const task = taskOf(dataset.task);
  const a = outputAndGrads(reference.model, batch, task, dataset.outputSize);
  const b = outputAndGrads(candidate.model, batch, task, dataset.outputSize);
  const forwardMaxDiff = maxAbs(a.output, b.output);
  const gradDiffs = a.gradients.map((g, k) => maxAbs(g, b.gradients[k]));
  const worst = gradDiffs.indexOf(Math.max(...gradDiffs));
  tf.dispose([a.output, b.output, ...a.gradients, ...b.gradients]);
  const pass = forwardMaxDiff <= FORWARD_TOL && gradDiffs[worst] <= GRADIENT_TOL;
  const result: ParityResult = {
    pair: `${reference.name} ↔ ${candidate.name}`,
    reference: reference.name,
    candidate: candidate.name,
    forwardMaxDiff,
    gradientMaxDiff: gradDiffs[worst],
    worstGradient: a.names[worst],
    pass,
    diagnosis: [],
  };
  if (pass) return result;
  const inputs = batchInputs(batch);
  const mask = Array.isArray(inputs) ? (inputs[1] as tf.Tensor2D) : undefined;
  result.diagnosis = diagnose([reference, candidate], inputs, mask, FORWARD_TOL);
  tf.dispose(inputs);
  result.explanation =
    result.diagnosis.length > 0
      ? result.diagnosis.map(describeDiagnosis).join('; ')
      : forwardMaxDiff <= FORWARD_TOL
        ? `the outputs agree but the gradients do not (worst: ${result.worstGradient}): the backward pass (a custom gradient) is at fault`
        : 'every LSTM layer agrees with the equations: the difference arises after them (dropout or the dense head)';
  return result;
}

/** The first PARITY_BATCH training examples: a real batch of the config's data. */
export function parityBatch(dataset: Dataset): Batch {
  const n = Math.min(PARITY_BATCH, dataset.splits.train.size);
  return dataset.splits.train.batch(Array.from({ length: n }, (_, i) => i));
}

/**
 * Every pair the comparison relies on, built with the config's layers, hidden size and masking: builtin ↔ hand
 * (reference kernel), uni and bi; then hand reference ↔ hand fused kernel, uni and bi.
 */
export function checkParity(config: Config, dataset: Dataset): ParityResult[] {
  const batch = parityBatch(dataset);
  const build = (v: Variant, kernel: 'reference' | 'fused') =>
    buildModel({ ...variantModel(config.model, v), kernel }, shapeOf(dataset), config.seed);
  const pairs: [Candidate, Candidate][] = (['', '-bi'] as const).map((suffix) => [
    { name: `builtin${suffix}`, model: build(`builtin${suffix}`, 'reference') },
    { name: `hand${suffix}`, model: build(`hand${suffix}`, 'reference') },
  ]);
  for (const suffix of ['', '-bi'] as const)
    pairs.push([
      { name: `hand${suffix} (reference kernel)`, model: build(`hand${suffix}`, 'reference') },
      { name: `hand${suffix} (fused kernel)`, model: build(`hand${suffix}`, 'fused') },
    ]);
  return pairs.map(([a, b]) => {
    const weights = a.model.getWeights();
    b.model.setWeights(weights); // copied: the same layout, so this is exact
    const result = compareModels(a, b, batch, dataset);
    a.model.dispose();
    b.model.dispose();
    return result;
  });
}
