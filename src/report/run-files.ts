// What a run directory holds, read leniently: a run made by any version shows what it has and lists what it lacks.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { DataError } from '../errors.js';
import type { VegaLiteSpec } from '../charts/render.js';
import type { EvalMetrics } from '../task/types.js';

/** null: a split without examples (NaN in JSON) */
const SplitScore = z.looseObject({
  loss: z.number().nullable(),
  metric: z.number().nullable(),
  count: z.number().optional(),
});

/** summary.json: the fields the report shows; any version's extra fields pass through. */
const SummarySchema = z.looseObject({
  name: z.string(),
  task: z.enum(['forecast', 'classify']),
  metric: z.string(),
  metricScope: z.string().optional(),
  model: z.looseObject({
    impl: z.string(),
    kernel: z.string().optional(),
    bidirectional: z.boolean(),
    hiddenSize: z.number(),
    layers: z.number(),
    dropout: z.number().optional(),
  }),
  data: z
    .looseObject({
      file: z.string(),
      rows: z.number(),
      features: z.array(z.string()),
      targets: z.array(z.string()).optional(),
      classes: z.array(z.string()).optional(),
      sizes: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
  epochs: z.number(),
  bestEpoch: z.number().optional(),
  stopReason: z.string().optional(),
  final: z.record(z.string(), SplitScore).optional(),
  wallSeconds: z.number().optional(),
  backend: z.string().optional(),
  params: z.number().optional(),
  versions: z.record(z.string(), z.string()).optional(),
});
export type RunSummary = z.infer<typeof SummarySchema>;

const EvalSchema = z.looseObject({
  task: z.enum(['forecast', 'classify']),
  split: z.string(),
  count: z.number(),
  checkpoint: z.string().optional(),
  epoch: z.number().optional(),
});

const GatesSchema = z.looseObject({
  split: z.string(),
  count: z.number(),
  summary: z.array(
    z.looseObject({
      layer: z.number(),
      direction: z.string(),
      gate: z.string(),
      mean: z.number(),
      saturated: z.number(),
    }),
  ),
});
export type GatesFile = z.infer<typeof GatesSchema>;

export interface NamedSpec {
  name: string;
  spec: VegaLiteSpec;
}

export interface RunFiles {
  dir: string;
  summary: RunSummary;
  /** config.json as written (the resolved config) */
  config?: unknown;
  loss?: VegaLiteSpec;
  eval?: { metrics: EvalMetrics & { checkpoint?: string; epoch?: number }; charts: NamedSpec[] };
  gates?: { file: GatesFile; charts: NamedSpec[] };
  /** what a report of a run made today has and this one lacks, in words */
  missing: string[];
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DataError(path, `expected JSON, found text that does not parse (${(e as Error).message})`);
  }
}

function parseFile<T>(path: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(readJson(path));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  throw new DataError(path, `${at}: ${issue.message}`, 'the report reads the files lstm-train wrote; restore them');
}

/** The .vl.json specs in `dir`, those named in `first` first (in that order), then the rest by name. */
function specsIn(dir: string, first: string[] = []): NamedSpec[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.vl.json'))
    .map((f) => f.slice(0, -'.vl.json'.length));
  const rank = (n: string) => (first.includes(n) ? first.indexOf(n) : first.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
  return names.map((name) => ({ name, spec: readJson(join(dir, `${name}.vl.json`)) as VegaLiteSpec }));
}

export const isRunDir = (dir: string) => existsSync(join(dir, 'summary.json'));

export function readRunDir(dir: string): RunFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new DataError(dir, 'expected a run directory, found none');
  const summaryPath = join(dir, 'summary.json');
  if (!existsSync(summaryPath))
    throw new DataError(
      dir,
      'expected a run directory with summary.json (lstm-train writes it when a run ends), found none',
      existsSync(join(dir, 'config.json')) ? 'the run has not finished: resume it with lstm-train --resume' : undefined,
    );
  const summary = parseFile(summaryPath, SummarySchema);
  const missing: string[] = [];
  const config = existsSync(join(dir, 'config.json')) ? readJson(join(dir, 'config.json')) : undefined;
  if (config === undefined) missing.push('config.json (the resolved config)');
  const lossPath = join(dir, 'loss.vl.json');
  const loss = existsSync(lossPath) ? (readJson(lossPath) as VegaLiteSpec) : undefined;
  if (loss === undefined) missing.push('loss.vl.json (the loss curves)');
  if (summary.data === undefined) missing.push("the data summary in summary.json (written since the model card's v2)");
  const evalPath = join(dir, 'eval', 'report.json');
  let evaluation: RunFiles['eval'];
  if (existsSync(evalPath)) {
    const metrics = parseFile(evalPath, EvalSchema) as unknown as NonNullable<RunFiles['eval']>['metrics'];
    evaluation = { metrics, charts: specsIn(join(dir, 'eval'), ['predictions', 'mae-by-step', 'confusion']) };
  } else missing.push('eval/ (the metrics with their baselines and the prediction chart, written at the end of a run)');
  const gatesPath = join(dir, 'gates', 'gates.json');
  const gates = existsSync(gatesPath)
    ? {
        file: parseFile(gatesPath, GatesSchema),
        charts: specsIn(join(dir, 'gates')).sort((a, b) => gateRank(a.name) - gateRank(b.name)),
      }
    : undefined;
  return { dir, summary, config, loss, eval: evaluation, gates, missing };
}

/** The examples' heatmaps first, then the split's saturation and distribution. */
const gateRank = (name: string) => (name === 'gates-saturation' ? 1 : name === 'gates-distribution' ? 2 : 0);

export const runName = (dir: string, summary: RunSummary) => `${summary.name} (${basename(dir)})`;
