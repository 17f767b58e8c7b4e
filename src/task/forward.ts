// A model's forward pass as lstm-predict makes it: a batch in, the head's raw outputs out, from tfjs or elsewhere.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types.js';
import { batchInputs } from './batch.js';

/**
 * A batch → the head's raw outputs [batch, outputSize], row-major: a forecaster's scaled targets (levels not yet
 * restored), a classifier's logits. Async, as ONNX Runtime's session.run is.
 */
export type Forward = (batch: Batch) => Promise<Float32Array>;

/** tfjs's forward pass of `model`, in eval mode. */
export function tfjsForward(model: tf.LayersModel): Forward {
  return (batch) =>
    Promise.resolve(
      tf.tidy(() => (model.apply(batchInputs(batch), { training: false }) as tf.Tensor).dataSync() as Float32Array),
    );
}
