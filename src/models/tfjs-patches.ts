// Fixes to tfjs 4.22 that the LSTMs need, applied once when this module is first imported.
import * as tf from '@tensorflow/tfjs';

/**
 * Porting Note: tfjs hands a gradient function a bare `dy` when a kernel has exactly one output, but the
 * gradients of Unpack (`unstack`) and SplitV (`split`) always call stack/concat on it as on an array, so
 * `unstack` or `split` into one piece cannot be differentiated: "Argument tensors passed to stack must be a
 * `Tensor[]`". tfjs's own rnn() unstacks the time axis, so the builtin LSTM fails to train on sequences of
 * length 1 (window 1), and so would our reference kernel. These registrations are the stock gradients with
 * the single-output case handled.
 */
function patchSingleOutputGradients(): void {
  const list = (dy: tf.Tensor | tf.Tensor[]) => (Array.isArray(dy) ? dy : [dy]);
  tf.registerGradient({
    kernelName: 'Unpack',
    gradFunc: (dy, _saved, attrs) => ({ value: () => tf.stack(list(dy), (attrs as unknown as { axis: number }).axis) }),
  });
  tf.registerGradient({
    kernelName: 'SplitV',
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(list(dy), (attrs as unknown as { axis: number }).axis) }),
  });
}

patchSingleOutputGradients();
