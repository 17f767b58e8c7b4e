// A layer held near given weights while the rest of the model trains (L2-SP, Li et al. 2018): strength × ‖W − W₀‖²
// joins the loss, so a layer started at a penalised fit keeps the penalty it was fitted with; an infinite strength
// keeps the layer as it is (its weights are not trained at all).
import * as tf from '@tensorflow/tfjs';
import { memberLayer, memberModels } from './ensemble.js';

/** The layer (by its member name, in every member), the weights it is held to (its own order) and how strongly. */
export interface LayerAnchor {
  layer: string;
  weights: Float32Array[];
  /** per element of the loss's mean: the penalty of one unit of squared distance */
  strength: number;
}

/** What a training step needs of an anchor: the variables it holds back and what pulls them, or those it freezes. */
export interface AnchorTerms {
  /** the anchored layer's variables, by name */
  names: Set<string>;
  /** an infinite strength: those variables are not trained */
  frozen: boolean;
  /** each anchored variable and its anchor weights */
  pairs: [tf.Variable, tf.Tensor][];
  strength: number;
  dispose(): void;
}

export function anchorTerms(model: tf.LayersModel, anchor: LayerAnchor): AnchorTerms {
  const variables = memberModels(model).flatMap((member) =>
    (memberLayer(member, anchor.layer)?.trainableWeights ?? []).map((w) => w.read() as tf.Variable),
  );
  const frozen = !Number.isFinite(anchor.strength);
  const targets = frozen ? [] : variables.map((v, i) => tf.tensor(anchor.weights[i % anchor.weights.length], v.shape));
  return {
    names: new Set(variables.map((v) => v.name)),
    frozen,
    pairs: targets.map((t, i) => [variables[i], t]),
    strength: anchor.strength,
    dispose: () => tf.dispose(targets),
  };
}

/** strength × Σ ‖W − W₀‖² over the anchored variables (a scalar to add to the loss). */
export const anchorPenalty = (t: AnchorTerms): tf.Scalar =>
  tf.mul(tf.addN(t.pairs.map(([v, w0]) => tf.sum(tf.square(tf.sub(v, w0))))), t.strength);
