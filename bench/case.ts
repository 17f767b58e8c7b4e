// Measures one (workload, impl, direction) in a fresh process: inference then training samples/s and peak RSS.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.js';
import { modelSchema } from '../src/config/schema.js';
import { buildModel } from '../src/models/build.js';
import { taskOf } from '../src/task/index.js';
import {
  median,
  WORKLOADS,
  type BenchRow,
  type Direction,
  type Impl,
  type Workload,
  type WorkloadName,
} from './workloads.js';

export interface CaseArgs {
  workload: WorkloadName;
  impl: Exclude<Impl, 'torch' | 'onnx'>;
  direction: Direction;
  backend: 'wasm' | 'cpu' | 'tensorflow';
  reps: number;
  warmup: number;
  /**
   * wasm XNNPACK threads ('auto' as lstm-train resolves it for the model); builtin-stock always runs on tfjs's own
   * single-threaded build
   */
  threads: number | 'auto';
}

/**
 * Median wall-clock ms per call of `f`, over at least `reps` timed calls after at least `warmup` untimed ones.
 * With `minWindowMs`, the warm-up lasts at least half that and the timed calls at least that (at most 500 calls
 * each): the first tens of steps of a fast case run slower (V8 and the wasm engine optimise the hot code while it
 * runs; bench/README.md has the numbers), and a burst of load from elsewhere on a shared machine cannot cover
 * every sample, as it could a handful of short steps.
 */
export function medianMs(f: () => void, reps: number, warmup: number, minWindowMs = 0): number {
  const warmStart = performance.now();
  for (let i = 0; i < warmup || (performance.now() - warmStart < minWindowMs / 2 && i < 500); i++) f();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < reps || (performance.now() - start < minWindowMs && times.length < 500)) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** The least time each case's timed steps span; torch_lstm.py's repetitions of 20 batches span about as long. */
const MIN_WINDOW_MS = 2000;

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB
}

function modelConfig(w: Workload, impl: CaseArgs['impl'], direction: Direction) {
  return modelSchema.parse({
    impl: impl.startsWith('hand') ? 'hand' : 'builtin',
    kernel: impl === 'hand-fused' ? 'fused' : 'reference',
    bidirectional: direction === 'bi',
    hiddenSize: w.hidden,
  });
}

function model(w: Workload, impl: CaseArgs['impl'], direction: Direction): tf.LayersModel {
  return buildModel(
    modelConfig(w, impl, direction),
    { steps: w.steps, features: w.features, outputSize: w.outputs, masked: false },
    1,
  );
}

/** Synthetic batch: inputs ~ N(0, 1); one-hot random classes or N(0, 1) targets. */
function batch(w: Workload): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const x = tf.randomNormal<tf.Rank.R3>([w.batch, w.steps, w.features], 0, 1, 'float32', 7);
  if (w.task === 'forecast') return { x, y: tf.randomNormal<tf.Rank.R2>([w.batch, w.outputs], 0, 1, 'float32', 8) };
  const classes = tf.randomUniform([w.batch], 0, w.outputs, 'int32', 9);
  return { x, y: tf.oneHot(classes, w.outputs).toFloat() as tf.Tensor2D };
}

export async function runCase(a: CaseArgs): Promise<BenchRow[]> {
  const kernels = a.impl === 'builtin-stock' ? 'stock' : 'fixed';
  const w = WORKLOADS[a.workload];
  const chosen = await selectBackend(
    a.backend,
    kernels,
    a.impl === 'builtin-stock' ? 1 : a.threads,
    modelConfig(w, a.impl, a.direction),
  );
  if (chosen.name !== a.backend) throw new Error(`asked for backend ${a.backend}, got ${chosen.name}`);
  const m = model(w, a.impl, a.direction);
  const optimizer = tf.train.adam(1e-3);
  const { x, y } = batch(w);
  const row = (phase: 'train' | 'infer', ms: number): BenchRow => ({
    workload: w.name,
    impl: a.impl,
    direction: a.direction,
    phase,
    samplesPerSec: Math.round((w.batch / ms) * 1000 * 10) / 10,
    peakRssMb: peakRssMb(),
    threads: chosen.wasmThreads ?? 0,
  });
  const inferMs = medianMs(
    () => tf.tidy(() => void (m.predict(x, { batchSize: w.batch }) as tf.Tensor).dataSync()),
    a.reps,
    a.warmup,
    MIN_WINDOW_MS,
  );
  const infer = row('infer', inferMs);
  const variables = m.trainableWeights.map((v) => v.read() as tf.Variable);
  const trainStep = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => taskOf(w.task).loss(m.apply(x, { training: true }) as tf.Tensor2D, y),
        variables,
      );
      optimizer.applyGradients(grads as { [name: string]: tf.Variable });
      value.dataSync();
    });
  const trainMs = medianMs(trainStep, a.reps, a.warmup, MIN_WINDOW_MS);
  return [infer, row('train', trainMs)];
}

// As a child process: `tsx bench/case.ts '<CaseArgs json>'` prints the rows as one JSON line.
if (process.argv[1]?.endsWith('case.ts')) {
  runCase(JSON.parse(process.argv[2]) as CaseArgs)
    .then((rows) => console.log(JSON.stringify(rows)))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exitCode = 1;
    });
}
