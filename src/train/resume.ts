// Picks a run up from its checkpoints/last: weights, optimizer state, epoch, generator, early stopping, history.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, readMeta } from '../checkpoint/checkpoint.js';
import { CheckpointError } from '../errors.js';
import type { Config } from '../config/schema.js';
import { loadDataset } from '../data/load.js';
import type { CheckpointMeta } from './meta.js';
import type { Prepared, RunOptions } from './run.js';

export interface Resumable {
  prepared: Prepared;
  options: Pick<RunOptions, 'runDir' | 'state' | 'optimizerWeights'>;
  meta: CheckpointMeta;
}

const lastOf = (runDir: string) => join(runDir, 'checkpoints', 'last');

function requireLast(runDir: string): string {
  const last = lastOf(runDir);
  if (!existsSync(last)) throw new CheckpointError(runDir, 'not a run directory to resume: checkpoints/last is missing', 'pass the run directory that lstm-train printed, e.g. runs/sine-20261127-022030');
  return last;
}

/** The config a run was started with (read before any tensor exists, so the backend can be chosen from it). */
export async function storedConfig(runDir: string): Promise<Config> {
  return ((await readMeta(requireLast(runDir))) as unknown as CheckpointMeta).config;
}

/** `override` adjusts the stored config (e.g. a new epoch count or backend) before the data is loaded. */
export async function loadResumable(runDir: string, override: (c: Config) => Config): Promise<Resumable> {
  const last = requireLast(runDir);
  const checkpoint = await loadCheckpoint(last);
  const meta = checkpoint.meta as unknown as CheckpointMeta;
  if (!meta.trainState) throw new CheckpointError(last, 'meta.json has no training state to resume from');
  const config = override(meta.config);
  // the stored transforms, not refitted ones: the resumed run must see exactly the data the first part saw
  const dataset = await loadDataset(config.data, {
    baseDir: process.cwd(),
    seed: config.seed,
    fitted: { featureScaler: meta.featureScaler, targetScaler: meta.targetScaler, classes: meta.classes },
  });
  return {
    meta,
    prepared: { config, dataset, model: checkpoint.model },
    options: { runDir, state: meta.trainState, optimizerWeights: checkpoint.optimizerWeights },
  };
}
