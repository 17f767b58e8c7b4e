// lstm-eval --gates: chosen examples' gates layer by layer, and every gate's activations over the whole split.
import * as tf from '@tensorflow/tfjs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Batch, Dataset, SplitData } from '../data/types.js';
import { UsageError } from '../errors.js';
import { traceModel, type LayerTrace } from '../models/gate-trace.js';
import {
  distributionSpec,
  gateHeatmapSpec,
  GATES,
  QUANTITIES,
  saturationSpec,
  type ExampleTrace,
  type Gate,
  type GateExample,
  type GateSummary,
} from '../charts/gates-plot.js';
import { writePlot } from '../charts/render.js';
import { batchInputs } from '../task/batch.js';
import { taskOf } from '../task/index.js';
import type { Evaluation } from '../task/evaluate.js';

export interface Gates {
  split: string;
  /** examples in the split, all of which the summary covers */
  count: number;
  features: string[];
  examples: GateExample[];
  summary: GateSummary[];
}

/** --ids (the split's own ids, as lstm-eval's predictions name them) or the first `count` examples. */
export function chooseExamples(split: SplitData, count: number, ids?: string[]): number[] {
  if (ids === undefined) return Array.from({ length: Math.min(count, split.size) }, (_, i) => i);
  const index = new Map(split.ids.map((id, i) => [String(id), i]));
  const unknown = ids.filter((id) => !index.has(id));
  if (unknown.length > 0) {
    const some = split.ids.slice(0, 5).join(', ');
    throw new UsageError(
      `--ids: expected ids of the ${split.name} split (its first: ` +
        `${some}${split.size > 5 ? ', …' : ''}), got ${unknown.map((u) => JSON.stringify(u)).join(', ')}`,
    );
  }
  return ids.map((id) => index.get(id)!);
}

/** How many steps of each example are real: all of them, or as many as its mask says. */
const lengths = (batch: Batch) =>
  Array.from({ length: batch.batchSize }, (_, b) => {
    if (!batch.mask) return batch.steps;
    let n = 0;
    for (let t = 0; t < batch.steps; t++) n += batch.mask[b * batch.steps + t];
    return n;
  });

/** The traces of one batch, for each layer and direction, as plain arrays [example][step][unit]. */
function traced(model: tf.LayersModel, batch: Batch): { where: LayerTrace; arrays: Record<string, number[][][]> }[] {
  const inputs = batchInputs(batch);
  const mask = Array.isArray(inputs) ? (inputs[1] as tf.Tensor2D) : undefined;
  const traces = traceModel(model, inputs, mask);
  const out = traces.map((t) => ({
    where: t,
    arrays: Object.fromEntries(QUANTITIES.map((q) => [q, t.trace[q].arraySync()])),
  }));
  traces.forEach((t) => tf.dispose(Object.values(t.trace)));
  tf.dispose(inputs);
  return out;
}

/** The chosen examples' gates, each with its inputs and `caption(index)` (its truth and prediction). */
export function exampleGates(
  model: tf.LayersModel,
  dataset: Dataset,
  split: SplitData,
  indices: number[],
  caption: (index: number) => string,
): GateExample[] {
  if (indices.length === 0) return [];
  const batch = split.batch(indices);
  const valid = lengths(batch);
  const layers = traced(model, batch);
  const round = (v: number) => Number(v.toPrecision(5));
  return indices.map((index, b) => {
    const steps = valid[b];
    const inputs = Array.from({ length: steps }, (_, t) =>
      Array.from(
        batch.x.subarray((b * batch.steps + t) * batch.features, (b * batch.steps + t + 1) * batch.features),
        round,
      ),
    );
    const traces: ExampleTrace[] = layers.map(({ where, arrays }) => ({
      layer: where.layer,
      direction: where.direction,
      values: Object.fromEntries(
        QUANTITIES.map((q) => [q, arrays[q][b].slice(0, steps).map((row) => row.map(round))]),
      ) as ExampleTrace['values'],
    }));
    return {
      id: split.ids[index],
      caption: caption(index),
      length: steps,
      features: dataset.featureNames,
      inputs,
      layers: traces,
    };
  });
}

const BINS = 20;
const LOW = 0.05;
const HIGH = 0.95;

/** Accumulates one gate's histogram and saturation counts over batches. */
class GateTally {
  readonly counts = new Float64Array(BINS);
  readonly saturatedAt: Float64Array;
  readonly seenAt: Float64Array;
  sum = 0;
  n = 0;
  constructor(
    readonly gate: Gate,
    steps: number,
  ) {
    this.saturatedAt = new Float64Array(steps);
    this.seenAt = new Float64Array(steps);
  }
  /** the candidate g lives on (−1, 1), the gates on (0, 1) */
  private get tanh() {
    return this.gate === 'g';
  }
  add(v: number, t: number): void {
    const unit = this.tanh ? (v + 1) / 2 : v; // onto [0, 1] for the bins
    this.counts[Math.min(BINS - 1, Math.max(0, Math.floor(unit * BINS)))]++;
    const saturated = this.tanh ? Math.abs(v) > HIGH : v < LOW || v > HIGH;
    if (saturated) this.saturatedAt[t]++;
    this.seenAt[t]++;
    this.sum += v;
    this.n++;
  }
  summary(layer: number, direction: 'forward' | 'backward'): GateSummary {
    const [lo, hi] = this.tanh ? [-1, 1] : [0, 1];
    const share = (x: number, of: number) => (of > 0 ? Number((x / of).toPrecision(5)) : NaN);
    return {
      layer,
      direction,
      gate: this.gate,
      mean: share(this.sum, this.n),
      saturated: share(
        this.saturatedAt.reduce((a, b) => a + b, 0),
        this.n,
      ),
      saturatedByStep: Array.from(this.saturatedAt, (s, t) => share(s, this.seenAt[t])),
      edges: Array.from({ length: BINS + 1 }, (_, k) => Number((lo + ((hi - lo) * k) / BINS).toPrecision(5))),
      shares: Array.from(this.counts, (c) => share(c, this.n)),
    };
  }
}

/** Every gate of every layer and direction over the whole split (valid steps only), batch by batch. */
export function gateSummary(model: tf.LayersModel, split: SplitData, batchSize: number): GateSummary[] {
  let tallies: { where: LayerTrace; gates: GateTally[] }[] = [];
  for (let start = 0; start < split.size; start += batchSize) {
    const batch = split.batch(Array.from({ length: Math.min(batchSize, split.size - start) }, (_, k) => start + k));
    const valid = lengths(batch);
    const inputs = batchInputs(batch);
    const traces = traceModel(model, inputs, Array.isArray(inputs) ? (inputs[1] as tf.Tensor2D) : undefined);
    if (tallies.length === 0)
      tallies = traces.map((where) => ({ where, gates: GATES.map((g) => new GateTally(g, batch.steps)) }));
    traces.forEach((t, k) =>
      tallies[k].gates.forEach((tally) => {
        const values = t.trace[tally.gate].dataSync(); // [batch, time, hidden]
        const hidden = t.trace[tally.gate].shape[2];
        for (let b = 0; b < batch.batchSize; b++)
          for (let step = 0; step < valid[b]; step++) {
            const at = (b * batch.steps + step) * hidden;
            for (let u = 0; u < hidden; u++) tally.add(values[at + u], step);
          }
      }),
    );
    traces.forEach((t) => tf.dispose(Object.values(t.trace)));
    tf.dispose(inputs);
  }
  return tallies.flatMap(({ where, gates }) => gates.map((g) => g.summary(where.layer, where.direction)));
}

/**
 * gates.json and the charts: a heatmap figure per example, layer and direction, the saturation and distribution,
 * each titled after `name` (the run's).
 */
export async function writeGates(dir: string, gates: Gates, name: string, bidirectional: boolean): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'gates.json');
  await writeFile(json, JSON.stringify(gates) + '\n', 'utf8');
  const files = [json];
  const opts = { bidirectional };
  for (const ex of gates.examples)
    for (const trace of ex.layers) {
      const file = `gates-${String(ex.id).replace(/[^\w.-]+/g, '_')}-layer${trace.layer}${bidirectional ? `-${trace.direction}` : ''}`;
      files.push(
        ...(await writePlot(dir, file, gateHeatmapSpec(ex, trace, { ...opts, title: `${name}: LSTM gates` }))),
      );
    }
  const over = `${gates.split} split, ${gates.count} examples`;
  files.push(
    ...(await writePlot(
      dir,
      'gates-saturation',
      saturationSpec(gates.summary, {
        ...opts,
        title: `${name}: saturated gates by time step`,
        subtitle: `${over}; saturated: below 0.05 or above 0.95 (the candidate g: beyond ±0.95)`,
      }),
    )),
    ...(await writePlot(
      dir,
      'gates-distribution',
      distributionSpec(gates.summary, { ...opts, title: `${name}: gate activations`, subtitle: over }),
    )),
  );
  return files;
}

/** Everything --gates computes for an evaluation: the chosen examples and the summary over its whole split. */
export function computeGates(
  model: tf.LayersModel,
  dataset: Dataset,
  e: Evaluation,
  o: { examples: number; ids?: string[]; batchSize: number },
): Gates {
  const indices = chooseExamples(e.split, o.examples, o.ids);
  return {
    split: e.split.name,
    count: e.split.size,
    features: dataset.featureNames,
    examples: exampleGates(model, dataset, e.split, indices, (i) =>
      taskOf(dataset.task).caption(e.predictions, dataset, i),
    ),
    summary: gateSummary(model, e.split, o.batchSize),
  };
}
