// train.classWeights as a vector in class-index order: "balanced" from the training split's counts, or the map's.
import type { Config } from '../config/schema.js';
import type { Dataset } from '../data/types.js';
import { ConfigError } from '../errors.js';

/**
 * Each class's weight in the training loss [classes], or undefined when the config sets none. "balanced" is
 * n / (classes × count), as scikit-learn and Keras users know it; a map must name classes of the data (a class it
 * leaves out weighs 1).
 */
export function classWeightsOf(config: Config, dataset: Dataset): Float32Array | undefined {
  const given = config.train.classWeights;
  if (given === undefined || dataset.task !== 'classify') return undefined;
  const classes = dataset.fitted.classes;
  if (given === 'balanced') {
    const counts = dataset.summary.classCounts?.train ?? {};
    const n = classes.reduce((a, c) => a + (counts[c] ?? 0), 0);
    return Float32Array.from(classes, (c) => (counts[c] ? n / (classes.length * counts[c]) : 1));
  }
  const unknown = Object.keys(given).filter((label) => !classes.includes(label));
  if (unknown.length > 0)
    throw new ConfigError(
      config.data.path,
      unknown.map(
        (label) =>
          `train.classWeights.${label}: expected a class of the data (${classes.join(', ')}), got ${JSON.stringify(label)}`,
      ),
    );
  return Float32Array.from(classes, (c) => given[c] ?? 1);
}
