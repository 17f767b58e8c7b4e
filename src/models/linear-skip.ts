// The linear skip beside the LSTM: a Dense map of the flattened input window added to the head's output.
import * as tf from '@tensorflow/tfjs';

/**
 * The linear skip (LSTNet's autoregressive highway): y = head(h) + flatten(x)·W + b, one weight per window input,
 * step ahead and target, so the LSTM need only learn what a linear model of the window cannot. The layer is built
 * at zero; a forecaster's training then sets it to the ridge fit of the training windows (the task's startWeights),
 * so training starts from the linear model. Standard layers only: Flatten, Dense, Add.
 */
export function withLinearSkip(
  x: tf.SymbolicTensor,
  lstmOut: tf.SymbolicTensor,
  outputSize: number,
  prefix = '',
): tf.SymbolicTensor {
  const window = tf.layers.flatten({ name: `${prefix}skip_window` }).apply(x) as tf.SymbolicTensor; // [batch, steps × features]
  const skip = tf.layers.dense({ units: outputSize, name: `${prefix}${LINEAR_SKIP}`, kernelInitializer: 'zeros' });
  const linear = skip.apply(window) as tf.SymbolicTensor; // [batch, outputSize]
  return tf.layers.add({ name: `${prefix}output` }).apply([lstmOut, linear]) as tf.SymbolicTensor; // [batch, outputSize]
}

/** The skip's Dense layer's name (after a member's prefix): the ridge start and the exports find it by it. */
export const LINEAR_SKIP = 'linear_skip';

export const isLinearSkip = (layer: tf.layers.Layer) => /^(m\d+_)?linear_skip$/.test(layer.name);
