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

/** Whether a column increases on every row of each series, like a time index (the rows in time order). */
export function countsUp(c: SeriesColumns, name: string): boolean {
  const v = c.values.get(name);
  if (v === undefined || v.length <= 2) return false;
  for (let p = 0; p + 1 < v.length; p++) if (!(v[p + 1] > v[p]) && c.seriesOf[p + 1] === c.seriesOf[p]) return false;
  return true;
}

/** What a user of the default features should know: the columns left out because they count up like a time index. */
export function defaultFeatureNotes(indexLike: string[], time: string | undefined): string[] {
  return indexLike.map(
    (name) =>
      `column ${name} increases on every row, like a time index: left out of the default features (split by ` +
      `time, val and test would hold only values beyond those seen in training)` +
      (time === undefined ? `; set "time": "${name}" in data to order the rows by it` : '') +
      `, or list it in data.features to use it`,
  );
}
