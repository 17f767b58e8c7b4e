// Turns the model's explicit mask input into a Keras mask that the LSTM layers after it consume.
import * as tf from '@tensorflow/tfjs';

/**
 * Inputs `[x, mask]` (x [batch, time, features]; mask [batch, time], 1 = real step, 0 = padding); output x,
 * with `mask` attached as the Keras mask that tfjs hands to the next layers' `call` (kwargs.mask).
 *
 * Why not tf.layers.masking({ maskValue: 0 }): it infers padding from all-zero feature vectors, and after
 * scaling a real step can be all zeros (minmax maps a column's minimum to 0; zscore its mean), which would
 * silently drop real steps. An explicit mask cannot be confused with data.
 */
export class SequenceMask extends tf.layers.Layer {
  static className = 'SequenceMask';

  constructor(args: { name?: string; trainable?: boolean } = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x] = expectPair(inputs);
    // A new tensor, not x itself: tfjs attaches the output mask to the output, which must not be the caller's x.
    return tf.clone(x);
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [, mask] = expectPair(inputs);
    return tf.greater(mask, 0.5); // [batch, time] bool, as Keras masks are; a new tensor that tfjs disposes
  }
}
tf.serialization.registerClass(SequenceMask);

function expectPair(inputs: tf.Tensor | tf.Tensor[]): [tf.Tensor, tf.Tensor] {
  if (!Array.isArray(inputs) || inputs.length !== 2)
    throw new Error(
      `SequenceMask: expected inputs [x, mask], got ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`,
    );
  return [inputs[0], inputs[1]];
}
