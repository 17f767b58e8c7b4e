// The forward passes lstm-predict makes for its output: tfjs's, or ONNX Runtime's on the model as an ONNX graph.
import type * as tf from '@tensorflow/tfjs';
import type * as Ort from 'onnxruntime-node';
import type { ModelCard } from '../checkpoint/model-card.js';
import type { Dataset } from '../data/types.js';
import { UsageError } from '../errors.js';
import { onnxModel } from '../models/onnx-graph.js';
import { cardShape } from '../task/dataset.js';
import { taskOf } from '../task/index.js';
import { tfjsForward, type Forward } from '../task/forward.js';

export const RUNTIMES = ['tfjs', 'onnx'] as const;
export type Runtime = (typeof RUNTIMES)[number];

const ORT = 'onnxruntime-node';

/**
 * onnxruntime-node, an optional dependency, imported only when --runtime onnx asks for it. `specifier` is for tests
 * (a package that is not there).
 */
export async function loadOnnxRuntime(specifier = ORT): Promise<typeof Ort> {
  try {
    return (await import(specifier)) as typeof Ort;
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(e).includes(specifier);
    const problem = missing
      ? `${ORT} is not installed (npm install ${ORT})`
      : `${ORT} could not be loaded: ${(e as Error).message}`;
    throw new UsageError(`--runtime onnx: ${problem}`, 'or predict with --runtime tfjs');
  }
}

/** The model as an in-memory ONNX graph (the head's raw outputs: no Softmax), in an ONNX Runtime session. */
async function onnxSession(ort: typeof Ort, model: tf.LayersModel, card: ModelCard, data: Dataset) {
  const shape = cardShape(card, data.featureNames.length);
  let bytes: Uint8Array;
  try {
    bytes = onnxModel(model, card.config.model, shape, taskOf(data.task).head, {}, { rawHead: true });
  } catch (e) {
    throw new UsageError(
      `--runtime onnx: this model cannot be written as an ONNX graph: ${(e as Error).message}`,
      'predict with --runtime tfjs',
    );
  }
  return { session: await ort.InferenceSession.create(bytes), shape };
}

/** An ONNX Runtime session as a model runner: x [batch, steps, features] (and mask [batch, steps]) to flat outputs. */
export function onnxRunner(ort: typeof Ort, session: Ort.InferenceSession) {
  return async (x: Float32Array, mask: Float32Array | undefined, [batch, steps, features]: number[]) => {
    const feeds: Record<string, Ort.Tensor> = { x: new ort.Tensor('float32', x, [batch, steps, features]) };
    if (mask) feeds.mask = new ort.Tensor('float32', mask, [batch, steps]);
    const out = await session.run(feeds);
    return out[session.outputNames[0]].data as Float32Array;
  };
}

/** `work` run with the forward pass `runtime` names; an ONNX Runtime session is released after it. */
export async function withForward<T>(
  runtime: Runtime,
  model: tf.LayersModel,
  card: ModelCard,
  data: Dataset,
  work: (forward: Forward) => Promise<T>,
): Promise<T> {
  if (runtime === 'tfjs') return work(tfjsForward(model));
  const ort = await loadOnnxRuntime();
  const { session, shape } = await onnxSession(ort, model, card, data);
  const run = onnxRunner(ort, session);
  const forward: Forward = (batch) => {
    if (shape.masked && !batch.mask) throw new Error('withForward: a masked model was handed a batch without a mask');
    return run(batch.x, shape.masked ? batch.mask : undefined, [batch.batchSize, batch.steps, batch.features]);
  };
  try {
    return await work(forward);
  } finally {
    await session.release();
  }
}
