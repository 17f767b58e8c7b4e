/**
 * The model card: the schema of a checkpoint's meta.json, parsed wherever a checkpoint is read. It holds what a
 * model needs besides its weights to be used alone (the resolved config, the fitted scalers and label map, the
 * time axis) and to resume its run exactly (the training state), and where it came from (backend, versions).
 *
 * meta.json's `formatVersion` is the checkpoint store's (checkpoint.ts, 1); `cardVersion` is this schema's. Cards
 * written before it existed have no cardVersion (card 1): they are read by cardV1 and upgraded in memory.
 */
import { z } from 'zod';
import { configSchema, type DataConfig } from '../config/schema.js';
import { formatIssues } from '../config/format-issues.js';
import type { Intervals, Scaler } from '../data/types.js';
import type { Category } from '../data/features.js';
import type { Frequency, TimeForm } from '../data/time.js';
import { CheckpointError } from '../errors.js';
import { peerFitsSchema } from './peer-fits.js';

export const CARD_VERSION = 2;
export const SUPPORTED_CARD_VERSIONS: readonly number[] = [1, 2];

/** JSON writes NaN and ±Infinity as null: a number that may have been one of those reads back as `ifNull`. */
const jsonNumber = (ifNull: number) =>
  z
    .number()
    .nullable()
    .transform((v) => v ?? ifNull);
const count = () => z.number().int().nonnegative();

export const scalerSchema = z
  .object({
    kind: z.enum(['zscore', 'minmax', 'none']),
    columns: z.array(z.string()),
    offset: z.array(z.number()),
    scale: z.array(z.number()),
  })
  .strict()
  .refine((s) => s.offset.length === s.columns.length && s.scale.length === s.columns.length, {
    error: 'expected one offset and one scale per column',
  }) satisfies z.ZodType<Scaler>;

export const historyRowSchema = z
  .object({
    epoch: count(),
    trainLoss: jsonNumber(NaN),
    valLoss: jsonNumber(NaN),
    /** the task's headline metric: MAE in original units (forecast) or accuracy (classify) */
    trainMetric: jsonNumber(NaN),
    valMetric: jsonNumber(NaN),
    learningRate: z.number(),
    seconds: jsonNumber(NaN),
    samplesPerSec: jsonNumber(NaN),
  })
  .strict();

/** The part of an epoch already done when a run was interrupted mid-epoch. */
export const epochProgressSchema = z
  .object({
    epochSeed: count(),
    batchesDone: count(),
    /** the epoch generator's state after `batchesDone` batches (it draws the dropout seeds) */
    epochRngState: count(),
    lossSum: z.number(),
    metricSum: z.number(),
    samples: count(),
    seconds: z.number(),
  })
  .strict();

export const trainStateSchema = z
  .object({
    /** epochs completed */
    epoch: count(),
    /** the run generator's state: draws each epoch's seed */
    rngState: count(),
    /** Infinity before the first epoch (written as null) */
    bestValLoss: jsonNumber(Infinity),
    bestEpoch: count(),
    /** epochs since the last improvement */
    wait: count(),
    history: z.array(historyRowSchema),
    inProgress: epochProgressSchema.optional(),
    /** the start's val scores, when it was scored as epoch 0 (a forecaster's linear skip) */
    start: z.object({ valLoss: z.number(), valMetric: z.number() }).strict().optional(),
    /** a layer the run holds near its start, and how strongly (Infinity, written as null: not trained); a resume keeps it */
    anchor: z
      .object({ layer: z.string(), strength: jsonNumber(Infinity) })
      .strict()
      .optional(),
  })
  .strict();

export type HistoryRow = z.output<typeof historyRowSchema>;
export type EpochProgress = z.output<typeof epochProgressSchema>;
export type TrainState = z.output<typeof trainStateSchema>;

const timeFormSchema = z.union([
  z.object({ kind: z.literal('number') }).strict(),
  z.object({ kind: z.literal('date'), pattern: z.string().optional() }).strict(),
  z
    .object({
      kind: z.literal('datetime'),
      pattern: z.string().optional(),
      separator: z.enum(['T', ' ']),
      seconds: z.boolean(),
      fraction: count(),
      zone: z.string(),
    })
    .strict(),
]) satisfies z.ZodType<TimeForm>;

const frequencySchema = z.union([
  z.object({ unit: z.literal('fixed'), step: z.number().positive() }).strict(),
  z.object({ unit: z.literal('month'), step: z.number().int().positive(), monthEnd: z.boolean() }).strict(),
]) satisfies z.ZodType<Frequency>;

export const intervalsSchema = z
  .object({
    levels: z.array(z.number().gt(0).lt(1)).min(1),
    /** half-widths in original units [level][lead][target]; Infinity (null) where val was too small for the level */
    widths: z.array(z.array(z.array(jsonNumber(Infinity)))),
    windows: count(),
    /** scaleBy "series": widths in units of each series' target scale, so a small series gets narrow intervals */
    perSeries: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<Intervals>;

/** A forecaster's own: the steps its head predicts, its time column's form and step, its intervals. */
const fittedForecastSchema = z
  .object({
    leads: z.array(z.number().int().positive()).min(1),
    time: z.object({ form: timeFormSchema, frequency: frequencySchema.optional() }).strict().optional(),
    intervals: intervalsSchema.optional(),
    /** scaleBy "series": each training series' scalers, by name */
    seriesScalers: z
      .record(z.string(), z.object({ featureScaler: scalerSchema, targetScaler: scalerSchema }).strict())
      .optional(),
    /** data.futureFeatures: the shift, the columns and their scaler (numeric) or levels (categorical) */
    future: z
      .object({
        shift: z.number().int().positive(),
        numeric: z.array(z.string()),
        categories: z.array(z.object({ column: z.string(), levels: z.array(z.string()) }).strict()),
        scaler: scalerSchema,
      })
      .strict()
      .optional(),
    /** the statistical peers fitted on the training data (absent in cards written before them: refitted) */
    peers: peerFitsSchema.optional(),
  })
  .strict();

/** data.categorical's vocabularies, fitted on the training split: one input per level. */
const categorySchema = z
  .object({ column: z.string(), levels: z.array(z.string()) })
  .strict() satisfies z.ZodType<Category>;

/** The scalers and label map fitted on the training split, applied unchanged to any later data. */
export const fittedSchema = z
  .object({
    featureScaler: scalerSchema,
    /** forecast only */
    targetScaler: scalerSchema.optional(),
    /** classify: the labels in class-index order; forecast: [] */
    classes: z.array(z.string()),
    forecast: fittedForecastSchema.optional(),
    categories: z.array(categorySchema).optional(),
  })
  .strict();

const provenance = {
  /** the epoch whose weights these are */
  epoch: count(),
  /** the config the run was started with, every default filled in and paths absolute */
  config: configSchema,
  fitted: fittedSchema,
  /** the model's time axis: the window (forecast) or the longest training sequence (classify) */
  steps: z.number().int().positive(),
  /** this epoch's history row (null before the first epoch ends) */
  metrics: historyRowSchema.nullable(),
  bestEpoch: count(),
  trainState: trainStateSchema,
  backend: z.string(),
  versions: z.record(z.string(), z.string()),
};

const cardV2 = z
  .object({
    formatVersion: z.literal(1),
    cardVersion: z.literal(2),
    kind: z.literal('lstm-train-checkpoint'),
    ...provenance,
  })
  .strict();

/** meta.json as lstm-train wrote it before the card had a schema: the Dataset's fields copied one by one. */
const cardV1 = z.looseObject({
  formatVersion: z.literal(1),
  kind: z.literal('lstm-train-checkpoint'),
  epoch: count(),
  config: configSchema,
  featureScaler: scalerSchema,
  targetScaler: scalerSchema.optional(),
  classes: z.array(z.string()),
  steps: z.number().int().positive(),
  metrics: historyRowSchema.nullable(),
  bestEpoch: count(),
  trainState: trainStateSchema.optional(),
  backend: z.string(),
  versions: z.record(z.string(), z.string()),
});

/** A card as read: `cardVersion` says which version wrote it (1: before this schema, upgraded on reading). */
export type ModelCard = Omit<z.output<typeof cardV2>, 'cardVersion' | 'formatVersion' | 'trainState'> & {
  cardVersion: 1 | 2;
  /** absent only in the oldest cards, which cannot be resumed */
  trainState?: TrainState;
};

/** What a run writes: a card of the current version (the store adds formatVersion). */
export function storedCard(card: Omit<ModelCard, 'cardVersion'>): Record<string, unknown> {
  return Object.assign({ cardVersion: CARD_VERSION }, card, { cardVersion: CARD_VERSION });
}

/** The card's fields against `schema`; a field that does not match is a CheckpointError naming it. */
function parseWith<S extends z.ZodType>(schema: S, meta: Record<string, unknown>, path: string, version: number) {
  const parsed = schema.safeParse(meta);
  if (parsed.success) return parsed.data;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  throw new CheckpointError(
    path,
    `not a model card lstm-train can read (card ${version}): ${formatIssues(parsed.error.issues, meta, json).join('; ')}`,
    'was it edited by hand, or written by another tool?',
  );
}

/** Parses meta.json's object into a typed card; `path` names the file in errors. */
export function parseCard(stored: Record<string, unknown>, path: string): ModelCard {
  const meta = withDefaultsOfItsTime(stored);
  const version = meta.cardVersion ?? 1;
  if (version === 1) return fromV1(parseWith(cardV1, meta, path, 1));
  if (version === 2) return fromV2(parseWith(cardV2, meta, path, 2));
  throw new CheckpointError(
    path,
    `cardVersion ${JSON.stringify(version)} is not supported: this lstm-train reads model cards ${SUPPORTED_CARD_VERSIONS.join(', ')}`,
    'use the lstm-train version that wrote it (meta.json "versions"), or train the model again',
  );
}

/**
 * What a card's config leaves unsaid meant what the defaults of its time were: no model.linearSkip, a model written
 * before the skip existed (none, whatever today's default); no model.impl, tfjs's builtin layer (the default before
 * the fused hand kernel became it). Filled in before parsing, so today's defaults never change an old model. (No
 * data.windowLevel parses as "auto", which a loaded card reads as standardize, the default before it.)
 */
function withDefaultsOfItsTime(meta: Record<string, unknown>): Record<string, unknown> {
  const config = meta.config as { model?: Record<string, unknown> } | undefined;
  if (typeof config !== 'object' || config === null) return meta;
  const model = config.model ?? {};
  const said = { linearSkip: false, impl: 'builtin', ...model };
  return { ...meta, config: { ...config, model: said } };
}

function fromV2(card: z.output<typeof cardV2>): ModelCard {
  const { formatVersion: _, ...rest } = card;
  return { ...rest, cardVersion: 2 };
}

type V1Meaning<D extends DataConfig> = (data: D) => { data: DataConfig; forecast?: { leads: number[] } };

/** What a card-1 config meant, by task: a forecaster predicted the single step `horizon` ahead, from absolute levels. */
const V1_MEANT: { [N in DataConfig['task']]: V1Meaning<Extract<DataConfig, { task: N }>> } = {
  forecast: (data) => ({ data: { ...data, windowLevel: 'absolute' }, forecast: { leads: [data.horizon] } }),
  classify: (data) => ({ data }),
};

/**
 * Card 1 repeated the Dataset's fields (task, names, masked) and config.data; only what is not derived is kept. Its
 * config meant what it did then: a forecaster predicted the single step `horizon` ahead, from absolute levels.
 */
function fromV1(v1: z.output<typeof cardV1>): ModelCard {
  const { data, forecast } = (V1_MEANT[v1.config.data.task] as V1Meaning<DataConfig>)(v1.config.data);
  const config = { ...v1.config, data };
  return {
    cardVersion: 1,
    kind: v1.kind,
    epoch: v1.epoch,
    config,
    fitted: { featureScaler: v1.featureScaler, targetScaler: v1.targetScaler, classes: v1.classes, forecast },
    steps: v1.steps,
    metrics: v1.metrics,
    bestEpoch: v1.bestEpoch,
    trainState: v1.trainState,
    backend: v1.backend,
    versions: v1.versions,
  };
}
