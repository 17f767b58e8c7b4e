// The data a run trains on, and the data a checkpoint is used on (with its stored transforms, never refitted).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { ModelCard } from '../checkpoint/model-card.js';
import { loadDataset } from '../data/load.js';
import type { Dataset } from '../data/types.js';
import type { ModelShape } from '../models/build.js';
import type { OnProgress } from '../util/progress.js';

/** The config's data, with scalers and label map fitted on its training split; `onProgress` hears the bytes read. */
/** The dataset with `notes` added to its summary's (the run's summary.json and report show them). */
export function withNotes(dataset: Dataset, notes: string[]): Dataset {
  if (notes.length === 0) return dataset;
  return { ...dataset, summary: { ...dataset.summary, notes: [...(dataset.summary.notes ?? []), ...notes] } };
}

export function loadData(config: Config, onProgress?: OnProgress): Promise<Dataset> {
  return loadDataset(config.data, { baseDir: process.cwd(), seed: config.seed, onProgress });
}

/** The card's data (or `dataPath`, a CSV with the same columns), transformed as in training; `onProgress` hears the bytes read. */
export function loadCardData(
  card: ModelCard,
  dataPath?: string,
  inputsOnly = false,
  onProgress?: OnProgress,
): Promise<Dataset> {
  return loadDataset(card.config.data, {
    baseDir: process.cwd(),
    seed: card.config.seed,
    fitted: { ...card.fitted, steps: card.steps },
    pathOverride: dataPath,
    inputsOnly,
    onProgress,
  });
}

/**
 * The data the card's model was trained on, for what is fitted on it (the linear baseline, missing intervals), or
 * undefined when its file is no longer where the card says (a checkpoint moved to another machine).
 */
export async function loadCardTrainingData(card: ModelCard): Promise<Dataset | undefined> {
  if (!existsSync(resolve(card.config.data.path))) return undefined;
  return loadCardData(card);
}

/** The model's shape as the card describes it (the checkpoint's own model was built with it). */
export function cardShape(card: ModelCard, features: number): ModelShape {
  const data = card.config.data;
  const outputSize =
    data.task === 'forecast'
      ? (card.fitted.forecast?.leads.length ?? 1) * (card.fitted.targetScaler?.columns.length ?? data.targets.length)
      : card.fitted.classes.length;
  return { steps: card.steps, features, outputSize, masked: data.task === 'classify' && data.layout === 'long' };
}
