// A model (or a forward pass) over a split, with the dataset's own task: the loss and the predictions in original units.
import type * as tf from '@tensorflow/tfjs';
import type { Dataset, SplitData } from '../data/types.js';
import { taskOf } from './index.js';
import type { Forward } from './forward.js';
import { runForward, runModel } from './run-model.js';
import type { Predictions } from './types.js';

export function predictSplit(
  model: tf.LayersModel,
  dataset: Dataset,
  split: SplitData,
  batchSize: number,
): Predictions {
  return runModel(taskOf(dataset.task), model, dataset, split, batchSize);
}

/** predictSplit with the forward pass given (lstm-predict: tfjs's, or ONNX Runtime's). */
export function predictSplitWith(
  forward: Forward,
  dataset: Dataset,
  split: SplitData,
  batchSize: number,
): Promise<Predictions> {
  return runForward(taskOf(dataset.task), forward, dataset, split, batchSize);
}
