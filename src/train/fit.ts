// The training loop: each epoch trains in train mode (dropout on), then evaluates val in eval mode (dropout off).
import * as tf from '@tensorflow/tfjs';
import type { Dataset, FittedTransforms } from '../data/types.js';
import type { TrainConfig } from '../config/schema.js';
import { TrainingError } from '../errors.js';
import { anchorTerms, type AnchorTerms, type LayerAnchor } from '../models/anchor.js';
import { setDropoutSeed } from '../models/dropout.js';
import { memberModels, trainingView } from '../models/ensemble.js';
import { taskOf } from '../task/index.js';
import { predictSplit } from '../task/predict-split.js';
import { Rng } from '../util/rng.js';
import {
  addBatch,
  afterEpoch,
  batchesOf,
  shouldStopEarly,
  type EpochProgress,
  type HistoryRow,
  type TrainState,
} from './state.js';
import { setLearningRate } from './optimizer.js';
import { learningRateAt } from './schedule.js';
import { trainableVariables, trainStep } from './step.js';

export type TrainEvent =
  | { type: 'epochStart'; epoch: number; epochs: number; batches: number; firstBatch: number }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; samplesPerSec: number }
  | { type: 'epochEnd'; row: HistoryRow; improved: boolean }
  /** the start scored on val as epoch 0 (a model that starts fitted: the linear skip) */
  | { type: 'start'; valLoss: number; valMetric: number };

export type StopReason = 'completed' | 'early-stopping' | 'interrupted';

export interface SaveInfo {
  improved: boolean;
  interrupted: boolean;
  /** at the end of an epoch: the task's transforms for a checkpoint of its weights (intervals from its val split) */
  fitted?: FittedTransforms;
}

export interface FitOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  dataset: Dataset;
  train: TrainConfig;
  /** where to start: initialState(seed) or a resumed checkpoint's state */
  state: TrainState;
  /** classify: each class's weight in the training loss (train.classWeights resolved) */
  classWeights?: Float32Array;
  /** a layer held near its start (the linear skip near its prior, with the penalty it was fitted with) */
  anchor?: LayerAnchor;
  /** train until this many epochs are complete */
  epochs: number;
  onEvent?: (event: TrainEvent) => void;
  /** polled after every batch: true stops the run after that batch (e.g. on Ctrl-C) */
  interrupted?: () => boolean;
  /**
   * called after every epoch (write checkpoints), with what a checkpoint of the epoch's weights stores; and once
   * when interrupted mid-epoch
   */
  save: (state: TrainState, info: SaveInfo) => Promise<void>;
}

/** Resumes or starts an epoch: its shuffled batch order and the generator that draws dropout seeds. */
function epochPlan(state: TrainState, trainSize: number, batchSize: number) {
  const runRng = new Rng(state.rngState);
  const epochSeed = state.inProgress?.epochSeed ?? runRng.int();
  const order = new Rng(epochSeed).shuffle(Array.from({ length: trainSize }, (_, i) => i));
  const epochRng = new Rng(state.inProgress?.epochRngState ?? epochSeed ^ 0x5bd1e995);
  const progress: EpochProgress = state.inProgress ?? {
    epochSeed,
    batchesDone: 0,
    epochRngState: epochRng.state,
    lossSum: 0,
    metricSum: 0,
    samples: 0,
    seconds: 0,
  };
  return { batches: batchesOf(order, batchSize), epochRng, progress: { ...progress }, rngStateAfter: runRng.state };
}

async function runEpoch(
  o: FitOptions,
  state: TrainState,
  classWeights?: tf.Tensor1D,
  anchor?: AnchorTerms,
): Promise<{ state: TrainState; interrupted: boolean }> {
  const { dataset, model, train } = o;
  const task = taskOf(dataset.task);
  const epoch = state.epoch + 1;
  const plan = epochPlan(state, dataset.splits.train.size, train.batchSize);
  const batches = plan.batches.length;
  let progress = plan.progress;
  o.onEvent?.({ type: 'epochStart', epoch, epochs: o.epochs, batches, firstBatch: progress.batchesDone });
  const started = performance.now() - progress.seconds * 1000;
  const trained = (name: string) => !(anchor?.frozen && anchor.names.has(name));
  const all = trainableVariables(model);
  const variables = all.filter((v) => trained(v.name));
  const members = memberModels(model); // once per epoch: each is a tf.model over the ensemble's layers
  const view = trainingView(model, members);
  const inputs = {
    view: view.view,
    groups: view.groups.map((names) => names.filter(trained)),
    variables,
    optimizer: o.optimizer,
    task,
    outputSize: dataset.outputSize,
    clipNorm: train.clipNorm,
    weightDecay: train.weightDecay,
    classWeights,
    anchor,
    order: variables.length < all.length ? all.map((v) => v.name) : undefined,
  };
  let rate = train.learningRate;
  for (let b = progress.batchesDone; b < batches; b++) {
    setDropoutSeed(model, plan.epochRng.int(), members);
    const batch = dataset.splits.train.batch(plan.batches[b]);
    rate = learningRateAt(train, { epoch, batch: b, batches }, state.history);
    setLearningRate(o.optimizer, rate);
    const step = trainStep(inputs, batch, rate);
    if (!Number.isFinite(step.loss))
      throw new TrainingError(
        `the training loss became ${step.loss} at epoch ${epoch}, batch ${b + 1}`,
        'try a lower train.learningRate, or a clipNorm such as 1',
      );
    const metric = task.batchMetric(dataset, batch, step.output);
    progress = addBatch(progress, { loss: step.loss, metric, samples: batch.batchSize });
    progress = { ...progress, epochRngState: plan.epochRng.state, seconds: (performance.now() - started) / 1000 };
    const [loss, samplesPerSec] = [progress.lossSum / progress.samples, progress.samples / progress.seconds];
    o.onEvent?.({ type: 'batch', epoch, batch: b + 1, batches, loss, samplesPerSec });
    await new Promise((resolve) => setImmediate(resolve)); // the step is synchronous: let a pending Ctrl-C be seen
    if (o.interrupted?.() && b + 1 < batches) {
      const paused = { ...state, rngState: plan.rngStateAfter, inProgress: progress };
      await o.save(paused, { improved: false, interrupted: true });
      return { state: paused, interrupted: true };
    }
  }
  const { row, fitted } = epochRow(o, epoch, progress, rate);
  const next = afterEpoch({ ...state, rngState: plan.rngStateAfter }, row, train.earlyStopping.minDelta);
  await o.save(next.state, { improved: next.improved, interrupted: false, fitted }); // the epoch is complete: save all of it
  o.onEvent?.({ type: 'epochEnd', row, improved: next.improved }); // after the save: a printed epoch is on disk
  return { state: next.state, interrupted: o.interrupted?.() ?? false };
}

/** The model's val split in eval mode: its loss and headline metric, and the transforms a checkpoint of it stores. */
function scoreVal(o: Pick<FitOptions, 'model' | 'dataset' | 'train'>) {
  const { dataset, model, train } = o;
  const task = taskOf(dataset.task);
  const val = predictSplit(model, dataset, dataset.splits.val, train.batchSize);
  return { valLoss: val.loss, valMetric: task.headline(val, dataset), fitted: task.checkpointTransforms(dataset, val) };
}

/** The finished epoch's history row (the running train sums, and val evaluated in eval mode), and its transforms. */
function epochRow(o: FitOptions, epoch: number, progress: EpochProgress, learningRate: number) {
  const { valLoss, valMetric, fitted } = scoreVal(o);
  const row: HistoryRow = {
    epoch,
    trainLoss: progress.lossSum / progress.samples,
    valLoss,
    trainMetric: progress.metricSum / progress.samples,
    valMetric,
    learningRate, // the epoch's last step's
    seconds: progress.seconds,
    samplesPerSec: progress.samples / progress.seconds,
  };
  if (!Number.isFinite(row.valLoss))
    throw new TrainingError(
      `the validation loss became ${row.valLoss} at epoch ${epoch}`,
      'try a lower train.learningRate',
    );
  return { row, fitted };
}

/**
 * A new model that starts as a fitted model (the linear skip's ridge) is the first candidate for the best checkpoint:
 * its val loss is the one to beat, as epoch 0. Undefined without val windows to score it on.
 */
export function scoreStart(
  o: Pick<FitOptions, 'model' | 'dataset' | 'train'>,
  state: TrainState,
): { state: TrainState; fitted: FittedTransforms; event: TrainEvent } | undefined {
  if (o.dataset.splits.val.size === 0) return undefined;
  const { valLoss, valMetric, fitted } = scoreVal(o);
  if (!Number.isFinite(valLoss)) return undefined;
  const start = { valLoss, valMetric };
  return { state: { ...state, bestValLoss: valLoss, bestEpoch: 0, start }, fitted, event: { type: 'start', ...start } };
}

/** Trains from `o.state` until `o.epochs` epochs are done, early stopping fires, or the run is interrupted. */
export async function fit(o: FitOptions): Promise<{ state: TrainState; stopReason: StopReason }> {
  let state = o.state;
  const stopEarly = () => shouldStopEarly(state, o.train.earlyStopping.patience);
  const classWeights = o.classWeights && tf.tensor1d(o.classWeights);
  const anchor = o.anchor && anchorTerms(o.model, o.anchor);
  try {
    while (state.epoch < o.epochs && !stopEarly()) {
      const result = await runEpoch(o, state, classWeights, anchor);
      state = result.state;
      if (result.interrupted) return { state, stopReason: 'interrupted' };
    }
    return { state, stopReason: stopEarly() ? 'early-stopping' : 'completed' };
  } finally {
    classWeights?.dispose();
    anchor?.dispose();
  }
}
