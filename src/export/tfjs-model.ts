// The checkpoint's model rebuilt from tfjs's own layers only, so plain @tensorflow/tfjs (and Keras) can load it.
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';
import { memberOutput, type Head, type MemberLayers, type ModelShape } from '../models/build.js';
import { averageMembers, memberModels } from '../models/ensemble.js';

/**
 * input x [batch, steps, features] (and, when masked, mask [batch, steps]: 1 = real step, 0 = padding)
 *   → masked only: x·mask ‖ mask → Masking(0)
 *   → LSTM (recurrentActivation sigmoid) or Bidirectional(LSTM, concat) × layers, Dropout(rate) after each
 *   → Dense(outputSize), with softmax for a classifier (the checkpoint's head gives logits; users want probabilities),
 *   plus the linear skip's Flatten → Dense → Add when the model has one (the same standard layers as the checkpoint);
 *   an ensemble's members averaged (Average), a classifier's softmax then after the average.
 *
 * How the mask travels: our model's SequenceMask layer is ours, so the export turns the explicit mask into the
 * Keras mask that tfjs's Masking layer makes. Masking drops a step whose features all equal its mask value, which
 * could drop a real step whose scaled features are all 0; so the mask itself goes in as one more feature: a real
 * step then has a 1 among its features and is never masked, a padded one is all zeros (x·mask ‖ 0). The first
 * LSTM's kernel gets a zero row for that feature, so it adds exactly 0 to every gate.
 *
 * The hand model (HandLSTM, SeededDropout) has the builtin weight layout, so the same tfjs model serves both.
 */
export function plainModel(source: tf.LayersModel, model: ModelConfig, shape: ModelShape, head: Head): tf.LayersModel {
  const x = tf.input({ shape: [shape.steps, shape.features], name: 'x' });
  const mask = shape.masked ? tf.input({ shape: [shape.steps], name: 'mask' }) : undefined;
  const h0 = mask ? maskedInput(x, mask, shape.steps) : x;
  const size = model.ensemble;
  // a classifier's softmax follows the members' average (of logits, as the checkpoint averages them)
  const softmaxHead = head === 'softmax' && size === 1;
  const layers: MemberLayers = {
    lstm: (k, returnSequences, prefix) => lstmLayer(model, k, returnSequences, prefix),
    dropout: (k, prefix) => tf.layers.dropout({ rate: model.dropout, name: `${prefix}dropout_${k}` }),
    headActivation: softmaxHead ? 'softmax' : 'linear',
  };
  let output = averageMembers(size, (prefix) => memberOutput(model, shape, [x, h0], prefix, layers));
  if (head === 'softmax' && size > 1)
    output = tf.layers.activation({ activation: 'softmax', name: 'probabilities' }).apply(output) as tf.SymbolicTensor;
  const plain = tf.model({ inputs: mask ? [x, mask] : x, outputs: output, name: 'lstm_train_export' });
  const targets = memberModels(plain);
  memberModels(source).forEach((m, j) => copyWeights(m, targets[j], shape.masked));
  return plain;
}

/** x·mask ‖ mask, masked where the mask is 0: [batch, steps, features + 1] with its Keras mask. */
function maskedInput(x: tf.SymbolicTensor, mask: tf.SymbolicTensor, steps: number): tf.SymbolicTensor {
  const perStep = tf.layers.reshape({ targetShape: [steps, 1], name: 'mask_steps' }).apply(mask) as tf.SymbolicTensor;
  const kept = tf.layers.multiply({ name: 'masked_x' }).apply([x, perStep]) as tf.SymbolicTensor;
  const flagged = tf.layers.concatenate({ name: 'x_and_mask' }).apply([kept, perStep]) as tf.SymbolicTensor;
  return tf.layers.masking({ maskValue: 0, name: 'masking' }).apply(flagged) as tf.SymbolicTensor;
}

/** As src/models/build.ts builds the builtin layer: the same names, so weights keep their "lstm_1/…" paths. */
function lstmLayer(model: ModelConfig, k: number, returnSequences: boolean, prefix: string): tf.layers.Layer {
  const lstm = tf.layers.lstm({
    units: model.hiddenSize,
    returnSequences,
    name: `${prefix}lstm_${k}`,
    recurrentActivation: 'sigmoid', // tfjs's default is hardSigmoid; the model was trained with σ
    unitForgetBias: false,
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
  });
  return model.bidirectional
    ? tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat', name: `${prefix}bi_lstm_${k}` })
    : lstm;
}

/**
 * Layer by layer, one member's weights into its plain copy (both list per direction kernel, recurrent kernel,
 * bias, forward before backward). With a mask feature, the first LSTM's kernels [features, 4H] get a zero row.
 */
function copyWeights(source: tf.LayersModel, plain: tf.LayersModel, masked: boolean): void {
  const from = source.layers.filter((l) => l.weights.length > 0);
  const to = plain.layers.filter((l) => l.weights.length > 0);
  if (from.length !== to.length)
    throw new Error(`plainModel: the checkpoint has ${from.length} layers with weights, the export ${to.length}`);
  from.forEach((layer, i) => {
    const weights = layer.getWeights(); // the source's own variables: read, never disposed here
    const padded = tf.tidy(() =>
      weights.map((w, j) => (masked && i === 0 && j % 3 === 0 ? tf.concat([w, tf.zeros([1, w.shape[1]!])], 0) : w)),
    );
    to[i].setWeights(padded);
    for (const w of padded) if (!weights.includes(w)) w.dispose();
  });
}
