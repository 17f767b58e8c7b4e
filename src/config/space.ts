// lstm-tune's search space: which config fields to vary and over what, validated against the config schema itself.
import { z } from 'zod';
import { ConfigError, describeValue } from '../errors.js';
import { formatPath, valueAt } from './format-issues.js';
import { parseConfig } from './load.js';
import { classifyDataSchema, forecastDataSchema } from './schema.js';

const got = (iss: { input?: unknown }) => `got ${describeValue(iss.input)}`;

const choice = z.object({ choice: z.array(z.unknown()).min(1, { error: 'expected at least one choice' }) }).strict();
const range = z
  .object({
    range: z.tuple([z.number(), z.number()], { error: (iss) => `expected [low, high], ${got(iss)}` }),
    log: z.boolean().default(false).describe('sample uniformly in log space (learning rates)'),
    int: z.boolean().default(false).describe('whole numbers from low to high, both included'),
  })
  .strict()
  .superRefine((r, ctx) => {
    const [low, high] = r.range;
    if (!(low < high))
      ctx.addIssue({ code: 'custom', path: ['range'], message: `expected low < high, got [${low}, ${high}]` });
    if (r.log && low <= 0)
      ctx.addIssue({ code: 'custom', path: ['range'], message: `expected low > 0 for a log range, got ${low}` });
    if (r.int && !(Number.isInteger(low) && Number.isInteger(high)))
      ctx.addIssue({
        code: 'custom',
        path: ['range'],
        message: `expected whole numbers for an int range, got [${low}, ${high}]`,
      });
  });
export const paramSchema = z.union([choice, range], {
  error: (iss) => `expected {"choice": [...]} or {"range": [low, high], "log"?, "int"?}, ${got(iss)}`,
});
export type ParamSpec = z.infer<typeof paramSchema>;

export const METHODS = ['halving', 'random'] as const;

export const spaceSchema = z
  .object({
    params: z
      .record(z.string().min(1), paramSchema)
      .refine((p) => Object.keys(p).length > 0, { error: 'expected at least one parameter' })
      .describe('config fields by dotted path ("model.hiddenSize"), each a choice or a range'),
    method: z
      .enum(METHODS)
      .default('halving')
      .describe(
        'halving: successive halving (all trials at minEpochs, the best 1/eta go on, …); random: every trial trains fully',
      ),
    trials: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe('trials in the study; trial 1 is the base config as it is'),
    eta: z.number().int().min(2).default(3).describe('halving: 1/eta of the trials go on to eta times the epochs'),
    minEpochs: z.number().int().positive().default(1).describe('halving: epochs of the first rung'),
    seed: z.number().int().nonnegative().default(0).describe("the sampler's seed (trials keep the base config's seed)"),
  })
  .strict();
export type Space = z.infer<typeof spaceSchema>;

/** Fields a study cannot vary: they change what the val score measures, or are the study's own. */
const FIXED: Record<string, string> = {
  name: 'the study names its trials',
  backend: 'a backend changes speed, not the model',
  wasmKernels: 'kernels change speed, not the model',
  wasmThreads: 'threads change speed, not the model',
  output: 'the study places its trials',
  'data.task': 'the task is what is scored',
  'data.path': 'the data is what is scored',
  'data.split': 'the val split must be the same for every trial',
  'data.targets': 'the targets are what is scored',
  'data.horizon': 'the horizon is what is scored',
  'data.label': 'the label is what is scored',
  'data.seriesId': 'the series are what is scored',
  'data.time': 'the timeline must be the same for every trial',
  'train.epochs': "the study sets the epochs (the base config's train.epochs is the most a trial trains)",
};

export function setAt(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  const root = structuredClone(target);
  let node = root;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return root;
}

/** The value at a dotted path ("model.hiddenSize"). */
export const getAt = (source: unknown, path: string): unknown => valueAt(source, path.split('.'));

/** The values a check must accept: every choice, or a range's ends. */
const probes = (p: ParamSpec): unknown[] => ('choice' in p ? p.choice : p.range);

/** Each task's `data` fields, by task. */
const DATA_SHAPES: Record<string, object> = { forecast: forecastDataSchema.shape, classify: classifyDataSchema.shape };

/** Why the base config's task does not take `path`, when another task does. */
function otherTask(path: string, task: string): string | undefined {
  const [room, key] = path.split('.');
  if (room !== 'data' || key === undefined || !(task in DATA_SHAPES) || key in DATA_SHAPES[task]) return undefined;
  const other = Object.keys(DATA_SHAPES).find((name) => key in DATA_SHAPES[name]);
  return other === undefined ? undefined : `a ${other} field, and the base config is a ${task}`;
}

/**
 * Validates a space file's content against the base config (raw, as its file holds it): every value a parameter
 * can take must make a valid config, so no trial fails on its config. Problems name the space's JSON path (in the
 * config's `tune` block with `inConfig`).
 */
export function parseSpace(input: unknown, base: Record<string, unknown>, source: string, inConfig = false): Space {
  const parsed = spaceSchema.safeParse(input);
  const prefix = inConfig ? ['tune'] : [];
  if (!parsed.success)
    throw new ConfigError(
      source,
      parsed.error.issues.map(
        (i) => `${formatPath([...prefix, ...i.path]).replace('(config)', '(space)')}: ${i.message}`,
      ),
    );
  const task = String(getAt(base, 'data.task'));
  const problems: string[] = [];
  for (const [path, spec] of Object.entries(parsed.data.params)) {
    const at = `${inConfig ? 'tune.' : ''}params["${path}"]`;
    const fixed = Object.entries(FIXED).find(([f]) => path === f || path.startsWith(`${f}.`));
    if (fixed) {
      problems.push(`${at}: not a parameter a study can vary: ${fixed[1]}`);
      continue;
    }
    const other = otherTask(path, task);
    if (other) {
      problems.push(`${at}: not a field the base config takes: ${other}`);
      continue;
    }
    for (const value of probes(spec)) {
      try {
        parseConfig(setAt(base, path, value), 'x');
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(...e.problems.map((p) => `${at} = ${describeValue(value)}: ${p}`));
        break;
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  return parsed.data;
}
