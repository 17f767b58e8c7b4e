// A new forecaster's linear skip starts where a ridge regression of the training windows ends (shrunk towards the
// map of the window that fits them best: smoothing, or a peer's model run on the window), not at zero.
import * as tf from '@tensorflow/tfjs';
import type { ForecastDataset } from '../../data/types.js';
import { memberLayer, memberModels } from '../../models/ensemble.js';
import { LINEAR_SKIP } from '../../models/linear-skip.js';
import type { LayerAnchor } from '../../models/anchor.js';
import type { OnProgress } from '../../util/progress.js';
import type { Config } from '../../config/schema.js';
import { hasSmoothingPrior } from '../linear-skip.js';
import { fitRidge } from './linear.js';

const startNote = ({ about, how, itself }: { about: string; how: string; itself: boolean }) =>
  itself
    ? `the linear skip starts at ${about} ${how}, and is held there while the LSTM trains`
    : `the linear skip starts at a ridge of the training windows shrunk towards ${about}, ${how}; training keeps that penalty`;

/**
 * Sets the skip's kernel [window × features, outputs] and bias [outputs] to the ridge fit of the model's own
 * (window-levelled) train windows, shrunk towards a map of the window (model.skipStart; fitRidge says how its
 * penalty is chosen): training then starts from the linear model and the LSTM learns what it misses (the head
 * starts at zero, so the new model is that linear model); every member of an ensemble alike. A model without a skip is left alone; a fit that cannot be made leaves it at zero. The anchor holds
 * the skip towards the prior with the same penalty while training (`keepWeights`: only the anchor, for a resumed run).
 */
export function startLinearSkip(
  model: tf.LayersModel,
  dataset: ForecastDataset,
  config: Config,
  onProgress?: OnProgress,
  o: { keepWeights?: boolean } = {},
): { notes: string[]; started: boolean; anchor?: LayerAnchor } {
  const members = memberModels(model);
  if (memberLayer(members[0], LINEAR_SKIP) === undefined) return { notes: [], started: false };
  const fit = fitRidge(dataset, 'levelled', { onProgress, prior: hasSmoothingPrior(config, dataset) });
  if ('skipped' in fit)
    return { notes: [`the linear skip starts at zero: no ridge fit (${fit.skipped})`], started: false };
  const { w, d, m } = fit;
  const kernelAndBias = (v: Float32Array) => [v.subarray(0, (d - 1) * m), v.subarray((d - 1) * m)]; // [d − 1, m], [m]
  // training keeps the penalty towards the prior that the start was fitted with (held fast when it is the prior)
  const anchor = fit.anchor && {
    layer: LINEAR_SKIP,
    weights: kernelAndBias(fit.anchor.w),
    strength: fit.anchor.strength,
  };
  if (o.keepWeights) return { notes: [], started: false, anchor };
  const [kernel, bias] = kernelAndBias(w);
  const weights = [tf.tensor2d(kernel, [d - 1, m]), tf.tensor1d(bias)];
  for (const member of members) {
    memberLayer(member, LINEAR_SKIP)!.setWeights(weights);
    // the head starts at zero too, so the new model is the linear model exactly; its first steps give it weights
    const head = memberLayer(member, 'head')!;
    const zeros = head.getWeights().map((h) => tf.zerosLike(h));
    head.setWeights(zeros);
    tf.dispose(zeros);
  }
  tf.dispose(weights);
  return { notes: fit.prior ? [startNote(fit.prior)] : [], started: true, ...(anchor ? { anchor } : {}) };
}
