// The batch size a run uses: the config's, unless it holds every training example, where an epoch is one step.
import type { Config } from '../config/schema.js';
import type { Dataset } from '../data/types.js';

/** Steps an epoch takes at least when train.batchSize would hold the whole training split. */
const MIN_STEPS = 4;

/**
 * A batch as large as the training split makes every epoch one step (the loss barely moves): such a batch is cut
 * to a quarter of the split, and the note says so. The config returned is the one the run records and resumes.
 */
export function resolveBatchSize(config: Config, dataset: Dataset): { config: Config; note?: string } {
  const examples = dataset.splits.train.size;
  const given = config.train.batchSize;
  if (given < examples || examples < 2 * MIN_STEPS) return { config };
  const batchSize = Math.ceil(examples / MIN_STEPS);
  const steps = Math.ceil(examples / batchSize);
  const note =
    `train.batchSize ${given} holds all ${examples} training examples (one step an epoch): using ${batchSize}, ` +
    `${steps} steps an epoch; set train.batchSize below ${examples} to choose another`;
  return { config: { ...config, train: { ...config.train, batchSize } }, note };
}
