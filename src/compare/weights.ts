// Where every variant's initial weights come from: one seeded set per direction count, or a checkpoint.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { configSchema, type Config } from '../config/schema.js';
import { CheckpointError } from '../errors.js';
import { loadCheckpoint, META_JSON, type StoredMeta } from '../checkpoint/checkpoint.js';
import { buildModel, type ModelShape } from '../models/build.js';
import { ensembleSize } from '../models/ensemble.js';
import { isBidirectional, variantModel, type Variant } from './variants.js';

/** A variant's starting weights in getWeights() order; the owner disposes them. */
export type InitialWeights = (variant: Variant) => tf.Tensor[];

export interface WeightSource {
  initial: InitialWeights;
  /** "seed 42" or the checkpoint directory */
  description: string;
  dispose(): void;
}

const shapeText = (ts: tf.Tensor[]) => ts.map((t) => `[${t.shape.join(',')}]`).join(' ');

/**
 * The uni variants share one weight set and the bi variants another, each the builtin model built with the
 * config's seed; hand models get a copy (same layout, so the copy is exact).
 */
export function seededWeights(config: Config, shape: ModelShape): WeightSource {
  const sets = new Map<boolean, tf.Tensor[]>();
  const initial = (v: Variant) => {
    const bi = isBidirectional(v);
    if (!sets.has(bi)) {
      const builtin = buildModel(variantModel(config.model, bi ? 'builtin-bi' : 'builtin'), shape, config.seed);
      sets.set(
        bi,
        builtin.getWeights().map((w) => w.clone()),
      );
      builtin.dispose();
    }
    return sets.get(bi)!;
  };
  return { initial, description: `seed ${config.seed}`, dispose: () => sets.forEach((ws) => tf.dispose(ws)) };
}

/** The weights of a checkpoint (builtin or hand), for every variant; `fitting` checks which variants they fit. */
export async function checkpointWeights(
  dir: string,
): Promise<WeightSource & { weights: tf.Tensor[]; meta: { config?: Config } }> {
  const loaded = await loadCheckpoint(dir);
  const members = ensembleSize(loaded.model);
  const weights = loaded.model.getWeights().map((w) => w.clone());
  loaded.model.dispose();
  tf.dispose(loaded.optimizerWeights?.map((w) => w.tensor) ?? []);
  if (members > 1) {
    tf.dispose(weights);
    throw new CheckpointError(
      dir,
      `expected a single model's checkpoint to start the variants from, found an ensemble of ${members} (model.ensemble)`,
      'train the checkpoint with model.ensemble 1, or race from the seed (leave out --from)',
    );
  }
  const meta = { config: configIn(loaded.meta, dir) };
  return { weights, meta, initial: () => weights, description: dir, dispose: () => tf.dispose(weights) };
}

/** The config a checkpoint's meta.json carries, if any, checked against the schema. */
function configIn(meta: StoredMeta, dir: string): Config | undefined {
  if (meta.config === undefined) return undefined;
  const parsed = configSchema.safeParse(meta.config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `config.${i.path.join('.')}: ${i.message}`).join('; ');
  throw new CheckpointError(join(dir, META_JSON), `its config is not one lstm-train can read: ${problems}`);
}

/** Sets `model`'s weights, after checking that they have the model's count and shapes. */
export function applyWeights(model: tf.LayersModel, weights: tf.Tensor[], what: string): void {
  if (!fits(model, weights))
    throw new CheckpointError(
      what,
      `its weights ${shapeText(weights)} do not fit the model ${model.name}'s ${shapeText(model.getWeights())}`,
    );
  model.setWeights(weights);
}

export function fits(model: tf.LayersModel, weights: tf.Tensor[]): boolean {
  const own = model.getWeights();
  return own.length === weights.length && own.every((w, k) => w.shape.join() === weights[k].shape.join());
}

/**
 * --from: every chosen variant must fit the checkpoint (a uni checkpoint cannot start a bi variant, nor a
 * checkpoint of other data or hidden size). A mismatch is an error naming the variants, not a silent skip:
 * a comparison that quietly drops half its variants would mislead.
 */
export function assertFitsAll(
  config: Config,
  shape: ModelShape,
  variants: Variant[],
  source: { weights: tf.Tensor[]; description: string },
): void {
  const misfits = variants.filter((v) => {
    const model = buildModel(variantModel(config.model, v), shape, config.seed);
    const ok = fits(model, source.weights);
    model.dispose();
    return !ok;
  });
  if (misfits.length === 0) return;
  const fitting = variants.filter((v) => !misfits.includes(v));
  throw new CheckpointError(
    source.description,
    `its weights do not fit variant${misfits.length > 1 ? 's' : ''} ${misfits.join(', ')} ` +
      `(hidden size ${config.model.hiddenSize}, ${config.model.layers} layer(s), ` +
      `${shape.features} features, ${shape.outputSize} outputs)`,
    fitting.length > 0
      ? `compare only the variants it fits: --variants ${fitting.join(',')}`
      : 'use a config with the same data, hiddenSize and layers as the checkpoint, or leave out --config to use its own',
  );
}
