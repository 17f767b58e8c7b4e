// A whole lstm-train run: data and model from a validated config, the loop, checkpoints, history, plot, summary.
import { existsSync, writeFileSync } from 'node:fs';
import { TrainingError } from '../errors.js';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config/schema.js';
import type { Dataset } from '../data/types.js';
import { loadDataset } from '../data/load.js';
import { buildModel, countParams, shapeOf } from '../models/build.js';
import {
  epochCheckpointName,
  loadCheckpoint,
  pruneCheckpoints,
  restoreOptimizerState,
  saveCheckpoint,
} from '../checkpoint/checkpoint.js';
import { evaluateSplits, type SplitScores } from '../eval/summary.js';
import { lossTitle, writeHistory, writeLossPlot, writeSummary } from './outputs.js';
import { createRunDir } from './run-dir.js';
import { fit, type StopReason, type TrainEvent } from './fit.js';
import { makeOptimizer } from './optimizer.js';
import { initialState, type TrainState } from './state.js';
import { versions } from '../util/versions.js';
import type { CheckpointMeta } from './meta.js';

export interface Prepared {
  config: Config;
  dataset: Dataset;
  model: tf.LayersModel;
}

/** The config's data, with scalers and label map fitted on its training split. */
export function loadData(config: Config): Promise<Dataset> {
  return loadDataset(config.data, { baseDir: process.cwd(), seed: config.seed });
}

/** Loads the data and builds the model: everything that can fail on bad input, before anything is written. */
export async function prepare(config: Config): Promise<Prepared> {
  const dataset = await loadData(config);
  const model = buildModel(config.model, shapeOf(dataset), config.seed);
  return { config, dataset, model };
}

/** What a checkpoint's meta.json holds: enough to use the model alone, and to resume the run. */
export function checkpointMeta(p: Prepared, state: TrainState, backend: string): CheckpointMeta {
  const { dataset } = p;
  return {
    kind: 'lstm-train-checkpoint',
    epoch: state.epoch,
    config: p.config,
    data: p.config.data,
    task: dataset.task,
    featureNames: dataset.featureNames,
    targetNames: dataset.targetNames,
    classes: dataset.classes,
    steps: dataset.steps,
    masked: dataset.masked,
    featureScaler: dataset.featureScaler,
    targetScaler: dataset.targetScaler,
    metrics: state.history.at(-1) ?? null,
    bestEpoch: state.bestEpoch,
    trainState: state,
    backend,
    versions: versions(),
  };
}

export interface RunOptions {
  backend: string;
  /** parent folder of the run directory (default: config.output.dir) */
  outDir?: string;
  /** resume into this existing run directory */
  runDir?: string;
  state?: TrainState;
  /** a resumed run's optimizer state (checks the optimizer class, then restores the moments and step count) */
  optimizerState?: Parameters<typeof restoreOptimizerState>[1];
  epochs?: number;
  onEvent?: (event: TrainEvent) => void;
  interrupted?: () => boolean;
}

export interface RunResult {
  runDir: string;
  stopReason: StopReason;
  state: TrainState;
  scores?: SplitScores;
  files: string[];
}

export async function trainRun(p: Prepared, o: RunOptions): Promise<RunResult> {
  const { config, model } = p;
  const started = performance.now();
  const runDir = o.runDir ?? createRunDir(o.outDir ?? config.output.dir, config.name);
  const checkpoints = join(runDir, 'checkpoints');
  writeFileSync(join(runDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  const optimizer = makeOptimizer(config.train);
  if (o.optimizerState) await restoreOptimizerState(optimizer, o.optimizerState, join(checkpoints, 'last'));
  const save = async (state: TrainState, info: { improved: boolean; interrupted: boolean }) => {
    const meta = checkpointMeta(p, state, o.backend);
    await saveCheckpoint(join(checkpoints, 'last'), { model, optimizer, meta });
    if (info.interrupted) return;
    if (info.improved) await saveCheckpoint(join(checkpoints, 'best'), { model, meta });
    if (config.output.keepCheckpoints > 0) {
      await saveCheckpoint(join(checkpoints, epochCheckpointName(state.epoch)), { model, meta });
      pruneCheckpoints(checkpoints, config.output.keepCheckpoints);
    }
    writeHistory(runDir, state.history, p.dataset.task);
  };
  const { state, stopReason } = await fit({
    model,
    optimizer,
    dataset: p.dataset,
    train: config.train,
    state: o.state ?? initialState(config.seed),
    epochs: o.epochs ?? config.train.epochs,
    onEvent: o.onEvent,
    interrupted: o.interrupted,
    save,
  }).catch((e) => {
    if (!(e instanceof TrainingError)) throw e;
    const last = join(checkpoints, 'last');
    throw new TrainingError(
      `${e.message}; ${existsSync(last) ? `the last good checkpoint is kept: ${last}` : 'no checkpoint was written'}`,
      e.suggestion,
    );
  });
  optimizer.dispose();
  if (stopReason === 'interrupted') return { runDir, stopReason, state, files: [join(checkpoints, 'last')] };
  const best = await loadCheckpoint(join(checkpoints, 'best'));
  const scores = evaluateSplits(best.model, p.dataset, config.train.batchSize);
  best.model.dispose();
  const files = [
    ...writeHistory(runDir, state.history, p.dataset.task),
    ...(await writeLossPlot(runDir, state.history, lossTitle(p, o.backend))),
    writeSummary(runDir, {
      p,
      state,
      scores,
      stopReason,
      backend: o.backend,
      params: countParams(model),
      wallSeconds: (performance.now() - started) / 1000,
    }),
    join(checkpoints, 'best'),
    join(checkpoints, 'last'),
  ];
  return { runDir, stopReason, state, scores, files };
}
