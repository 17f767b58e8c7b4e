// model.linearSkip as a run uses it: "auto" decided for the data, so the run's config and card say true or false.
import type { Config } from '../config/schema.js';
import type { Dataset, ForecastDataset } from '../data/types.js';
import { ConfigError } from '../errors.js';
import { MAX_INPUTS } from './forecast/ridge.js';

/**
 * The skip's start shrinks towards smoothing of a target column of the window: well posed with few windows, when
 * the ridge can be solved at all.
 */
export const hasSmoothingPrior = (config: Config, dataset: ForecastDataset) =>
  config.model.skipStart === 'smoothing' &&
  dataset.steps * dataset.featureNames.length <= MAX_INPUTS &&
  Array.from(dataset.forecast.series.targetFeature).some((f) => f >= 0);

/**
 * auto: on for a forecast whose start shrinks towards smoothing of its targets, or whose window holds fewer inputs
 * (window × features) than the training split has windows, since a ridge towards zero of more inputs than examples
 * fits noise; off for a classifier. true with more inputs than windows and no smoothing is refused, naming both
 * numbers.
 */
export function resolveLinearSkip(config: Config, dataset: Dataset): { config: Config; note?: string } {
  const asked = config.model.linearSkip;
  if (dataset.task === 'classify') return { config: withSkip(config, false) };
  const inputs = dataset.steps * dataset.featureNames.length;
  const windows = dataset.splits.train.size;
  const fits = inputs < windows || hasSmoothingPrior(config, dataset);
  if (asked === true && !fits)
    throw new ConfigError(config.data.path, [
      `model.linearSkip: expected fewer window inputs than training windows for a linear skip that starts as a ridge towards zero, got ${inputs} ` +
        `inputs (window ${dataset.steps} × ${dataset.featureNames.length} features) and ${windows} training windows`,
    ]);
  if (asked !== 'auto') return { config: withSkip(config, asked) };
  const note = fits
    ? undefined
    : `model.linearSkip "auto" is off: the window has ${inputs} inputs and the training split ${windows} windows`;
  return { config: withSkip(config, fits), note };
}

const withSkip = (config: Config, on: boolean): Config =>
  config.model.linearSkip === on ? config : { ...config, model: { ...config.model, linearSkip: on } };
