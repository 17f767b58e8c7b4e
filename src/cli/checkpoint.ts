// A checkpoint opened for a command: its card read once, the backend chosen for its model, then the model.
import { resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice } from '../backend/select.js';
import type { ModelCard } from '../checkpoint/model-card.js';
import { loadModelCheckpoint, readCard } from '../checkpoint/model-checkpoint.js';
import type { BackendFlags } from './common.js';

export interface OpenCheckpoint {
  card: ModelCard;
  backend: BackendChoice;
  model: tf.LayersModel;
}

/** Opens `dir`: a bad card is refused before any backend starts; 'auto' threads follow the trained model. */
export async function openCheckpoint(dir: string, flags: BackendFlags = {}): Promise<OpenCheckpoint> {
  const path = resolve(dir);
  const card = await readCard(path);
  const kernels = flags.stockKernels ? 'stock' : 'fixed';
  const backend = await selectBackend(flags.backend ?? 'auto', kernels, flags.threads ?? 'auto', card.config.model);
  const { model } = await loadModelCheckpoint(path, card);
  return { card, backend, model };
}
