// The config schema: the single source of truth for the config's types, defaults, docs and error messages.
import { z } from 'zod';
import { DEFAULT_NA_VALUES } from '../util/na-values.js';
import { isTimePattern } from '../util/time-pattern.js';

const got = (iss: { input?: unknown }) => `got ${JSON.stringify(iss.input) ?? 'nothing'}`;
const positiveInt = () => {
  const error = (iss: { input?: unknown }) => `expected a positive integer, ${got(iss)}`;
  return z.number({ error }).int({ error }).positive({ error });
};
const nonNegativeInt = () => {
  const error = (iss: { input?: unknown }) => `expected a whole number ≥ 0, ${got(iss)}`;
  return z.number({ error }).int({ error }).nonnegative({ error });
};
const positiveNumber = () => {
  const error = (iss: { input?: unknown }) => `expected a number > 0, ${got(iss)}`;
  return z.number({ error }).positive({ error });
};
const fraction = () => {
  const error = (iss: { input?: unknown }) => `expected a number from 0 to 1, ${got(iss)}`;
  return z.number({ error }).min(0, { error }).max(1, { error });
};
const columnList = () => z.array(z.string().min(1)).min(1);

export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
/** tfjs's threaded wasm build pre-creates 8 workers for XNNPACK's pool. */
export const MAX_WASM_THREADS = 8;
/** data.calendar's features, each a cycle of the time column. */
export const CALENDAR_FEATURES = ['hourOfDay', 'dayOfWeek', 'dayOfMonth', 'dayOfYear', 'month'] as const;
export const wasmThreadsSchema = (() => {
  const error = (iss: { input?: unknown }) =>
    `expected "auto" or a whole number from 1 to ${MAX_WASM_THREADS}, ${got(iss)}`;
  return z.union([z.literal('auto'), z.number().int({ error }).min(1, { error }).max(MAX_WASM_THREADS, { error })], {
    error,
  });
})();

const split = z
  .object({
    train: fraction().default(0.7).describe('fraction of rows (forecast) or sequences (classify) used for training'),
    val: fraction().default(0.15).describe('fraction used for validation (early stopping, best checkpoint)'),
    test: fraction().default(0.15).describe('fraction held out for the final test metrics'),
  })
  .strict()
  .refine((s) => Math.abs(s.train + s.val + s.test - 1) < 1e-6, {
    error: (iss) => `expected train + val + test to sum to 1, got ${sumOf(iss.input)}`,
  })
  .refine((s) => s.train > 0 && s.val > 0, { error: 'expected train > 0 and val > 0' })
  .describe('how the data is split; forecast splits chronologically, classify by a seeded stratified shuffle');

/** A forecast split by rows: the last `test` rows of each series, the `val` rows before them, training the rest. */
const splitCounts = z
  .object({
    val: positiveInt().describe(
      'forecast, by rows: the rows of each series before its test rows, for validation (early stopping, intervals)',
    ),
    test: nonNegativeInt().describe('forecast, by rows: the last rows of each series, held out for the test metrics'),
  })
  .strict()
  .describe(
    "forecast, split by rows: each val or test window's targets lie in its split and its inputs may read the rows " +
      'before it (the forecasting protocol: hold out the last rows, forecast them from all the history before)',
  );

function sumOf(s: unknown): string {
  const o = s as Record<string, number>;
  return String(Math.round(((o.train ?? 0) + (o.val ?? 0) + (o.test ?? 0)) * 1e6) / 1e6);
}

const dataCommon = {
  path: z.string().min(1).describe('the CSV file, relative to the config file'),
  features: columnList()
    .optional()
    .describe(
      'input columns; default: every numeric column that is not a target, label, id or order column ' +
        "(a forecast run notes when that leaves out the targets' past or takes in a column that counts up like a time index)",
    ),
  normalize: z
    .enum(['zscore', 'minmax', 'none'])
    .default('zscore')
    .describe('feature scaling, fitted on the training split only and stored in the checkpoint'),
  missing: z
    .enum(['error', 'drop', 'ffill'])
    .default('error')
    .describe('what an empty cell does: stop with an error, drop its row, or carry the previous value forward'),
  naValues: z
    .array(z.string())
    .default([...DEFAULT_NA_VALUES])
    .describe(
      "cells of a number column read as missing values (as an empty cell, handled by data.missing): pandas' " +
        'na_values by default (NA, N/A, NaN, null, NULL, None, #N/A, …); [] for the empty cell alone',
    ),
};

export const forecastDataSchema = z
  .object({
    task: z.literal('forecast').describe('forecast: predict future values of a multivariate series'),
    ...dataCommon,
    split: z
      .union([split, splitCounts], {
        error:
          'expected fractions {"train", "val", "test"} that sum to 1, or row counts {"val": a whole number ≥ 1, ' +
          '"test": a whole number ≥ 0} at the end of each series',
      })
      .default(split.parse({})),
    targets: columnList().describe('columns to predict'),
    categorical: columnList()
      .optional()
      .describe(
        "text (or integer-code) columns used as features, one-hot encoded with the training split's levels; " +
          'a level unseen in training is all zeros',
      ),
    futureFeatures: columnList()
      .optional()
      .describe(
        "columns whose values at the forecast's steps 1 … horizon are known when forecasting (a weather forecast, " +
          "a holiday, a planned promotion): the model reads them besides the window's past; categorical when also " +
          'in data.categorical. The rows after the last observed target (targets empty) hold the future values',
      ),
    maxCategories: positiveInt()
      .default(50)
      .describe('a categorical column with more levels than this in the training split is an error'),

    window: positiveInt().default(32).describe('time steps in each input window'),
    horizon: positiveInt()
      .default(1)
      .describe("future steps forecast at once: 1 … horizon after the window's last row (horizon × targets outputs)"),
    time: z
      .string()
      .min(1)
      .optional()
      .describe(
        'a column of ISO 8601 dates or date-times, or numbers: rows are ordered by it and forecasts carry times',
      ),
    timeFormat: z
      .string()
      .min(1)
      .optional()
      .describe(
        'with data.time, how the file writes its times when not as ISO 8601 or plain numbers: a Luxon format ' +
          '("MMM d yyyy" for Jan 1 2000, "yyyyMMdd", "dd/MM/yyyy", "yyyy-MM-dd HH:mm:ss.SSS"), read in UTC with ' +
          'English month names; forecasts write their times the same way',
      ),
    gaps: z
      .enum(['error', 'fill', 'ignore'])
      .default('error')
      .describe(
        'with data.time, a step longer than the frequency: stop with an error, fill it with rows of empty cells ' +
          '(data.missing then handles them), or ignore it (rows taken as consecutive)',
      ),
    season: positiveInt()
      .optional()
      .describe('a seasonal period in rows (24 for hourly data with a daily cycle): adds the seasonal-naive baseline'),
    windowLevel: z
      .enum(['auto', 'absolute', 'last', 'standardize'])
      .default('auto')
      .describe(
        "absolute: the model reads and predicts scaled levels; last: each window's targets (inputs and outputs) are " +
          "taken relative to their last value in the window; standardize: each window's columns are centred and " +
          'scaled by their own mean and spread (RevIN); outputs are restored to levels either way. auto: absolute ' +
          "when the ARIMA peer's unit-root tests give no training series a first difference (d = 0: no trend or " +
          'random walk, so its mean is worth knowing; a seasonal difference is allowed), else standardize; the run ' +
          'records which',
      ),
    seriesId: z
      .union([z.string().min(1), columnList()])
      .optional()
      .describe(
        'a column (or list of columns) naming the series when the file holds several: one model learns from all, ' +
          'no window crosses from one series into another, and each series is split by time on its own',
      ),
    scaleBy: z
      .enum(['series', 'global'])
      .default('series')
      .describe(
        "with seriesId: scalers fitted on each series' own training part (and intervals in each series' scale), " +
          "or one over every series' training parts",
      ),
    shortSeries: z
      .enum(['error', 'skip'])
      .default('error')
      .describe(
        'with seriesId: a series too short for a window plus the horizon in a split stops with an error, or is left out',
      ),
    calendar: z
      .array(z.enum(CALENDAR_FEATURES))
      .min(1)
      .optional()
      .describe(
        'features from data.time, each a sine/cosine pair; known for future times, so a rollout can extend them',
      ),
    intervals: z
      .array(
        fraction().refine((v) => v > 0 && v < 1, { error: (iss) => `expected a level between 0 and 1, ${got(iss)}` }),
      )
      .min(1)
      .default([0.8, 0.95])
      .refine((l) => l.every((v, i) => i === 0 || v > l[i - 1]), { error: 'expected increasing levels, each once' })
      .describe('coverage levels of the prediction intervals (split conformal, calibrated on the val split)'),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.timeFormat !== undefined && d.time === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['timeFormat'],
        message: 'expected data.time too: the format says how the time column writes its times',
      });
    if (d.timeFormat !== undefined && !isTimePattern(d.timeFormat))
      ctx.addIssue({
        code: 'custom',
        path: ['timeFormat'],
        message:
          `expected a Luxon format with a year that reads back what it writes (such as "MMM d yyyy" or ` +
          `"dd/MM/yyyy HH:mm"), got ${JSON.stringify(d.timeFormat)}`,
      });
    if (d.calendar !== undefined && d.time === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['calendar'],
        message: 'expected data.time too: calendar features come from the time column',
      });
    d.futureFeatures?.forEach((c, i) => {
      if (d.targets.includes(c))
        ctx.addIssue({
          code: 'custom',
          path: ['futureFeatures', i],
          message: `expected a column other than the targets, got "${c}": a target's future is what is forecast`,
        });
    });
    if (d.futureFeatures !== undefined && d.missing === 'drop')
      ctx.addIssue({
        code: 'custom',
        path: ['missing'],
        message:
          'expected "error" or "ffill" with data.futureFeatures, got "drop": a dropped row would move the known-future values off the rows they belong to',
      });
    if (d.futureFeatures !== undefined && d.window < d.horizon)
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `expected at least the horizon (${d.horizon}) with data.futureFeatures, got ${d.window}: the window's last rows carry the future values of steps 1 … horizon`,
      });
  });

export const classifyDataSchema = z
  .object({
    task: z.literal('classify').describe('classify: predict one label per sequence'),
    ...dataCommon,
    split: split.default(split.parse({})),
    label: z.string().min(1).default('label').describe('the label column'),
    layout: z
      .enum(['wide', 'long'])
      .default('wide')
      .describe('wide: one sequence per row (steps × features columns, time-major); long: one time step per row'),
    steps: positiveInt().optional().describe('wide layout: time steps per row (required for wide)'),
    sequenceId: z.string().min(1).optional().describe('long layout: the column that names the sequence (required)'),
    orderBy: z.string().min(1).optional().describe('long layout: the column that orders steps within a sequence'),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.layout === 'wide' && d.steps === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: 'expected a positive integer for the wide layout, got nothing',
      });
    if (d.layout === 'long' && d.sequenceId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['sequenceId'],
        message: 'expected a column name for the long layout, got nothing',
      });
  });

export const dataSchema = z.discriminatedUnion('task', [forecastDataSchema, classifyDataSchema]);

export const modelSchema = z
  .object({
    impl: z
      .enum(['builtin', 'hand'])
      .default('hand')
      .describe(
        "hand: our LSTM written from the gate equations, on the fused kernel (the fast path); builtin: tfjs's " +
          'LSTM layer',
      ),
    kernel: z
      .enum(['fused', 'reference'])
      .default('fused')
      .describe(
        'hand only: fused is the fast kernel (hand-written backward pass); reference steps through the equations',
      ),
    bidirectional: z
      .boolean()
      .default(false)
      .describe('run a second LSTM backwards in time and concatenate both outputs'),
    hiddenSize: positiveInt().default(64).describe('units in each LSTM (per direction)'),
    layers: positiveInt().default(1).describe('stacked LSTM layers'),
    dropout: z
      .number()
      .min(0)
      .lt(1)
      .default(0)
      .describe('dropout rate between stacked layers and before the head (train mode only)'),
    linearSkip: z
      .union([z.boolean(), z.literal('auto')])
      .default('auto')
      .describe(
        'forecast: add a linear map of the (window-levelled) input window to the output, trained with the LSTM ' +
          '(LSTNet highway); auto: on for forecasts whose targets are inputs when model.skipStart is smoothing, or ' +
          'with fewer window inputs than training windows; off for classify',
      ),
    skipStart: z
      .enum(['smoothing', 'ridge'])
      .default('smoothing')
      .describe(
        'forecast, with the linear skip: where it starts. smoothing: a ridge fit of the training windows shrunk ' +
          'towards the map of the window that fits them best: Holt-Winters (a grid, with and without data.season) ' +
          "or the statistical peers' ARIMA and ETS models run on the window; its penalty chosen on val (by " +
          'cross-validation over the training windows too when val has few), and the map itself with fewer training ' +
          'windows than window inputs; training keeps that penalty towards the map (the map itself: the skip is not ' +
          'trained). ridge: shrunk towards zero, which needs more training windows than window inputs',
      ),
    ensemble: positiveInt()
      .max(16, { error: (iss) => `expected at most 16 members, ${got(iss)}` })
      .default(1)
      .describe(
        'train this many models at once, from seeds seed, seed + 1, …, each on its own loss, and predict with ' +
          'their average (intervals calibrated on it); one checkpoint holds them all',
      ),
    init: z
      .enum(['pytorch', 'keras'])
      .default('pytorch')
      .describe(
        'pytorch: every LSTM weight uniform ±1/√hiddenSize; keras: glorot kernel, orthogonal recurrent, forget bias 1',
      ),
  })
  .strict();

const earlyStopping = z
  .object({
    patience: nonNegativeInt().default(5).describe('epochs without val improvement before stopping; 0 disables'),
    minDelta: z.number().min(0).default(0).describe('smallest val loss decrease that counts as improvement'),
  })
  .strict();

const openFraction = () => {
  const error = (iss: { input?: unknown }) => `expected a number between 0 and 1 (both excluded), ${got(iss)}`;
  return z.number({ error }).gt(0, { error }).lt(1, { error });
};

export const SCHEDULES = ['constant', 'cosine', 'onecycle', 'plateau'] as const;

const schedule = z
  .object({
    kind: z
      .enum(SCHEDULES)
      .default('constant')
      .describe(
        'constant; cosine: linear warm-up, then cosine decay to minLearningRate over train.epochs; onecycle: up ' +
          'to learningRate over pctStart of the steps from learningRate/25, then down to learningRate/25e4; ' +
          'plateau: × factor after more than `patience` epochs without a lower val loss',
      ),
    warmupEpochs: z.number().min(0).default(0).describe('cosine: epochs of linear warm-up from 0'),
    minLearningRate: z.number().min(0).default(0).describe('cosine, plateau: the lowest learning rate'),
    pctStart: openFraction().default(0.3).describe('onecycle: the share of the steps spent rising'),
    factor: openFraction().default(0.5).describe('plateau: what the learning rate is multiplied by'),
    patience: positiveInt().default(2).describe('plateau: epochs without val improvement that are tolerated'),
  })
  .strict();

export const trainSchema = z
  .object({
    epochs: positiveInt().default(20).describe('passes over the training split'),
    batchSize: positiveInt().default(64).describe('windows or sequences per batch'),
    optimizer: z
      .enum(['adam', 'sgd', 'rmsprop'])
      .default('adam')
      .describe('adam (tfjs defaults: β1 0.9, β2 0.999, ε 1e-7), sgd (with momentum), or rmsprop'),
    learningRate: positiveNumber()
      .default(0.001)
      .describe('step size of the optimizer: the peak of a schedule (train.schedule)'),
    schedule: schedule.default(schedule.parse({})).describe('the learning rate over the run'),
    weightDecay: z
      .number()
      .min(0)
      .default(0)
      .describe('decoupled weight decay (AdamW): each step multiplies every kernel by 1 − learningRate × weightDecay'),
    classWeights: z
      .union([z.literal('balanced'), z.record(z.string(), positiveNumber())])
      .optional()
      .describe(
        'classify: weights of each class in the training loss, by label, or "balanced" (n / (classes × count))',
      ),
    momentum: z.number().min(0).lt(1).default(0.9).describe('sgd only'),
    clipNorm: z.number().min(0).default(1.0).describe('global gradient-norm clipping; 0 disables'),
    earlyStopping: earlyStopping
      .default(earlyStopping.parse({}))
      .describe('stop when val loss stops improving; the best checkpoint is kept'),
  })
  .strict();

export const outputSchema = z
  .object({
    dir: z.string().min(1).default('runs').describe('where run directories go, relative to the config file'),
    keepCheckpoints: nonNegativeInt().default(3).describe('epoch checkpoints kept besides best and last'),
  })
  .strict();

/** The settings outside `data` that one task refuses, by task: what is set, where, and why it does not apply. */
const TASK_REFUSALS: Record<
  z.infer<typeof dataSchema>['task'],
  (c: { train: { classWeights?: unknown }; model: { linearSkip?: unknown } }) => { path: string[]; message: string }[]
> = {
  forecast: (c) =>
    c.train.classWeights === undefined
      ? []
      : [
          {
            path: ['train', 'classWeights'],
            message: 'expected nothing for a forecaster: class weights weigh the classes of a classifier',
          },
        ],
  classify: (c) =>
    c.model.linearSkip === true
      ? [
          {
            path: ['model', 'linearSkip'],
            message:
              'expected false or "auto" for a classifier: the skip maps the input window to a forecast, got true',
          },
        ]
      : [],
};

export const configSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, { error: (iss) => `expected letters, digits, '.', '_' or '-', ${got(iss)}` })
      .default('run')
      .describe('run name: the run directory is <output.dir>/<name>-<UTC timestamp>'),
    seed: nonNegativeInt().default(42).describe('seeds weight init, shuffling, splits and dropout masks'),
    backend: z
      .enum(BACKENDS)
      .default('auto')
      .describe('auto: tensorflow (tfjs-node) if installed, else wasm, else cpu'),
    wasmKernels: z
      .enum(['fixed', 'stock'])
      .default('fixed')
      .describe("wasm only: our faster kernels, or tfjs's stock ones"),
    wasmThreads: wasmThreadsSchema
      .default('auto')
      .describe(
        "wasm only: threads (XNNPACK's, and the fused hand kernel's own for its sequences); auto = the machine's " +
          "cores (at most 4) for the fused hand kernel, 1 (tfjs's single-threaded build) for other models, which " +
          'threads slow down',
      ),
    data: dataSchema,
    model: modelSchema.default(modelSchema.parse({})),
    train: trainSchema.default(trainSchema.parse({})),
    output: outputSchema.default(outputSchema.parse({})),
    tune: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        "lstm-tune's search space ({params, method, trials, …}, as a --space file holds it) when no --space is given; lstm-train ignores it",
      ),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const refusal of TASK_REFUSALS[c.data.task](c)) ctx.addIssue({ code: 'custom', ...refusal });
    if (c.train.schedule.warmupEpochs >= c.train.epochs && c.train.schedule.kind === 'cosine')
      ctx.addIssue({
        code: 'custom',
        path: ['train', 'schedule', 'warmupEpochs'],
        message: `expected fewer than train.epochs (${c.train.epochs}), got ${c.train.schedule.warmupEpochs}`,
      });
  });

export type Config = z.infer<typeof configSchema>;
export type DataConfig = z.infer<typeof dataSchema>;
export type TaskName = DataConfig['task'];
export type ForecastDataConfig = z.infer<typeof forecastDataSchema>;
export type ClassifyDataConfig = z.infer<typeof classifyDataSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type TrainConfig = z.infer<typeof trainSchema>;
export type Backend = (typeof BACKENDS)[number];
export type WasmThreads = z.infer<typeof wasmThreadsSchema>;
