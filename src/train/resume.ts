// Picks a run up from its checkpoints/last: weights, optimizer state, epoch, generator, early stopping, history.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { ModelCard } from '../checkpoint/model-card.js';
import { loadModelCheckpoint, readCard } from '../checkpoint/model-checkpoint.js';
import { CheckpointError, UsageError } from '../errors.js';
import { loadCardData } from '../task/dataset.js';
import { taskOf } from '../task/index.js';
import type { Prepared } from './prepare.js';
import type { RunOptions } from './run.js';
import { shouldStopEarly, type TrainState } from './state.js';

export interface Resumable {
  prepared: Prepared;
  options: Pick<RunOptions, 'runDir' | 'state' | 'optimizerState'>;
  /** the training state picked up (the card's) */
  state: TrainState;
}

const lastOf = (runDir: string) => join(runDir, 'checkpoints', 'last');

function requireLast(runDir: string): string {
  const last = lastOf(runDir);
  if (!existsSync(last))
    throw new CheckpointError(
      runDir,
      'not a run directory to resume: checkpoints/last is missing',
      'pass the run directory that lstm-train printed, e.g. runs/sine-20261127-022030',
    );
  return last;
}

/** The config a run was started with (read before any tensor exists, so the backend can be chosen from it). */
export async function storedConfig(runDir: string): Promise<Config> {
  return (await readCard(requireLast(runDir))).config;
}

function trainStateOf(card: ModelCard, last: string): TrainState {
  if (card.trainState === undefined) throw new CheckpointError(last, 'meta.json has no training state to resume from');
  return card.trainState;
}

/** A resume that would train nothing is a mistake worth saying, not a silent success. */
function checkSomethingToDo(state: TrainState, config: Config): void {
  const { patience } = config.train.earlyStopping;
  if (shouldStopEarly(state, patience))
    throw new UsageError(
      `the run stopped early after epoch ${state.epoch} (val loss had not improved for ${patience} epochs): there is nothing to resume`,
      'start a new run with a larger train.earlyStopping.patience (0 disables it)',
    );
  if (config.train.epochs <= state.epoch)
    // a partial epoch after them is beyond --epochs too
    throw new UsageError(
      `--epochs: expected more than the ${state.epoch} epochs already done, got ${config.train.epochs}`,
      `lstm-train --resume <run> --epochs ${state.epoch + 1}`,
    );
}

/** `config`: the stored one (storedConfig) with the command line's overrides, e.g. a new epoch count or backend. */
export async function loadResumable(runDir: string, config: Config): Promise<Resumable> {
  const last = requireLast(runDir);
  const checkpoint = await loadModelCheckpoint(last);
  const state = trainStateOf(checkpoint.card, last);
  checkSomethingToDo(state, config);
  // the stored transforms, not refitted ones: the resumed run must see exactly the data the first part saw
  const dataset = await loadCardData(checkpoint.card);
  // the anchor the run started with, if it had one: the fit made again on the same data, the weights left alone
  const anchor = state.anchor
    ? taskOf(dataset.task).startWeights(checkpoint.model, dataset, config, undefined, { keepWeights: true }).anchor
    : undefined;
  return {
    state,
    prepared: { config, dataset, model: checkpoint.model, started: false, anchor },
    options: {
      runDir,
      state,
      optimizerState:
        checkpoint.optimizerWeights && checkpoint.optimizerInfo
          ? { weights: checkpoint.optimizerWeights, info: checkpoint.optimizerInfo }
          : undefined,
    },
  };
}
