// A forecast's fan chart: the recent history, then the forecast with its interval bands, one panel per target.
import { chartHeader, panelRows, type PlotTitle, type VegaLiteSpec } from './render.js';

export interface FanPoint {
  target: string;
  /** time in ms (temporal) or a row number */
  x: number;
  kind: 'history' | 'forecast' | 'actual';
  value: number;
}

export interface FanBand {
  target: string;
  x: number;
  /** e.g. "80%" */
  level: string;
  lower: number;
  upper: number;
}

/** Wider bands are paler and drawn first, so the narrower ones sit on top. */
export function fanChartSpec(
  points: FanPoint[],
  bands: FanBand[],
  opts: PlotTitle & { temporal: boolean },
): VegaLiteSpec {
  const targets = [...new Set(points.map((p) => p.target))];
  const levels = [...new Set(bands.map((b) => b.level))];
  const x = opts.temporal
    ? { field: 'x', type: 'temporal', title: 'time' }
    : { field: 'x', type: 'quantitative', title: 'row' };
  // the legend lists only what is drawn: a forecast past the file's end has no actual values
  const colours = { history: '#555555', forecast: '#e45756', actual: '#222222' };
  const kinds = (['history', 'forecast', 'actual'] as const).filter((k) => points.some((p) => p.kind === k));
  const kindScale = { domain: kinds, range: kinds.map((k) => colours[k]) };
  return {
    ...chartHeader(opts),
    facet: panelRows('target', targets),
    data: { values: [...points.map((p) => ({ ...p, layer: 'line' })), ...bands.map((b) => ({ ...b, layer: 'band' }))] },
    spec: {
      height: targets.length > 1 ? 180 : 280,
      layer: [
        {
          transform: [{ filter: "datum.layer === 'band'" }],
          mark: { type: 'area', opacity: 0.6 },
          encoding: {
            x,
            y: { field: 'lower', type: 'quantitative', title: null, scale: { zero: false } },
            y2: { field: 'upper' },
            fill: {
              field: 'level',
              type: 'nominal',
              title: 'interval',
              sort: [...levels].reverse(),
              scale: { domain: [...levels].reverse(), range: levels.length > 1 ? ['#c6dbef', '#6baed6'] : ['#9ecae1'] },
            },
          },
        },
        {
          transform: [{ filter: "datum.layer === 'line' && datum.kind !== 'actual'" }],
          mark: { type: 'line', strokeWidth: 1.8 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
            color: {
              field: 'kind',
              type: 'nominal',
              title: null,
              scale: kindScale,
            },
          },
        },
        {
          transform: [{ filter: "datum.layer === 'line' && datum.kind === 'actual'" }],
          mark: { type: 'point', filled: true, size: 18 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative' },
            color: {
              field: 'kind',
              type: 'nominal',
              title: null,
              scale: kindScale,
            },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as VegaLiteSpec;
}
