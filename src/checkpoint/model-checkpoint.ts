// lstm-train's checkpoints: the directory store (checkpoint.ts) with a model card as its meta.json.
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import {
  loadCheckpointModel,
  META_JSON,
  readMeta,
  saveCheckpoint,
  type NamedTensor,
  type OptimizerInfo,
} from './checkpoint.js';
import { parseCard, storedCard, type ModelCard } from './model-card.js';

export interface ModelCheckpoint {
  model: tf.LayersModel;
  card: ModelCard;
  /** for restoreOptimizerState; dispose them afterwards */
  optimizerWeights?: NamedTensor[];
  optimizerInfo?: OptimizerInfo;
}

/** Only the card, checked: cheap enough to read before any backend or model exists. */
export async function readCard(dir: string): Promise<ModelCard> {
  return parseCard(await readMeta(dir), join(dir, META_JSON));
}

/**
 * The model and its card; a card that does not parse fails before the model is built. `card`: the one already read
 * by readCard, so meta.json is read and parsed once.
 */
export async function loadModelCheckpoint(dir: string, card?: ModelCard): Promise<ModelCheckpoint> {
  const checked = card ?? (await readCard(dir));
  const { model, optimizerWeights, optimizerInfo } = await loadCheckpointModel(dir);
  return { model, card: checked, optimizerWeights, optimizerInfo };
}

/** Writes model, optimizer state (optional) and the card atomically, as a card of the current version. */
export async function saveModelCheckpoint(
  dir: string,
  parts: { model: tf.LayersModel; optimizer?: tf.Optimizer; card: Omit<ModelCard, 'cardVersion'> },
): Promise<void> {
  await saveCheckpoint(dir, { model: parts.model, optimizer: parts.optimizer, meta: storedCard(parts.card) });
}
