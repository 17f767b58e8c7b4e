// Forecast windows: cut on demand from one stored series, so no [N, window, features] array ever exists.
import type { Batch, ForecastSplit, Restore, Series, SplitName, WindowLevel, WindowSpec } from './types.js';
import { relativeTo, windowLevels } from './window-level.js';

/**
 * The window end rows that fit entirely inside each range [start, end), one range after another: input rows
 * last-window+1..last, every target row last+lead < end. The row index of each window's last row, in time order.
 */
export function seriesWindowEnds(ranges: [number, number][], window: number, maxLead: number): Int32Array {
  const firsts = ranges.map(([start]) => start + window - 1);
  const counts = ranges.map(([, end], k) => Math.max(0, end - maxLead - firsts[k]));
  const out = new Int32Array(counts.reduce((a, b) => a + b, 0));
  let at = 0;
  ranges.forEach((_, k) => {
    for (let i = 0; i < counts[k]; i++) out[at++] = firsts[k] + i;
  });
  return out;
}

/**
 * The batch of the windows ending at rows `ends`: x, the targets `spec.leads` rows later (unless `targets` is
 * false: windows to forecast past the end of the data), unless `level` is absolute each window's restore, and
 * with `seriesOf` (each row's series) each example's series.
 */
export function windowBatch(
  series: Series,
  spec: WindowSpec,
  ends: ArrayLike<number>,
  level: WindowLevel,
  o: { targets?: boolean; seriesOf?: ArrayLike<number> } = {},
): Batch {
  const { window, leads } = spec;
  const { features: f, targets: t } = series;
  const targets = o.targets ?? true;
  const n = ends.length;
  const x = new Float32Array(n * window * f); // [batch, window, features]
  const y = new Float32Array(targets ? n * leads.length * t : 0); // [batch, leads, targets]
  const restore: Restore | undefined =
    level === 'absolute' ? undefined : { offset: new Float32Array(n * t), scale: new Float32Array(n * t) };
  for (let b = 0; b < n; b++) {
    const last = ends[b];
    const firstRow = last - window + 1;
    if (firstRow < 0 || last >= series.rows) throw new RangeError(`a window ending at row ${last} of ${series.rows}`);
    // The window's rows are contiguous in the row-major series, so one copy moves the whole window.
    x.set(series.x.subarray(firstRow * f, (last + 1) * f), b * window * f);
    if (targets)
      leads.forEach((lead, k) =>
        y.set(series.y.subarray((last + lead) * t, (last + lead + 1) * t), (b * leads.length + k) * t),
      );
    if (restore === undefined) continue;
    const levels = windowLevels(series, level, firstRow, last);
    relativeTo(x, b * window * f, window, f, levels.xOffset, levels.xScale);
    if (targets) relativeTo(y, b * leads.length * t, leads.length, t, levels.offset, levels.scale);
    restore.offset.set(levels.offset, b * t);
    restore.scale.set(levels.scale, b * t);
  }
  const seriesOf = o.seriesOf && new Int32Array(n);
  if (seriesOf) for (let b = 0; b < n; b++) seriesOf[b] = o.seriesOf![ends[b]];
  return {
    batchSize: n,
    steps: window,
    features: f,
    x,
    y,
    ...(restore ? { restore } : {}),
    ...(seriesOf ? { series: seriesOf } : {}),
  };
}

/**
 * A split whose example k is the window ending at row ends[k], its targets the rows `leads` later. `rowIds` maps a
 * series row to the id reported for it (its data-row index in the file, which differs once rows are dropped), and
 * `seriesOf` to its series.
 */
export function forecastSplit(
  name: SplitName,
  series: Series,
  ends: Int32Array,
  spec: WindowSpec,
  rowIds: ArrayLike<number>,
  seriesOf: ArrayLike<number>,
): ForecastSplit {
  const endsOf = (indices: number[]) =>
    indices.map((i) => {
      if (!(Number.isInteger(i) && i >= 0 && i < ends.length))
        throw new RangeError(`example index ${i} outside 0..${ends.length - 1}`);
      return ends[i];
    });
  let ids: number[] | undefined; // made when first asked for: a large file's splits would each hold millions
  return {
    name,
    size: ends.length,
    ends,
    get ids() {
      ids ??= Array.from(ends, (e) => rowIds[e]);
      return ids;
    },
    batch: (indices) => windowBatch(series, spec, endsOf(indices), spec.level, { seriesOf }),
    absoluteBatch: (indices) => windowBatch(series, spec, endsOf(indices), 'absolute', { seriesOf }),
  };
}
