/**
 * Checkpoint directories: the model (model.json + weights.bin, tfjs-node's file:// layout), the optimizer
 * state (optimizer.json + optimizer.bin, optional) and meta.json (the caller's object plus formatVersion).
 *
 * Saving is atomic: the files go into a temporary sibling directory which is then swapped in by renames, so a
 * process killed at any moment leaves the old or the new checkpoint, complete, at `dir` (see swap.ts for the
 * scheme and how a reader recovers the one instant where `dir` is missing). Every problem found while loading
 * is a CheckpointError naming the file and saying what was expected and what was found.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';
// registers the custom layer classes (HandLSTM, SeededDropout, SequenceMask) that loadLayersModel may meet
import '../models/register.js';
import { statOrUndefined, writeDurable } from './durable-fs.js';
import {
  fileHandler,
  MODEL_JSON,
  parseJsonFile,
  readModelJson,
  readRequired,
  readWeights,
  WEIGHTS_BIN,
} from './io-handler.js';
import {
  checkOptimizerState,
  loadOptimizerState,
  saveOptimizerState,
  type NamedTensor,
  type OptimizerInfo,
} from './optimizer-state.js';
import { recoverDir, removeStale, replaceDir } from './swap.js';

export { pruneCheckpoints, epochCheckpointName } from './prune.js';
export { restoreOptimizerState, type NamedTensor, type OptimizerInfo } from './optimizer-state.js';

export const META_JSON = 'meta.json';
/** The meta.json format this code writes, and the ones it can read. */
export const FORMAT_VERSION = 1;
export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1];
const REQUIRED_FILES = [MODEL_JSON, WEIGHTS_BIN, META_JSON];
const EXPECTED = `a checkpoint directory holds ${REQUIRED_FILES.join(', ')} (and optionally optimizer.json, optimizer.bin)`;

/** meta.json as stored: a JSON object with the store's formatVersion. */
export type StoredMeta = Record<string, unknown> & { formatVersion: number };

export interface CheckpointParts {
  model: tf.LayersModel;
  optimizer?: tf.Optimizer;
  /** anything JSON-serialisable; lstm-train's own is the model card (model-card.ts) */
  meta: object;
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  /** meta.json's object, formatVersion checked; model-checkpoint.ts reads it as a model card */
  meta: StoredMeta;
  /** for `optimizer.setWeights` (or restoreOptimizerState); dispose them afterwards */
  optimizerWeights?: NamedTensor[];
  optimizerInfo?: OptimizerInfo;
}

/** meta.json's text; done first, so an unserialisable meta fails before anything is written. */
function metaText(dir: string, meta: object): string {
  try {
    return (
      JSON.stringify(
        Object.assign({ formatVersion: FORMAT_VERSION }, meta, { formatVersion: FORMAT_VERSION }),
        null,
        2,
      ) + '\n'
    );
  } catch (error) {
    throw new CheckpointError(
      join(dir, META_JSON),
      `the metadata cannot be written as JSON: ${(error as Error).message}`,
    );
  }
}

/** Saving over a file, or over a directory that holds something else, would destroy it: refuse. */
async function assertReplaceable(dir: string): Promise<void> {
  const found = await statOrUndefined(dir);
  if (found === undefined) return;
  if (!found.isDirectory())
    throw new CheckpointError(dir, 'exists and is not a directory; refusing to replace it with a checkpoint');
  const names = await readdir(dir);
  if (names.length > 0 && !names.includes(META_JSON) && !names.includes(MODEL_JSON)) {
    throw new CheckpointError(
      dir,
      `is a directory that is not a checkpoint (no ${META_JSON} or ${MODEL_JSON}); refusing to replace it`,
    );
  }
}

/** Writes model, optimizer state and meta to `dir` atomically, replacing any checkpoint there. */
export async function saveCheckpoint(dir: string, parts: CheckpointParts): Promise<void> {
  const meta = metaText(dir, parts.meta);
  await recoverDir(dir, isComplete);
  await assertReplaceable(dir);
  await removeStale(dir);
  await replaceDir(dir, async (tmp) => {
    await parts.model.save(fileHandler(tmp));
    if (parts.optimizer !== undefined) await saveOptimizerState(tmp, parts.optimizer);
    await writeDurable(join(tmp, META_JSON), meta);
  });
}

/** meta.json parsed, with its formatVersion checked. */
async function readMetaFile(dir: string): Promise<StoredMeta> {
  const path = join(dir, META_JSON);
  const meta = parseJsonFile(path, await readRequired(path, META_JSON)) as Record<string, unknown> | null;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    throw new CheckpointError(path, 'expected a JSON object');
  const version = meta.formatVersion;
  if (typeof version !== 'number')
    throw new CheckpointError(path, 'has no formatVersion: it was not written by lstm-train');
  if (!SUPPORTED_FORMAT_VERSIONS.includes(version)) {
    throw new CheckpointError(
      path,
      `formatVersion ${version} is not supported: this lstm-train reads formatVersion ${SUPPORTED_FORMAT_VERSIONS.join(', ')}`,
      'use the lstm-train version that wrote it (meta.json "versions"), or train the model again',
    );
  }
  return { ...meta, formatVersion: version };
}

/** Every file present and consistent: what recovery requires of a temporary before putting it back. */
async function checkFiles(dir: string): Promise<void> {
  await readMetaFile(dir);
  const json = await readModelJson(dir);
  await readWeights(dir, json.weightsManifest);
  await checkOptimizerState(dir);
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    await checkFiles(dir);
    return true;
  } catch {
    return false;
  }
}

/** Recovers an interrupted save, then checks that `dir` is a directory with the required files. */
async function locate(dir: string): Promise<void> {
  await recoverDir(dir, isComplete);
  const found = await statOrUndefined(dir);
  if (found === undefined) throw new CheckpointError(dir, `no checkpoint here: the path does not exist (${EXPECTED})`);
  if (!found.isDirectory()) throw new CheckpointError(dir, `not a checkpoint directory: it is a file (${EXPECTED})`);
  const names = await readdir(dir);
  const missing = REQUIRED_FILES.filter((f) => !names.includes(f));
  if (missing.length === REQUIRED_FILES.length) {
    const listing =
      names.length === 0 ? 'it is empty' : `found ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`;
    const run = names.includes('checkpoints'); // a run directory: its checkpoints are one level down
    const inside = run ? (await readdir(join(dir, 'checkpoints'))).sort() : [];
    const hint = run
      ? `a run directory: pass one of its checkpoints, ${join(dir, 'checkpoints', inside[0] ?? 'best')}`
      : undefined;
    throw new CheckpointError(dir, `not a checkpoint directory: ${listing} (${EXPECTED})`, hint);
  }
  if (missing.length > 0)
    throw new CheckpointError(dir, `incomplete checkpoint: ${missing.join(' and ')} missing (${EXPECTED})`);
}

/** Only meta.json, checked: cheap enough to list or inspect checkpoints without building models. */
export async function readMeta(dir: string): Promise<StoredMeta> {
  await locate(dir);
  return readMetaFile(dir);
}

/** Loads the model (custom layer classes must be registered), meta.json and, if saved, the optimizer state. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  await locate(dir);
  const meta = await readMetaFile(dir);
  return { meta, ...(await loadWeights(dir)) };
}

/** The model and, if saved, the optimizer state, without meta.json: for a caller that has read and checked it. */
export async function loadCheckpointModel(dir: string): Promise<Omit<LoadedCheckpoint, 'meta'>> {
  await locate(dir);
  return loadWeights(dir);
}

async function loadWeights(dir: string): Promise<Omit<LoadedCheckpoint, 'meta'>> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(fileHandler(dir));
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(
      join(dir, MODEL_JSON),
      `the model cannot be rebuilt from it: ${(error as Error).message}`,
      'was it written by a different version of lstm-train? (meta.json "versions")',
    );
  }
  try {
    const optimizer = await loadOptimizerState(dir);
    return { model, optimizerWeights: optimizer?.weights, optimizerInfo: optimizer?.info };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
