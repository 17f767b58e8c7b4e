// Before a forecaster is built: the statistical peers are fitted once (the skip's prior, every checkpoint and the
// window level read them), and data.windowLevel "auto" becomes a level. A series that needs no first difference
// (ARIMA's d = 0: no trend, no random walk; its season may still wander) comes back to its mean, which a window
// taken relative to its own level cannot see: absolute levels keep it. One that needs it keeps each window's level.
import type { Config } from '../../config/schema.js';
import { relevel } from '../../data/relevel.js';
import type { PeerFits } from '../../data/peer-fits.js';
import type { ForecastDataset, WindowLevel } from '../../data/types.js';
import type { ProgressPhases } from '../../util/progress.js';
import { peerFitsOf } from './peers/index.js';

/** absolute when ARIMA fitted every training series and target without a first difference (d = 0). */
function autoLevel(fits: PeerFits['fits']): { level: WindowLevel; note?: string } {
  const unfitted = fits.find((f) => 'skipped' in f.arima);
  if (unfitted && 'skipped' in unfitted.arima)
    return {
      level: 'standardize',
      note:
        `data.windowLevel "auto" is standardize: ARIMA, whose unit-root tests decide it, was not fitted on ` +
        `${unfitted.series ? `series ${unfitted.series}` : 'the training series'} (${unfitted.arima.skipped})`,
    };
  if (fits.length === 0 || fits.some((f) => !('skipped' in f.arima) && f.arima.d > 0)) return { level: 'standardize' };
  const which = fits.length === 1 ? 'the training series' : `all ${fits.length} training series`;
  return {
    level: 'absolute',
    note:
      `data.windowLevel "auto" is absolute: ARIMA's unit-root tests leave ${which} without a first difference ` +
      '(no trend or random walk), so the model reads levels and can revert to their mean',
  };
}

/**
 * The run's config and data with the window level decided, and what to say of it. Weights trained already
 * (`trained`, their config) keep the level they were trained at.
 */
export function settleForecast(
  config: Config,
  dataset: ForecastDataset,
  o: { progress?: ProgressPhases; trained?: Config } = {},
): { config: Config; dataset: ForecastDataset; notes: string[] } {
  const { progress, trained } = o;
  const fits = peerFitsOf(dataset, undefined, progress?.('fitting the statistical peers')).fits;
  if (config.data.task !== 'forecast' || config.data.windowLevel !== 'auto') return { config, dataset, notes: [] };
  const { level, note } =
    trained?.data.task === 'forecast' && trained.data.windowLevel !== 'auto'
      ? { level: trained.data.windowLevel, note: undefined }
      : autoLevel(fits);
  return {
    config: { ...config, data: { ...config.data, windowLevel: level } },
    dataset: relevel(dataset, level), // the same train window ends: the fits above serve it too
    notes: note ? [note] : [],
  };
}
