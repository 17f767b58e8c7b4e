// Measures ONNX Runtime inference of one (workload, direction) in a fresh process: the model lstm-export writes.
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { modelSchema } from '../src/config/schema.js';
import { onnxModel } from '../src/models/onnx-graph.js';
import { buildModel } from '../src/models/build.js';
import { taskOf } from '../src/task/index.js';
import { median, WORKLOADS, type BenchRow, type Direction, type WorkloadName } from './workloads.js';

export interface OnnxCaseArgs {
  workload: WorkloadName;
  direction: Direction;
  reps: number;
  /** ONNX Runtime's intra-op threads (torch_lstm.py runs on 2) */
  threads: number;
}

/** The least time the timed runs span, and the most runs: as bench/case.ts's MIN_WINDOW_MS. */
const MIN_WINDOW_MS = 2000;
const MAX_RUNS = 500;

/** Median ms per `f()` over at least `reps` runs and MIN_WINDOW_MS, after a warm-up of half that. */
async function medianMs(f: () => Promise<unknown>, reps: number): Promise<number> {
  const warm = performance.now();
  for (let i = 0; i < 2 || (performance.now() - warm < MIN_WINDOW_MS / 2 && i < MAX_RUNS); i++) await f();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < reps || (performance.now() - start < MIN_WINDOW_MS && times.length < MAX_RUNS)) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function runOnnxCase(a: OnnxCaseArgs): Promise<BenchRow[]> {
  await tf.setBackend('cpu'); // only to build the model and read its weights
  const w = WORKLOADS[a.workload];
  const config = modelSchema.parse({ impl: 'builtin', bidirectional: a.direction === 'bi', hiddenSize: w.hidden });
  const shape = { steps: w.steps, features: w.features, outputSize: w.outputs, masked: false };
  const model = buildModel(config, shape, 1);
  const bytes = onnxModel(model, config, shape, taskOf(w.task).head, {});
  model.dispose();
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: a.threads, interOpNumThreads: 1 });
  const x = Float32Array.from({ length: w.batch * w.steps * w.features }, (_, i) => Math.sin(i));
  const feeds = { x: new ort.Tensor('float32', x, [w.batch, w.steps, w.features]) };
  const ms = await medianMs(() => session.run(feeds), a.reps);
  await session.release();
  return [
    {
      workload: w.name,
      impl: 'onnx',
      direction: a.direction,
      phase: 'infer',
      samplesPerSec: Math.round((w.batch / ms) * 1000 * 10) / 10,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      threads: a.threads,
    },
  ];
}

// As a child process: `tsx bench/onnx.ts '<OnnxCaseArgs json>'` prints the rows as one JSON line.
if (process.argv[1]?.endsWith('onnx.ts')) {
  runOnnxCase(JSON.parse(process.argv[2]) as OnnxCaseArgs)
    .then((rows) => console.log(JSON.stringify(rows)))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exitCode = 1;
    });
}
