// The optimizer's state (Adam's moments, its step count…) as optimizer.json (specs, class, config) + optimizer.bin.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';
import { statOrUndefined, writeDurable } from './durable-fs.js';
import { checkWeightBytes, parseJsonFile, readRequired } from './io-handler.js';

export const OPTIMIZER_JSON = 'optimizer.json';
export const OPTIMIZER_BIN = 'optimizer.bin';

/** What optimizer.json says besides the weight specs: enough to rebuild the same optimizer. */
export interface OptimizerInfo {
  /** tfjs's serialisation name, e.g. 'Adam' */
  className: string;
  /** e.g. { learningRate, beta1, beta2, epsilon } */
  config: Record<string, unknown>;
  /** how many steps it had taken */
  iterations: number;
}

/** A tensor with the name getWeights() gave it (tfjs does not export this type from its root). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface OptimizerJson extends OptimizerInfo {
  weightsFile: string;
  weights: tf.io.WeightsManifestEntry[];
}

/** Writes the optimizer's weights and description into `dir`. */
export async function saveOptimizerState(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const named = await optimizer.getWeights();
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    const json: OptimizerJson = {
      className: optimizer.getClassName(),
      config: optimizer.getConfig(),
      iterations: optimizer.iterations,
      weightsFile: OPTIMIZER_BIN,
      weights: specs,
    };
    await writeDurable(join(dir, OPTIMIZER_JSON), JSON.stringify(json, null, 2) + '\n');
    await writeDurable(join(dir, OPTIMIZER_BIN), new Uint8Array(data));
  } finally {
    // getWeights hands out the live moment variables (not ours to free) plus fresh tensors such as 'iter'
    for (const { tensor } of named) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
}

/** optimizer.json parsed and checked, with its bytes; undefined when the checkpoint has no optimizer state. */
async function readOptimizerFiles(dir: string): Promise<{ json: OptimizerJson; data: Buffer } | undefined> {
  const path = join(dir, OPTIMIZER_JSON);
  if ((await statOrUndefined(path)) === undefined) return undefined;
  const json = parseJsonFile(path, await readRequired(path, OPTIMIZER_JSON)) as Partial<OptimizerJson> | null;
  if (json === null || typeof json !== 'object' || typeof json.className !== 'string' || !Array.isArray(json.weights)) {
    throw new CheckpointError(path, 'expected an object with className, config and weights');
  }
  const binPath = join(dir, json.weightsFile ?? OPTIMIZER_BIN);
  const data = await readRequired(binPath, 'the optimizer state file');
  checkWeightBytes(binPath, json.weights, data.length, OPTIMIZER_JSON);
  return { json: json as OptimizerJson, data };
}

/** Checks the optimizer files without making tensors: used to tell a complete checkpoint from a partial one. */
export async function checkOptimizerState(dir: string): Promise<void> {
  await readOptimizerFiles(dir);
}

/**
 * The saved state as tensors in getWeights() order, ready for `optimizer.setWeights` (which copies them:
 * dispose them afterwards), or undefined when the checkpoint was saved without an optimizer.
 */
export async function loadOptimizerState(
  dir: string,
): Promise<{ weights: NamedTensor[]; info: OptimizerInfo } | undefined> {
  const files = await readOptimizerFiles(dir);
  if (files === undefined) return undefined;
  const { json, data } = files;
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const map = tf.io.decodeWeights(buffer, json.weights);
  const weights = json.weights.map((spec) => ({ name: spec.name, tensor: map[spec.name] }));
  const info = { className: json.className, config: json.config ?? {}, iterations: json.iterations ?? 0 };
  return { weights, info };
}

/**
 * Puts saved state into a live optimizer of the same class (a resumed run must continue with the same
 * moments, or its next steps differ), then frees the loaded tensors.
 */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  saved: { weights: NamedTensor[]; info: OptimizerInfo },
  where = 'checkpoint',
): Promise<void> {
  try {
    if (optimizer.getClassName() !== saved.info.className) {
      throw new CheckpointError(
        where,
        `the optimizer state is for ${saved.info.className}, but this run uses ${optimizer.getClassName()}`,
        'resume with the optimizer the checkpoint was trained with, or start a new run',
      );
    }
    await optimizer.setWeights(saved.weights);
    replayAdamPowers(optimizer, saved.info.iterations);
  } finally {
    for (const { tensor } of saved.weights) tensor.dispose();
  }
}

/**
 * Adam's bias corrections β^(t+1), as its steps left them. tfjs's setWeights computes them with pow, whose float32
 * result differs in the last bits from the product the steps accumulate, enough to move every later update: the
 * same float32 product is replayed here, so a resumed run takes exactly the steps an uninterrupted one would.
 */
function replayAdamPowers(optimizer: tf.Optimizer, iterations: number): void {
  const adam = optimizer as unknown as Partial<Record<'accBeta1' | 'accBeta2', tf.Variable>> &
    Record<'beta1' | 'beta2', number>;
  for (const [acc, beta] of [
    [adam.accBeta1, adam.beta1],
    [adam.accBeta2, adam.beta2],
  ] as const) {
    if (!(acc instanceof tf.Variable)) continue;
    const b = Math.fround(beta);
    let power = b; // the scalar(beta) the optimizer starts from
    for (let i = 0; i < iterations; i++) power = Math.fround(power * b); // float32 × float32 is exact in a double
    tf.tidy(() => acc.assign(tf.scalar(power))); // the variable keeps its own reference to the data
  }
}
