// What a user should know of a loaded forecast file: gaps, series left out, unseen levels, the default features.
import type { ForecastDataConfig } from '../config/schema.js';
import type { SeriesColumns } from './forecast-columns.js';
import type { SeriesRows } from './forecast-rows.js';
import { describeFrequency } from './time.js';

/** The notes of loading: gaps, series left out, levels the training split lacks. */
export function loadNotes(o: {
  cfg: ForecastDataConfig;
  rows: SeriesRows;
  skipped: string[];
  unseen: [string, number][];
}): string[] {
  return [
    ...gapNotes(o.cfg, o.rows),
    ...(o.skipped.length > 0
      ? [
          `${o.skipped.length} series too short for a window and the horizon in each split were left out ` +
            `(data.shortSeries "skip"): ${o.skipped.join(', ')}`,
        ]
      : []),
    ...o.unseen.map(
      ([c, n]) => `${n} rows of ${c} have a level the training split does not have: encoded as all zeros`,
    ),
  ];
}

function gapNotes(cfg: ForecastDataConfig, rows: SeriesRows): string[] {
  const { found, filled } = rows.gaps;
  if (found === 0) return [];
  const freq = rows.frequency && rows.form ? ` (frequency ${describeFrequency(rows.frequency, rows.form)})` : '';
  const gaps = `${found} gap${found === 1 ? '' : 's'} in ${cfg.time}${freq}`;
  return cfg.gaps === 'fill'
    ? [`${gaps}: filled with ${filled} rows of empty cells, handled by data.missing ("${cfg.missing}")`]
    : [`${gaps}: ignored, the rows on either side taken as consecutive (data.gaps "ignore")`];
}

/**
 * What a user of the default features should know: that the targets' own past is left out (when other columns
 * exist), and which features increase on every row like a time index (a chronological split then shows val and
 * test only values beyond the training range). Each names the config line that changes it.
 */
export function defaultFeatureNotes(features: string[], targets: string[], c: SeriesColumns): string[] {
  const increasing = (name: string) => {
    const v = c.values.get(name);
    if (v === undefined || v.length <= 2) return false;
    for (let p = 0; p + 1 < v.length; p++) if (!(v[p + 1] > v[p]) && c.seriesOf[p + 1] === c.seriesOf[p]) return false;
    return true;
  };
  const indexLike = features.filter(increasing);
  const suggested = [...new Set([...targets, ...features.filter((f) => !indexLike.includes(f))])];
  // when the defaults already are the targets alone (a single-series file), there is no better list to suggest
  const differs = suggested.length !== features.length || suggested.some((f) => !features.includes(f));
  const fix = differs ? `; set "features": ${JSON.stringify(suggested)} in data to change that` : '';
  const notes: string[] = [];
  const unseen = targets.filter((t) => !features.includes(t));
  if (unseen.length > 0)
    notes.push(
      'data.features is not set, so the features are the numeric columns other than the targets: ' +
        `the model does not see the past of ${unseen.join(', ')}${fix}`,
    );
  for (const name of indexLike)
    notes.push(
      `feature ${name} increases on every row, like a time index: ` +
        `split by time, val and test hold only values beyond those seen in training${fix}`,
    );
  return notes;
}
