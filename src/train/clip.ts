// Global gradient-norm clipping, as torch's clip_grad_norm_ and Keras's global_clipnorm do.
import * as tf from '@tensorflow/tfjs';

/** Scales gradients so their global L2 norm is at most `clipNorm` (0 disables); new tensors, the caller disposes the old. */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, clipNorm: number): tf.NamedTensorMap {
  if (clipNorm <= 0) return grads;
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    const norm = tf.sqrt(tf.addN(squares));
    const scale = tf.minimum(1, tf.div(clipNorm, tf.maximum(norm, 1e-12)));
    const out: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(grads)) out[name] = tf.mul(g, scale);
    return out;
  });
}
