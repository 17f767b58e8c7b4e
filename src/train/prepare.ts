// What a run starts from: the data and the model, made before anything is written; and the card each save writes.
import { basename } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { Config } from '../config/schema.js';
import type { ModelCard } from '../checkpoint/model-card.js';
import type { Dataset, FittedTransforms } from '../data/types.js';
import type { LayerAnchor } from '../models/anchor.js';
import { buildModel, shapeOf } from '../models/build.js';
import { loadData, withNotes } from '../task/dataset.js';
import { classWeightsOf } from '../task/class-weights.js';
import { taskOf } from '../task/index.js';
import { resolveLinearSkip } from '../task/linear-skip.js';
import type { ProgressPhases } from '../util/progress.js';
import { versions } from '../util/versions.js';
import { resolveBatchSize } from './batch-size.js';
import type { TrainState } from './state.js';

export interface Prepared {
  config: Config;
  dataset: Dataset;
  model: tf.LayersModel;
  /** the model starts as a fitted model (the linear skip's ridge): epoch 0 is a candidate for the best checkpoint */
  started: boolean;
  /** a layer training holds near its start (the linear skip near its prior) */
  anchor?: LayerAnchor;
}

export interface PrepareOptions {
  /** build the model but fit nothing for its start (the linear skip's ridge): a dry run trains nothing */
  dryRun?: boolean;
  /** hears the progress of each long phase: reading the file, fitting the start weights */
  progress?: ProgressPhases;
}

/** Loads the data and builds the model: everything that can fail on bad input, before anything is written. */
export async function prepare(given: Config, o: PrepareOptions = {}): Promise<Prepared> {
  const read = await loadData(given, o.progress?.(`reading ${basename(given.data.path)}`));
  // a dry run fits nothing, so "auto" settings the fits decide stay as given
  const settled = o.dryRun
    ? { config: given, dataset: read, notes: [] }
    : taskOf(read.task).settle(given, read, { progress: o.progress });
  const loaded = settled.dataset;
  const skip = resolveLinearSkip(settled.config, loaded);
  const { config, note: batchNote } = resolveBatchSize(skip.config, loaded);
  classWeightsOf(config, loaded); // a weight for a class the data does not have is refused before anything is written
  const model = buildModel(config.model, shapeOf(loaded), config.seed);
  const start = o.dryRun
    ? { notes: [], started: false }
    : taskOf(loaded.task).startWeights(model, loaded, config, o.progress);
  const notes = [
    ...settled.notes,
    ...(skip.note ? [skip.note] : []),
    ...(batchNote ? [batchNote] : []),
    ...start.notes,
  ];
  return { config, dataset: withNotes(loaded, notes), model, started: start.started, anchor: start.anchor };
}

/** The model card a checkpoint of this run carries after `state`; `fitted` the epoch's own (with intervals). */
export function modelCard(
  p: Prepared,
  state: TrainState,
  backend: string,
  fitted?: FittedTransforms,
): Omit<ModelCard, 'cardVersion'> {
  const { dataset } = p;
  return {
    kind: 'lstm-train-checkpoint',
    epoch: state.epoch,
    config: p.config,
    fitted: fitted ?? dataset.fitted,
    steps: dataset.steps,
    metrics: state.history.at(-1) ?? null,
    bestEpoch: state.bestEpoch,
    trainState: state,
    backend,
    versions: versions(),
  };
}
