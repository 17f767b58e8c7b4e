// data.windowLevel "auto" is decided once the data is loaded (the statistical peers say whether its series are
// stationary); until then windows are cut as standardize, and a decision for another level cuts the same windows again.
import type { ForecastDataConfig } from '../config/schema.js';
import type { ForecastDataset, SplitName, WindowLevel } from './types.js';
import { forecastSplit } from './windows.js';

/** The level the loader cuts windows with: "auto" as standardize until it is decided. */
export const loadedLevel = (level: ForecastDataConfig['windowLevel']): WindowLevel =>
  level === 'auto' ? 'standardize' : level;

/** The dataset with every split's windows (the same ends) taken relative to `level` instead. */
export function relevel(d: ForecastDataset, level: WindowLevel): ForecastDataset {
  const info = d.forecast;
  if (info.windowLevel === level) return d;
  const spec = { window: info.window, leads: info.leads, level };
  const split = (name: SplitName) =>
    forecastSplit(name, info.series, d.splits[name].ends, spec, info.rowIds, info.seriesOf);
  return {
    ...d,
    forecast: { ...info, windowLevel: level },
    splits: { train: split('train'), val: split('val'), test: split('test'), all: split('all') },
  };
}
