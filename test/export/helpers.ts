// Shared by the export tests: tiny models of every kind built through the library, and inputs for them.
import * as tf from '@tensorflow/tfjs';
import { modelSchema, type ModelConfig, type TaskName } from '../../src/config/schema.js';
import { buildModel, type ModelShape } from '../../src/models/build.js';
import { isLinearSkip } from '../../src/models/linear-skip.js';
import { Rng } from '../../src/util/rng.js';

export interface ModelCase {
  name: string;
  task: TaskName;
  model: ModelConfig;
  shape: ModelShape;
}

const make = (task: TaskName, model: Partial<ModelConfig>, masked = false): ModelCase => {
  const config = modelSchema.parse({ hiddenSize: 5, ...model });
  const kind = `${config.impl} ${config.bidirectional ? 'bi' : 'uni'} ${config.layers} layer${config.layers > 1 ? 's' : ''}`;
  const skip = `${config.linearSkip === true ? ' linear skip' : ''}${config.ensemble > 1 ? ` ensemble ${config.ensemble}` : ''}`;
  return {
    name: `${kind} ${task}${masked ? ' masked' : ''}${config.dropout > 0 ? ' dropout' : ''}${skip}`,
    task,
    model: config,
    shape: { steps: 7, features: 3, outputSize: task === 'forecast' ? 4 : 3, masked },
  };
};

/** builtin and hand, uni and bi, 1 and 2 layers, forecast and classify, masked (padded) sequences of both kinds. */
export const CASES: ModelCase[] = [
  make('forecast', { impl: 'builtin' }),
  make('forecast', { impl: 'builtin', layers: 2, dropout: 0.1 }),
  make('forecast', { impl: 'hand', bidirectional: true, layers: 2 }),
  make('forecast', { impl: 'hand', bidirectional: true }),
  make('forecast', { impl: 'builtin', linearSkip: true }),
  make('forecast', { impl: 'hand', bidirectional: true, layers: 2, linearSkip: true }),
  make('classify', { impl: 'builtin', bidirectional: true }),
  make('classify', { impl: 'hand', layers: 2, dropout: 0.2 }),
  make('classify', { impl: 'builtin', bidirectional: true, layers: 2 }, true),
  make('classify', { impl: 'hand' }, true),
  make('classify', { impl: 'hand', bidirectional: true, kernel: 'reference' }, true),
  make('forecast', { impl: 'hand', layers: 2, linearSkip: true, ensemble: 2 }),
  make('classify', { impl: 'builtin', bidirectional: true, ensemble: 3 }, true),
];

/** The case's model; a linear skip (each member's), which starts at zero, gets random weights so that it counts in every output. */
export function buildCase(c: ModelCase, seed = 3): tf.LayersModel {
  const model = buildModel(c.model, c.shape, seed);
  for (const [j, skip] of model.layers.filter(isLinearSkip).entries()) {
    const rng = new Rng(seed + 1 + j);
    const values = skip.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from(w.dataSync(), () => 0.3 * rng.normal()),
        w.shape,
      ),
    );
    skip.setWeights(values);
    tf.dispose(values);
  }
  return model;
}

/** Trailing-padded lengths per example: full, shorter, a single step. */
export const LENGTHS = [7, 4, 1, 6, 7];

/** x [batch, steps, features] ~ N(0, 1) from our Rng (padded steps 0), and the mask when the case is masked. */
export function caseInputs(c: ModelCase, seed = 11): { x: Float32Array; mask?: Float32Array; batch: number } {
  const rng = new Rng(seed);
  const { steps, features } = c.shape;
  const batch = LENGTHS.length;
  const x = Float32Array.from({ length: batch * steps * features }, () => rng.normal());
  if (!c.shape.masked) return { x, batch };
  const mask = new Float32Array(batch * steps);
  LENGTHS.forEach((len, b) => {
    mask.fill(1, b * steps, b * steps + len);
    x.fill(0, (b * steps + len) * features, (b + 1) * steps * features);
  });
  return { x, mask, batch };
}

/** What the checkpoint's model says on the inputs: outputs, as softmax probabilities for a classifier. */
export function referenceOutputs(
  model: tf.LayersModel,
  c: ModelCase,
  inputs: ReturnType<typeof caseInputs>,
): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(inputs.x, [inputs.batch, c.shape.steps, c.shape.features]);
    const given = inputs.mask ? [x, tf.tensor2d(inputs.mask, [inputs.batch, c.shape.steps])] : x;
    const out = model.predict(given) as tf.Tensor;
    return (c.task === 'classify' ? tf.softmax(out) : out).dataSync() as Float32Array;
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
