// Dropout whose mask comes from a seed the training loop sets per batch, so a run is reproducible.
import * as tf from '@tensorflow/tfjs';
import { memberModels } from './ensemble.js';
import { Rng } from '../util/rng.js';

/**
 * Inverted dropout (kept units scaled by 1/(1-rate)), active only when called with `training: true`.
 * Why not tf.layers.dropout: with a fixed seed it reuses one mask for every batch, and without one it draws from
 * Math.random. Here the mask is drawn from our Rng seeded by `seed`, which `setDropoutSeed` changes per batch:
 * the same seed gives the same mask on every backend.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly rate: number;
  /** The seed of the next mask; set per batch through `setDropoutSeed`. */
  seed: number;

  constructor(args: { rate: number; seed?: number; name?: string; trainable?: boolean }) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`SeededDropout: expected 0 ≤ rate < 1, got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed ?? 0;
    this.supportsMasking = true; // passes the Keras mask through unchanged
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs?.training !== true || this.rate === 0) return tf.clone(x);
    return tf.tidy(() => tf.mul(x, dropoutMask(x.shape, this.rate, this.seed)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

/** Keep-mask scaled by 1/(1-rate): each element is 0 with probability `rate`, else 1/(1-rate). */
export function dropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const keep = 1 / (1 - rate);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.next() < rate ? 0 : keep;
  return tf.tensor(values, shape);
}

/**
 * Seeds every SeededDropout layer of `model` for the next batch: each layer gets its own seed drawn from `seed`,
 * so two dropout layers never share a mask. Call once per training batch (e.g. with the batch's Rng.int()).
 */
export function setDropoutSeed(model: tf.LayersModel, seed: number, members = memberModels(model)): void {
  // each member of an ensemble draws its layers' seeds as the model alone would, so it trains as if alone
  for (const member of members) {
    const rng = new Rng(seed);
    for (const layer of member.layers) if (layer instanceof SeededDropout) layer.seed = rng.int();
  }
}
