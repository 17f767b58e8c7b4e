// Loss and the headline metric of a model on the train, val and test splits (eval mode).
import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.js';
import { taskOf } from './index.js';
import { predictSplit } from './predict-split.js';
import type { Predictions } from './types.js';

export interface Score {
  loss: number;
  /** the task's headline metric: MAE in original units (forecast) or accuracy (classify) */
  metric: number;
  count: number;
}
export type SplitScores = Record<'train' | 'val' | 'test', Score>;

/** `known`: splits already predicted with this model (not predicted again); `withheld`: splits left unscored. */
export function evaluateSplits(
  model: tf.LayersModel,
  dataset: Dataset,
  batchSize: number,
  known: Partial<Record<'train' | 'val' | 'test', Predictions>> = {},
  withheld: readonly ('train' | 'val' | 'test')[] = [],
): SplitScores {
  const task = taskOf(dataset.task);
  const score = (name: 'train' | 'val' | 'test'): Score => {
    const split = dataset.splits[name];
    if (split.size === 0 || withheld.includes(name)) return { loss: NaN, metric: NaN, count: 0 };
    const p = known[name] ?? predictSplit(model, dataset, split, batchSize);
    return { loss: p.loss, metric: task.headline(p, dataset), count: p.count };
  };
  return { train: score('train'), val: score('val'), test: score('test') };
}
