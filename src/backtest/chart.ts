// The backtest's chart: the actual series over the folds' span, each fold's forecast drawn over it in its colour.
import type { VegaLiteSpec } from '../charts/render.js';
import { chartHeader, panelRows } from '../charts/render.js';
import type { FoldResult } from './fold-files.js';
import type { Layout } from './forecast-fold.js';

interface Point {
  panel: string;
  x: number;
  value: number;
  /** 'actual', or the fold's number */
  line: string;
}

const MAX_PANELS = 6;

/** The actual values from a window before the first origin to the series' end, one panel per series and target. */
function actualPoints(layout: Layout, panels: Set<string>): Point[] {
  const { data } = layout;
  const info = data.forecast;
  const t = data.targetNames.length;
  const many = info.seriesNames.length > 1;
  return info.seriesBounds.flatMap(([start, end], s) => {
    const firstOrigin = Math.min(...layout.origins.filter((o) => o.series === s).map((o) => o.row));
    const from = Math.max(start, firstOrigin - info.window + 1);
    return data.targetNames.flatMap((target, j) => {
      const panel = many ? `${info.seriesNames[s]}: ${target}` : target;
      if (!panels.has(panel)) return [];
      return Array.from({ length: end - from }, (_, i) => ({
        panel,
        x: info.time ? info.time.values[from + i] : info.rowIds[from + i],
        value: info.targetRaw[(from + i) * t + j],
        line: 'actual',
      }));
    });
  });
}

export function backtestChart(layout: Layout, folds: FoldResult[], title: string): VegaLiteSpec {
  const time = layout.data.forecast.time;
  const temporal = time !== undefined && time.form.kind !== 'number';
  const rows = folds.flatMap((f) => f.rows);
  const panelOf = (r: (typeof rows)[number]) => (r.series === undefined ? r.target : `${r.series}: ${r.target}`);
  const panels = new Set([...new Set(rows.map(panelOf))].slice(0, MAX_PANELS));
  const forecasts = rows
    .filter((r) => panels.has(panelOf(r)))
    .map((r) => ({ panel: panelOf(r), x: r.x, value: r.forecast, line: `fold ${r.fold}` }));
  const x = temporal
    ? { field: 'x', type: 'temporal', title: 'time' }
    : { field: 'x', type: 'quantitative', title: 'row' };
  const y = { field: 'value', type: 'quantitative', title: null, scale: { zero: false } };
  const subtitle = `${folds.length} folds, ${Math.max(...rows.map((r) => r.step))} steps from each origin; black: the actual series`;
  return {
    ...chartHeader({ title, subtitle }),
    facet: panelRows('panel'),
    data: { values: [...actualPoints(layout, panels), ...forecasts] },
    spec: {
      height: panels.size > 1 ? 180 : 280,
      layer: [
        {
          transform: [{ filter: "datum.line === 'actual'" }],
          mark: { type: 'line', strokeWidth: 1.5, color: '#222222' },
          encoding: { x, y },
        },
        {
          transform: [{ filter: "datum.line !== 'actual'" }],
          mark: { type: 'line', strokeWidth: 1.8, point: { size: 14 } },
          encoding: {
            x,
            y,
            color: {
              field: 'line',
              type: 'nominal',
              title: null,
              sort: folds.map((f) => `fold ${f.fold}`),
              legend: folds.length > 12 ? null : {},
            },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as VegaLiteSpec;
}
