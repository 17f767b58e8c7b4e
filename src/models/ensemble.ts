// A seed ensemble as one model: k members side by side on the same inputs, their outputs averaged.
import * as tf from '@tensorflow/tfjs';

/** The Average layer that joins the members; a model without it is a single model (k = 1). */
export const ENSEMBLE = 'ensemble';

/** Member j's (0-based) layer-name prefix: "" for a single model, so its names (and old checkpoints) are unchanged. */
export function memberPrefix(j: number, k: number): string {
  return k === 1 ? '' : `m${j + 1}_`;
}

/**
 * y = (member₁(x) + … + member_k(x)) / k, each member built by `member(prefix)`; k = 1 is that member alone.
 * Standard layers only (Average), so the plain tfjs export and Keras read it.
 */
export function averageMembers(k: number, member: (prefix: string) => tf.SymbolicTensor): tf.SymbolicTensor {
  const outputs = Array.from({ length: k }, (_, j) => member(memberPrefix(j, k))); // k × [batch, outputSize]
  if (k === 1) return outputs[0];
  return tf.layers.average({ name: ENSEMBLE }).apply(outputs) as tf.SymbolicTensor; // [batch, outputSize]
}

/** A member's layer by its name without the member prefix ("head", "linear_skip"); undefined when it has none. */
export function memberLayer(member: tf.LayersModel, name: string): tf.layers.Layer | undefined {
  return member.layers.find((l) => l.name === name || new RegExp(`^m\\d+_${name}$`).test(l.name));
}

function ensembleLayer(model: tf.LayersModel): tf.layers.Layer | undefined {
  return model.layers.find((l) => l.name === ENSEMBLE);
}

/** The members' own outputs, [batch, outputSize] each: the model's output for a single model. */
export function memberOutputs(model: tf.LayersModel): tf.SymbolicTensor[] {
  const joined = ensembleLayer(model);
  if (joined === undefined) return [model.outputs[0]];
  return joined.input as tf.SymbolicTensor[];
}

export function ensembleSize(model: tf.LayersModel): number {
  return memberOutputs(model).length;
}

/**
 * Each member as a model of its own, sharing the ensemble's layers and weights (setting one sets the other); the
 * model itself when it is a single one. Layer order within a member is the same in every model built alike.
 */
export function memberModels(model: tf.LayersModel): tf.LayersModel[] {
  if (ensembleLayer(model) === undefined) return [model];
  return memberOutputs(model).map((output, j) =>
    tf.model({ inputs: model.inputs, outputs: output, name: `member_${j + 1}` }),
  );
}

/**
 * What a training step differentiates: every member's output at once (one model with k outputs), and which
 * variables belong to which member, so each member's gradients are clipped by its own norm, as if trained alone.
 */
export interface TrainingView {
  view: tf.LayersModel;
  /** per member, the names of its trainable variables */
  groups: string[][];
}

export function trainingView(model: tf.LayersModel, members = memberModels(model)): TrainingView {
  const groups = members.map((m) => m.trainableWeights.map((w) => (w.read() as tf.Variable).name));
  if (members.length === 1) return { view: model, groups };
  return { view: tf.model({ inputs: model.inputs, outputs: memberOutputs(model), name: 'members' }), groups };
}
