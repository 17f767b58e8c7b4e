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

/**
 * Sets the rate the optimizer's next step takes. Adam and RMSProp read their learningRate field at every step;
 * SGD and momentum keep it as a scalar, which setLearningRate replaces.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  // not `instanceof`: tfjs's optimizer classes answer it by duck typing, so an Adam is "an SGDOptimizer" too
  const sgd = optimizer as unknown as { setLearningRate?: (rate: number) => void; learningRate: number };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(rate);
  else sgd.learningRate = rate;
}
