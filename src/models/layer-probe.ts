// Looks inside a model's LSTM layers: the input each one sees, its per-step outputs, its weights per direction.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from './types.js';

/** The layer classes that hold LSTM weights (kernel, recurrent kernel, bias per direction). */
const LSTM_CLASSES = new Set(['LSTM', 'Bidirectional', 'HandLSTM']);

export function lstmLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => LSTM_CLASSES.has(l.getClassName()));
}

/** The tensor the k-th LSTM layer (0-based) receives for these model inputs, in eval mode. */
export function lstmLayerInput(model: tf.LayersModel, k: number, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor3D {
  const layer = lstmLayers(model)[k];
  const probe = tf.model({ inputs: model.inputs, outputs: layer.input });
  return probe.predict(inputs) as tf.Tensor3D; // [batch, time, features of that layer]
}

/** Per direction: (kernel, recurrent kernel, bias), forward then backward, as every LSTM layer here orders them. */
export function directionWeights(layer: tf.layers.Layer): LstmWeights[] {
  const w = layer.getWeights();
  const out: LstmWeights[] = [];
  for (let k = 0; k < w.length; k += 3)
    out.push({ kernel: w[k] as tf.Tensor2D, recurrentKernel: w[k + 1] as tf.Tensor2D, bias: w[k + 2] as tf.Tensor1D });
  return out;
}

/** The layer's config with returnSequences on (for Bidirectional, on the LSTM it wraps) and a fresh name. */
function sequenceConfig(layer: tf.layers.Layer): tf.serialization.ConfigDict {
  const config: tf.serialization.ConfigDict = { ...layer.getConfig(), name: `${layer.name}_probe` };
  if (layer.getClassName() !== 'Bidirectional') return { ...config, returnSequences: true };
  const inner = config.layer as { className: string; config: tf.serialization.ConfigDict };
  return { ...config, layer: { ...inner, config: { ...inner.config, returnSequences: true } } };
}

/**
 * h_t of every step [batch, time, H × directions], forward time order, computed by a copy of `layer` itself
 * (same class, config and weights, returnSequences on): what the layer computes, not what we think it does.
 */
export function layerSequence(layer: tf.layers.Layer, input: tf.Tensor3D, mask?: tf.Tensor2D): tf.Tensor3D {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[layer.getClassName()];
  if (entry === undefined) throw new Error(`layerSequence: layer class ${layer.getClassName()} is not registered`);
  const [cls, fromConfig] = entry;
  const copy = fromConfig(cls, sequenceConfig(layer)) as unknown as tf.layers.Layer;
  const kwargs = mask ? { mask: tf.greater(mask, 0.5) } : {};
  tf.dispose(copy.apply(input, kwargs) as tf.Tensor); // builds it
  copy.setWeights(layer.getWeights());
  const out = copy.apply(input, kwargs) as tf.Tensor3D;
  copy.dispose();
  if (kwargs.mask) kwargs.mask.dispose();
  return out;
}
