// The race: every variant trained from the same initial weights, batch order and dropout masks, timed.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config/schema.js';
import type { Dataset } from '../data/types.js';
import { buildModel, countParams, shapeOf } from '../models/build.js';
import { batchInputs } from '../task/batch.js';
import { withNotes } from '../task/dataset.js';
import { taskOf } from '../task/index.js';
import { predictSplit } from '../task/predict-split.js';
import type { SplitScores } from '../task/scores.js';
import type { StopReason, TrainEvent } from '../train/fit.js';
import { trainRun } from '../train/run.js';
import { trainingSamplesPerSec, type HistoryRow } from '../train/state.js';
import { variantModel, type Variant } from './variants.js';
import { applyWeights, type InitialWeights } from './weights.js';

export interface VariantResult {
  variant: Variant;
  params: number;
  runDir: string;
  stopReason: StopReason;
  history: HistoryRow[];
  bestEpoch: number;
  /** the best checkpoint's scores in eval mode, as lstm-train reports them */
  scores?: SplitScores;
  secondsPerEpoch: number;
  trainSamplesPerSec: number;
  /** one full eval-mode pass over the val split, after a warm-up batch */
  inferenceSamplesPerSec: number;
}

export interface RaceOptions {
  variants: Variant[];
  initial: InitialWeights;
  backend: string;
  /** the compare directory: each variant's run directory goes inside it */
  outDir: string;
  onEvent?: (variant: Variant, event: TrainEvent) => void;
  interrupted?: () => boolean;
  /**
   * start each variant's linear skip as lstm-train does (the ridge towards its prior, held there by its penalty while
   * training), the same for every variant; off for weights from a checkpoint, whose skip is trained already
   */
  startSkip?: boolean;
}

/** The config a variant trains with: its implementation and direction, and its name for the run directory. */
export function variantConfig(config: Config, variant: Variant): Config {
  return { ...config, name: variant, model: variantModel(config.model, variant) };
}

/** Samples per second of a full eval-mode pass over val (first one warm-up batch, so kernels are compiled). */
function inferenceSpeed(model: tf.LayersModel, dataset: Dataset, batchSize: number): number {
  const val = dataset.splits.val;
  if (val.size === 0) return NaN;
  const warm = val.batch(Array.from({ length: Math.min(batchSize, val.size) }, (_, i) => i));
  tf.tidy(() => (model.predict(batchInputs(warm)) as tf.Tensor).dataSync());
  const started = performance.now();
  predictSplit(model, dataset, val, batchSize);
  return val.size / ((performance.now() - started) / 1000);
}

/** Trains the variants one after another (one process, one backend), each into `<outDir>/<variant>-<stamp>`. */
export async function race(config: Config, dataset: Dataset, o: RaceOptions): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  // every variant's start is the same fit, with the same notes: one dataset for all, so reports fit baselines once
  let noted: Dataset | undefined;
  for (const variant of o.variants) {
    const vConfig = variantConfig(config, variant);
    const model = buildModel(vConfig.model, shapeOf(dataset), config.seed);
    applyWeights(model, o.initial(variant), variant);
    try {
      const start = o.startSkip ? taskOf(dataset.task).startWeights(model, dataset, vConfig) : undefined;
      noted ??= withNotes(dataset, start?.notes ?? []);
      const run = await trainRun(
        {
          config: vConfig,
          dataset: noted,
          model,
          started: start?.started ?? false,
          anchor: start?.anchor,
        },
        { backend: o.backend, outDir: o.outDir, onEvent: (e) => o.onEvent?.(variant, e), interrupted: o.interrupted },
      );
      const history = run.state.history;
      const seconds = history.reduce((a, r) => a + r.seconds, 0);
      results.push({
        variant,
        params: countParams(model),
        runDir: run.runDir,
        stopReason: run.stopReason,
        history,
        bestEpoch: run.state.bestEpoch,
        scores: run.stopReason === 'interrupted' ? undefined : run.scores,
        secondsPerEpoch: history.length > 0 ? seconds / history.length : NaN,
        trainSamplesPerSec: trainingSamplesPerSec(history),
        inferenceSamplesPerSec: inferenceSpeed(model, dataset, config.train.batchSize),
      });
      if (run.stopReason === 'interrupted') break;
    } finally {
      model.dispose();
    }
  }
  return results;
}
