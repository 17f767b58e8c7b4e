// A tf.io.IOHandler for a directory: model.json + weights.bin, byte for byte the layout tfjs-node's file:// writes.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';
import { isErrno, writeDurable } from './durable-fs.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Bytes per stored value; string weights have no fixed size (layers models never have them). */
const BYTES_PER_VALUE: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** How many bytes the specs describe, or undefined when a string weight makes that unknowable. */
export function weightBytes(specs: tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES_PER_VALUE[dtype];
    if (bytes === undefined) return undefined;
    total += spec.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

/** Reads a file the checkpoint needs, turning "not there" into a CheckpointError that names it. */
export async function readRequired(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new CheckpointError(path, `${what} is missing`);
    if (isErrno(error, 'EISDIR')) throw new CheckpointError(path, `${what} should be a file, found a directory`);
    throw error;
  }
}

/** Parses a JSON file, telling a truncated file (the usual corruption) from any other syntax error. */
export function parseJsonFile(path: string, bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const truncated = text.trim().length === 0 || /end of (JSON )?input|Unterminated/i.test(String(error));
    const detail = error instanceof Error ? error.message : String(error);
    throw new CheckpointError(
      path,
      `${truncated ? 'truncated: ' : ''}not valid JSON (${text.length} bytes): ${detail}`,
    );
  }
}

/**
 * Weight bytes against what their specs add up to: a short file is a truncated write, a long one belongs to some
 * other model. `json` names the file the specs come from; `from`, how a message cites it.
 */
export function checkWeightBytes(
  where: string,
  specs: tf.io.WeightsManifestEntry[],
  size: number,
  json: string,
  from = json,
): void {
  const expected = weightBytes(specs);
  if (expected === undefined || size === expected) return;
  const problem = size < expected ? 'truncated' : `longer than ${json} says`;
  throw new CheckpointError(where, `${problem}: expected ${expected} bytes (from ${from}), found ${size}`);
}

/** model.json, checked for the parts a layers model needs. */
export async function readModelJson(dir: string): Promise<tf.io.ModelJSON> {
  const path = join(dir, MODEL_JSON);
  const json = parseJsonFile(path, await readRequired(path, MODEL_JSON)) as Partial<tf.io.ModelJSON> | null;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CheckpointError(path, 'expected a JSON object with modelTopology and weightsManifest');
  }
  if (json.modelTopology === undefined || json.modelTopology === null) {
    throw new CheckpointError(path, 'not a tfjs layers model: it has no modelTopology');
  }
  const manifest = json.weightsManifest;
  const wellFormed =
    Array.isArray(manifest) && manifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights));
  if (!wellFormed) throw new CheckpointError(path, 'weightsManifest should be a list of { paths, weights } groups');
  return json as tf.io.ModelJSON;
}

/**
 * Reads every weight file of the manifest, checking each group's bytes against what its specs add up to:
 * a short file is a truncated write, a long one belongs to some other model.
 */
export async function readWeights(
  dir: string,
  manifest: tf.io.WeightsManifestConfig,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const buffers: Buffer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of manifest) {
    const files = group.paths.map((p) => join(dir, p));
    const found = await Promise.all(files.map((f) => readRequired(f, 'a weight file')));
    const size = found.reduce((n, b) => n + b.length, 0);
    checkWeightBytes(files.join(' + '), group.weights, size, MODEL_JSON, `${MODEL_JSON}'s weightsManifest`);
    buffers.push(...found);
    specs.push(...group.weights);
  }
  const joined = Buffer.concat(buffers);
  return [specs, joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)];
}

/** Loads the artifacts of `dir` the way tfjs-node's loader does, with CheckpointErrors for every corruption. */
export async function loadArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const json = await readModelJson(dir);
  const [weightSpecs, weightData] = await readWeights(dir, json.weightsManifest);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs,
    weightData,
  };
  if (json.trainingConfig != null) artifacts.trainingConfig = json.trainingConfig;
  if (json.signature != null) artifacts.signature = json.signature;
  if (json.userDefinedMetadata != null) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  return artifacts;
}

/** Writes model.json then weights.bin into `dir` (created if needed), each fsynced. */
export async function saveArtifacts(dir: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('fileHandler saves layers models only: a JSON modelTopology is required');
  }
  await mkdir(dir, { recursive: true });
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
  };
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  const weights =
    artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  await writeDurable(join(dir, MODEL_JSON), JSON.stringify(modelJson));
  await writeDurable(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** `model.save(fileHandler(dir))` and `tf.loadLayersModel(fileHandler(dir))`, without tfjs-node. */
export function fileHandler(dir: string): tf.io.IOHandler {
  return { save: (artifacts) => saveArtifacts(dir, artifacts), load: () => loadArtifacts(dir) };
}
