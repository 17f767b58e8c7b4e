// preprocess.json: what an exported model needs besides its weights, read off the model card for predict.js.
import type { ModelCard } from '../checkpoint/model-card.js';
import type { TaskName } from '../config/schema.js';
import type { CalendarFeature, Category } from '../data/features.js';
import { forecastInputNames } from '../data/encoders/index.js';
import type { Frequency, TimeForm } from '../data/time.js';
import type { FutureLayout, Intervals, Scaler, SeriesScalers, WindowLevel } from '../data/types.js';
import { MIN_SPREAD } from '../data/window-level.js';
import { loadedLevel } from '../data/relevel.js';
import { taskOf } from '../task/index.js';
import { own } from '../task/types.js';
import { TOOL_VERSION } from '../util/versions.js';

export interface ForecastPreprocess {
  targets: string[];
  /** the numeric inputs, then each categorical column's levels (one-hot), then calendar sine/cosine pairs */
  numeric: string[];
  categories: Category[];
  calendar: CalendarFeature[];
  /** per target, its column among the numeric inputs, or -1 */
  targetFeature: number[];
  window: number;
  /** the steps ahead the model's outputs are, in order: [batch, leads × targets] lead-major */
  leads: number[];
  windowLevel: WindowLevel;
  minSpread: number;
  /** the columns naming the series ([] for a file of one series); a series' name joins their values with "/" */
  seriesId: string[];
  time?: { column: string; form: TimeForm; frequency?: Frequency };
  gaps: 'error' | 'fill' | 'ignore';
  featureScaler: Scaler;
  targetScaler: Scaler;
  /** scaleBy "series": each training series' own scalers, by name */
  seriesScalers?: Record<string, SeriesScalers>;
  /** half-widths [level][lead][target] (null: Infinity); perSeries: in units of the series' target scale */
  intervals?: Pick<Intervals, 'levels' | 'widths' | 'perSeries'>;
  /** data.futureFeatures: inputs after the calendar's, each row's values of these columns `shift` rows later */
  future?: FutureLayout;
}

export interface ClassifyPreprocess {
  classes: string[];
  layout: 'wide' | 'long';
  steps: number;
  /** the per-step features, in input order (wide columns are <feature>_<step>) */
  features: string[];
  sequenceId?: string;
  orderBy?: string;
  featureScaler: Scaler;
}

/** preprocess.json: `format` and `version` say what reads it (predict.js checks both). */
export interface Preprocess {
  format: 'lstm-train-preprocess';
  version: 1;
  task: 'forecast' | 'classify';
  /** the model's inputs: x [batch, steps, features], and mask [batch, steps] (1 real step, 0 padding) when masked */
  inputs: ('x' | 'mask')[];
  steps: number;
  /** the input features in order */
  features: string[];
  /** forecast: scaled outputs [batch, leads × targets]; classify: class probabilities [batch, classes] */
  output: 'y' | 'probabilities';
  forecast?: ForecastPreprocess;
  classify?: ClassifyPreprocess;
  /** what a user should know: e.g. where the intervals came from, what the card lacks */
  notes: string[];
  /** cells of a number column read as missing values (data.naValues); absent in older exports: pandas' defaults */
  naValues?: string[];
  source: { checkpointEpoch: number; cardVersion: number; lstmTrain: string; name: string };
}

/**
 * The card's transforms as predict.js applies them. `intervals` are the card's own, or those calibrated at export
 * (the card has none); `notes` say which.
 */
export function preprocessOf(card: ModelCard, o: PreprocessOptions): Preprocess {
  return PREPROCESS[card.config.data.task](card, o);
}

type PreprocessOptions = { intervals?: Intervals; notes: string[] };

/** What every task's preprocess.json holds. */
function commonOf(card: ModelCard, o: PreprocessOptions) {
  const data = card.config.data;
  const masked = taskOf(data.task).masked(data);
  return {
    format: 'lstm-train-preprocess' as const,
    version: 1 as const,
    task: data.task,
    inputs: masked ? (['x', 'mask'] as const) : (['x'] as const),
    steps: card.steps,
    notes: o.notes,
    naValues: data.naValues,
    source: {
      checkpointEpoch: card.epoch,
      cardVersion: card.cardVersion,
      lstmTrain: TOOL_VERSION,
      name: card.config.name,
    },
  };
}

const PREPROCESS: Record<TaskName, (card: ModelCard, o: PreprocessOptions) => Preprocess> = {
  classify: classifyPreprocess,
  forecast: forecastPreprocess,
};

function classifyPreprocess(card: ModelCard, o: PreprocessOptions): Preprocess {
  const [data, fitted, common] = [own(card.config.data, 'classify'), card.fitted, commonOf(card, o)];
  return {
    ...common,
    inputs: [...common.inputs],
    features: [...fitted.featureScaler.columns],
    output: 'probabilities',
    classify: {
      classes: fitted.classes,
      layout: data.layout,
      steps: card.steps,
      features: [...fitted.featureScaler.columns],
      ...(data.sequenceId !== undefined ? { sequenceId: data.sequenceId } : {}),
      ...(data.orderBy !== undefined ? { orderBy: data.orderBy } : {}),
      featureScaler: fitted.featureScaler,
    },
  };
}

function forecastPreprocess(card: ModelCard, o: PreprocessOptions): Preprocess {
  const [data, fitted, common] = [own(card.config.data, 'forecast'), card.fitted, commonOf(card, o)];
  const numeric = fitted.featureScaler.columns;
  const categories = fitted.categories ?? [];
  const calendar = data.calendar ?? [];
  const targetScaler = fitted.targetScaler ?? { kind: 'none', columns: data.targets, offset: [], scale: [] };
  const time = fitted.forecast?.time;
  const intervals = o.intervals;
  const future = fitted.forecast?.future;
  return {
    ...common,
    inputs: [...common.inputs],
    features: forecastInputNames({ numeric, categories, calendar, ...(future ? { future } : {}) }),
    output: 'y',
    forecast: {
      targets: targetScaler.columns,
      numeric,
      categories,
      calendar,
      targetFeature: targetScaler.columns.map((t) => numeric.indexOf(t)),
      window: data.window,
      leads: fitted.forecast?.leads ?? [data.horizon],
      windowLevel: loadedLevel(data.windowLevel),
      minSpread: MIN_SPREAD,
      seriesId: data.seriesId === undefined ? [] : typeof data.seriesId === 'string' ? [data.seriesId] : data.seriesId,
      ...(time && data.time !== undefined ? { time: { column: data.time, ...time } } : {}),
      gaps: data.gaps,
      ...(future ? { future } : {}),
      featureScaler: fitted.featureScaler,
      targetScaler,
      ...(fitted.forecast?.seriesScalers ? { seriesScalers: fitted.forecast.seriesScalers } : {}),
      ...(intervals
        ? {
            intervals: {
              levels: intervals.levels,
              widths: intervals.widths,
              ...(intervals.perSeries ? { perSeries: true } : {}),
            },
          }
        : {}),
    },
  };
}
