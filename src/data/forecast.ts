// Forecast windows: cut on demand from one stored series, so no [N, window, features] array ever exists.
import type { Batch, ForecastSplit, Restore, Series, SplitName, WindowLevel, WindowSpec } from './types.js';

/**
 * The window end rows that fit entirely inside rows [start, end): input rows last-window+1..last, every target row
 * last+lead < end. Returns the row index of each window's last row, in time order.
 */
export function windowEnds(start: number, end: number, window: number, maxLead: number): Int32Array {
  return seriesWindowEnds([[start, end]], window, maxLead);
}

/** windowEnds of each range [start, end), one after another. */
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

/** A window's spread never goes below this (scaled units), so a flat window is not blown up. */
const MIN_SPREAD = 1e-2;

/** Mean and spread of column `col` of a row-major matrix over rows first..last. */
function columnStats(m: Float32Array, width: number, col: number, first: number, last: number): [number, number] {
  let sum = 0;
  for (let r = first; r <= last; r++) sum += m[r * width + col];
  const mean = sum / (last - first + 1);
  let ss = 0;
  for (let r = first; r <= last; r++) ss += (m[r * width + col] - mean) ** 2;
  return [mean, Math.max(MIN_SPREAD, Math.sqrt(ss / (last - first + 1)))];
}

/**
 * Each target's level in the window ending at `last`: what `level` takes away from the inputs that are targets
 * and from the targets (last: the last value; standardize: the window's mean and spread). Per feature, for the
 * inputs: standardize takes every input column's own; last only the target columns'.
 */
function windowLevels(s: Series, spec: WindowSpec, last: number) {
  const first = last - spec.window + 1;
  const offset = new Float32Array(s.targets);
  const scale = new Float32Array(s.targets).fill(1);
  const xOffset = new Float32Array(s.features);
  const xScale = new Float32Array(s.features).fill(1);
  if (spec.level === 'standardize')
    for (let f = 0; f < s.features; f++)
      if (s.levelled[f]) [xOffset[f], xScale[f]] = columnStats(s.x, s.features, f, first, last);
  for (let j = 0; j < s.targets; j++) {
    const f = s.targetFeature[j];
    if (spec.level === 'last') {
      offset[j] = s.y[last * s.targets + j];
      if (f >= 0) xOffset[f] = s.x[last * s.features + f];
    } else if (f >= 0) [offset[j], scale[j]] = [xOffset[f], xScale[f]];
    else [offset[j], scale[j]] = columnStats(s.y, s.targets, j, first, last);
  }
  return { offset, scale, xOffset, xScale };
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
    const levels = windowLevels(series, { ...spec, level }, last);
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

/** rows × width values from `at` on, each column taken as (v − offset) / scale, in place. */
function relativeTo(
  m: Float32Array,
  at: number,
  rows: number,
  width: number,
  offset: Float32Array,
  scale: Float32Array,
) {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < width; c++) {
      const k = at + r * width + c;
      m[k] = (m[k] - offset[c]) / scale[c];
    }
}
