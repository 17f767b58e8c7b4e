// Builds the optimizer named in the config.
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../config/schema.js';

export function makeOptimizer(train: TrainConfig): tf.Optimizer {
  switch (train.optimizer) {
    case 'adam':
      return tf.train.adam(train.learningRate); // beta1 0.9, beta2 0.999, epsilon 1e-7 (tfjs's defaults)
    case 'sgd':
      return train.momentum > 0
        ? tf.train.momentum(train.learningRate, train.momentum)
        : tf.train.sgd(train.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(train.learningRate);
  }
}
