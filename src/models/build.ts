// Builds the model a config describes (stacked LSTMs, dropout, dense head), initialised from the run's seed.
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';
import { SeededDropout } from './dropout.js';
import { HandLSTM } from './hand-lstm.js';
import { averageMembers, memberModels } from './ensemble.js';
import { initializeWeights } from './init.js';
import { withLinearSkip } from './linear-skip.js';
import { SequenceMask } from './sequence-mask.js';
import './tfjs-patches.js'; // the builtin LSTM's gradient on length-1 sequences

/**
 * What an exported model puts after its last Dense layer: nothing (a forecaster's scaled y) or a softmax (a
 * classifier's logits become its class probabilities).
 */
export type Head = 'linear' | 'softmax';

export interface ModelShape {
  steps: number; // time steps per example
  features: number; // inputs per step
  outputSize: number; // targets (forecast) or classes (classify)
  masked: boolean; // padded sequences: the model takes a second input, the mask [batch, steps]
}

export interface ModelSummary {
  layers: { name: string; type: string; outputShape: string; params: number }[];
  params: number;
}

/**
 * input x [batch, steps, features] (and, when masked, mask [batch, steps] through SequenceMask)
 *   → LSTM × layers (all but the last return sequences), SeededDropout after each when dropout > 0
 *   → Dense(outputSize), linear: the loss (MSE, or softmax cross-entropy on logits) belongs to the train loop;
 *   with model.linearSkip, + a linear map of the whole input window (withLinearSkip);
 *   with model.ensemble k > 1, k such members (layers named m1_…, m2_…) on the same input, averaged (ensemble.ts).
 * Weights are set by init.ts from `seed` (member j from seed + j), so equal configs and seeds give equal models.
 */
export function buildModel(model: ModelConfig, shape: ModelShape, seed: number): tf.LayersModel {
  const x = tf.input({ shape: [shape.steps, shape.features], name: 'x' });
  const mask = shape.masked ? tf.input({ shape: [shape.steps], name: 'mask' }) : undefined;
  const h0 = mask ? (new SequenceMask({ name: 'sequence_mask' }).apply([x, mask]) as tf.SymbolicTensor) : x;
  const layers: MemberLayers = {
    lstm: (k, returnSequences, prefix) => lstmLayer(model, k, returnSequences, prefix),
    dropout: (k, prefix) => new SeededDropout({ rate: model.dropout, name: `${prefix}dropout_${k}` }),
    headActivation: 'linear',
  };
  const output = averageMembers(model.ensemble, (prefix) => memberOutput(model, shape, [x, h0], prefix, layers));
  const built = tf.model({ inputs: mask ? [x, mask] : x, outputs: output, name: 'lstm_train' });
  // member j is the model seed + j builds alone, so an ensemble's first member is the single model of its seed
  memberModels(built).forEach((m, j) => initializeWeights(m, model.init, seed + j));
  return built;
}

/** The layers a member is made of: ours (training, checkpoints) or tfjs's own (the plain export). */
export interface MemberLayers {
  lstm(k: number, returnSequences: boolean, prefix: string): tf.layers.Layer;
  dropout(k: number, prefix: string): tf.layers.Layer;
  /** linear (logits or scaled targets), or softmax (the export's probabilities) */
  headActivation: 'linear' | 'softmax';
}

/** One member: the LSTM stack from h0, the head, and the skip from x, its layers' names led by `prefix`. */
export function memberOutput(
  model: ModelConfig,
  shape: ModelShape,
  [x, h0]: [tf.SymbolicTensor, tf.SymbolicTensor],
  prefix: string,
  layers: MemberLayers,
): tf.SymbolicTensor {
  let h = h0;
  for (let k = 1; k <= model.layers; k++) {
    h = layers.lstm(k, k < model.layers, prefix).apply(h) as tf.SymbolicTensor; // [batch, (steps,) hidden × D]
    if (model.dropout > 0) h = layers.dropout(k, prefix).apply(h) as tf.SymbolicTensor;
  }
  const activation = layers.headActivation;
  const head = tf.layers.dense({
    units: shape.outputSize,
    activation,
    name: `${prefix}head`,
    kernelInitializer: 'zeros',
  });
  const output = head.apply(h) as tf.SymbolicTensor; // [batch, outputSize]
  // forecast only (a classifier has no skip): the same standard layers in the checkpoint and the export
  return model.linearSkip === true ? withLinearSkip(x, output, shape.outputSize, prefix) : output;
}

/** The k-th LSTM layer (1-based) for the configured implementation; names read "lstm_1", "bi_lstm_1", "hand_lstm_1". */
function lstmLayer(model: ModelConfig, k: number, returnSequences: boolean, prefix: string): tf.layers.Layer {
  const units = model.hiddenSize;
  if (model.impl === 'hand') {
    const name = `${prefix}${model.bidirectional ? 'hand_bi_lstm' : 'hand_lstm'}_${k}`;
    return new HandLSTM({ units, returnSequences, bidirectional: model.bidirectional, kernel: model.kernel, name });
  }
  const lstm = tf.layers.lstm({
    units,
    returnSequences,
    name: `${prefix}lstm_${k}`,
    recurrentActivation: 'sigmoid', // tfjs defaults to hardSigmoid; the equations (and Keras, PyTorch) use σ
    unitForgetBias: false, // the forget bias is part of the seeded init, not a hidden +1
    // init.ts sets the values; zeros keeps tfjs's unseeded (and, for orthogonal, slow and chatty) initialisers out
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
  });
  if (!model.bidirectional) return lstm;
  return tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat', name: `${prefix}bi_lstm_${k}` });
}

/** What to pass to model.apply / predict: x alone, or [x, mask] for a model built with `masked`. */
export function modelInputs(model: tf.LayersModel, x: tf.Tensor, mask?: tf.Tensor): tf.Tensor | tf.Tensor[] {
  const wantsMask = model.inputs.length === 2;
  if (wantsMask !== (mask !== undefined))
    throw new Error(
      `modelInputs: model ${model.name} takes ${wantsMask ? 'x and a mask' : 'x only'}, got ${mask ? 'a mask' : 'no mask'}`,
    );
  return mask === undefined ? x : [x, mask];
}

export function countParams(model: tf.LayersModel): number {
  return model.countParams();
}

/** The model shape a dataset (or a checkpoint's card) calls for. */
export function shapeOf(data: {
  steps: number;
  featureNames: string[];
  outputSize: number;
  masked: boolean;
}): ModelShape {
  return { steps: data.steps, features: data.featureNames.length, outputSize: data.outputSize, masked: data.masked };
}

/** A table of the model for the dry-run summary: one row per layer, inputs included. */
export function describeModel(model: tf.LayersModel): ModelSummary {
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    type: layerType(layer),
    outputShape: formatShape(layer.outputShape),
    params: layer.countParams(),
  }));
  return { layers, params: model.countParams() };
}

function layerType(layer: tf.layers.Layer): string {
  const className = layer.getClassName();
  if (layer instanceof HandLSTM && layer.bidirectional) return 'HandLSTM(bidirectional)';
  if (className === 'Bidirectional') return 'Bidirectional(LSTM)';
  return className;
}

function formatShape(shape: tf.Shape | tf.Shape[]): string {
  const one = (s: tf.Shape) => `[${s.map((d) => (d === null ? 'batch' : String(d))).join(', ')}]`;
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]).map(one).join(', ') : one(shape as tf.Shape);
}
