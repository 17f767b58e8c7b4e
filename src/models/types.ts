// The contracts between the LSTM layers and the kernels that compute a whole sequence.
import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';

/**
 * One LSTM's weights, in the layout shared by tfjs, Keras and (with the two biases summed) PyTorch:
 * gate order i, f, g, o along the last axis.
 */
export type LstmWeights = {
  kernel: tf.Tensor2D; // [inputSize, 4*hidden]   (U_i | U_f | U_g | U_o)
  recurrentKernel: tf.Tensor2D; // [hidden, 4*hidden]  (V_i | V_f | V_g | V_o)
  bias: tf.Tensor1D; // [4*hidden]                 (b_i | b_f | b_g | b_o)
};

// Type aliases rather than interfaces so that tf.tidy can return them (its TensorContainer needs an index signature).
export type LstmResult = {
  outputs: tf.Tensor3D; // [batch, time, hidden]: h_t for every step
  h: tf.Tensor2D; // [batch, hidden]: the last h
  c: tf.Tensor2D; // [batch, hidden]: the last c
};

/**
 * Runs an LSTM over a whole sequence from zero initial state. `mask` [batch, time] is 1 for real steps and 0
 * for padding; at a padded step the state and the output carry over unchanged (as Keras and tfjs do).
 * Implementations: `lstmReference` (step by step from the equations) and `lstmFused` (the fast kernel).
 */
export type LstmSequenceFn = (x: tf.Tensor3D, weights: LstmWeights, mask?: tf.Tensor2D) => LstmResult;

export type KernelName = ModelConfig['kernel'];
