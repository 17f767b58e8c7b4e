// Picks a run up from its checkpoints/last: weights, optimizer state, epoch, generator, early stopping, history.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, readMeta } from '../checkpoint/checkpoint.js';
import { CheckpointError, ConfigError } from '../errors.js';
import { shouldStopEarly, type TrainState } from './state.js';
import type { Config } from '../config/schema.js';
import { loadCheckpointData } from '../eval/evaluate.js';
import type { CheckpointMeta } from './meta.js';
import type { Prepared, RunOptions } from './run.js';

export interface Resumable {
  prepared: Prepared;
  options: Pick<RunOptions, 'runDir' | 'state' | 'optimizerState'>;
  meta: CheckpointMeta;
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
  return ((await readMeta(requireLast(runDir))) as unknown as CheckpointMeta).config;
}

/** A resume that would train nothing is a mistake worth saying, not a silent success. */
function checkSomethingToDo(state: TrainState, config: Config): void {
  const { patience } = config.train.earlyStopping;
  if (shouldStopEarly(state, patience))
    throw new ConfigError(
      '--resume',
      [
        `the run stopped early after epoch ${state.epoch} (val loss had not improved for ${patience} epochs): there is nothing to resume`,
      ],
      'start a new run with a larger train.earlyStopping.patience (0 disables it)',
    );
  if (config.train.epochs <= state.epoch)
    // a partial epoch after them is beyond --epochs too
    throw new ConfigError(
      '--resume',
      [`--epochs: expected more than the ${state.epoch} epochs already done, got ${config.train.epochs}`],
      `lstm-train --resume <run> --epochs ${state.epoch + 1}`,
    );
}

/** `config`: the stored one (storedConfig) with the command line's overrides, e.g. a new epoch count or backend. */
export async function loadResumable(runDir: string, config: Config): Promise<Resumable> {
  const last = requireLast(runDir);
  const checkpoint = await loadCheckpoint(last);
  const meta = checkpoint.meta as unknown as CheckpointMeta;
  if (!meta.trainState) throw new CheckpointError(last, 'meta.json has no training state to resume from');
  checkSomethingToDo(meta.trainState, config);
  // the stored transforms, not refitted ones: the resumed run must see exactly the data the first part saw
  const dataset = await loadCheckpointData(meta);
  return {
    meta,
    prepared: { config, dataset, model: checkpoint.model },
    options: {
      runDir,
      state: meta.trainState,
      optimizerState:
        checkpoint.optimizerWeights && checkpoint.optimizerInfo
          ? { weights: checkpoint.optimizerWeights, info: checkpoint.optimizerInfo }
          : undefined,
    },
  };
}
