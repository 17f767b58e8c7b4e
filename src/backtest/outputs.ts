// What a finished backtest writes: predictions.csv, metrics.json, the chart (PNG, SVG, Vega-Lite) and report.html.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlot } from '../charts/render.js';
import { chart, facts, page, paragraph, section, table } from '../report/html.js';
import { f32, type Cell } from '../util/table.js';
import { toCsv } from '../util/table.js';
import type { BacktestSpec, FoldResult } from './fold-files.js';
import type { Layout } from './forecast-fold.js';
import { backtestChart } from './chart.js';
import type { BacktestSummary, ScoresBy } from './summary.js';

/** One row per series, fold, step and target; the baselines' forecasts beside the model's. */
export function predictionTable(folds: FoldResult[]): { headers: string[]; rows: Cell[][] } {
  const rows = folds.flatMap((f) => f.rows);
  const series = rows.some((r) => r.series !== undefined);
  const time = rows.some((r) => r.time !== undefined);
  const seasonal = rows.some((r) => r.seasonalNaive !== undefined);
  const headers = [
    ...(series ? ['series'] : []),
    'fold',
    'origin_row',
    ...(time ? ['origin_time'] : []),
    'step',
    ...(time ? ['time'] : []),
    'target',
    'actual',
    'forecast',
    'persistence',
    ...(seasonal ? ['seasonal_naive'] : []),
  ];
  const cells = rows.map((r): Cell[] => [
    ...(series ? [r.series] : []),
    r.fold,
    r.originRow,
    ...(time ? [r.originTime] : []),
    r.step,
    ...(time ? [r.time] : []),
    r.target,
    f32(r.actual),
    f32(r.forecast),
    f32(r.persistence),
    ...(seasonal ? [r.seasonalNaive === undefined ? undefined : f32(r.seasonalNaive)] : []),
  ]);
  return { headers, rows: cells };
}

const METRICS = ['mae', 'rmse', 'mase', 'smape'] as const;

/** A scores table: one row per key (overall, a fold, a step) and forecaster. */
export function scoresTable(
  summary: BacktestSummary,
  keyName: string,
  keyed: { key: Cell; scores: ScoresBy }[],
): { headers: string[]; rows: Cell[][] } {
  const headers = [...(keyName ? [keyName] : []), 'forecaster', ...METRICS];
  const rows = keyed.flatMap(({ key, scores }) =>
    summary.forecasters.map((f): Cell[] => [...(keyName ? [key] : []), f, ...METRICS.map((m) => scores[f]?.[m])]),
  );
  return { headers, rows };
}

function reportHtml(spec: BacktestSpec, summary: BacktestSummary, layout: Layout, folds: FoldResult[]): string {
  const t = (name: string, key: string, keyed: { key: Cell; scores: ScoresBy }[]) => {
    const s = scoresTable(summary, key, keyed);
    return table(s.headers, s.rows, { id: name });
  };
  const about = facts([
    ['data', spec.dataPath],
    ['model', spec.checkpoint ?? `retrained from the config (${spec.config.name})`],
    ['folds', spec.folds],
    ['stride (rows)', spec.stride],
    ['refit', String(spec.refit)],
    ['season', spec.season],
  ]);
  const body = [
    section(
      'about',
      'Backtest',
      about +
        paragraph('MASE: MAE over the in-sample seasonal-naive MAE of the rows before each origin; sMAPE in percent.'),
    ),
    section('overall', 'Overall', t('overall-scores', '', [{ key: '', scores: summary.overall }])),
    section('chart', 'Forecasts', chart({ spec: backtestChart(layout, folds, `${spec.config.name}: backtest`) })),
    section(
      'steps',
      'Per step',
      t(
        'step-scores',
        'step',
        summary.perStep.map((s) => ({ key: s.step, scores: s.scores })),
      ),
    ),
    section(
      'folds',
      'Per fold',
      t(
        'fold-scores',
        'origin',
        summary.perFold.map((f) => ({ key: f.origin, scores: f.scores })),
      ),
    ),
    ...(summary.perSeries
      ? [
          section(
            'series',
            'Per series',
            t(
              'series-scores',
              'series',
              summary.perSeries.map((s) => ({ key: s.series, scores: s.scores })),
            ),
          ),
        ]
      : []),
  ].join('\n');
  return page({
    title: `${spec.config.name}: backtest`,
    heading: `${spec.config.name}: rolling-origin backtest`,
    lede: `${spec.folds} origins ${spec.stride} rows apart at the end of ${spec.dataPath}`,
    nav: [
      ['overall', 'Overall'],
      ['chart', 'Forecasts'],
      ['steps', 'Per step'],
      ['folds', 'Per fold'],
    ],
    body,
  });
}

/** Writes every output of a finished backtest into `dir`; returns the files. */
export async function writeOutputs(
  dir: string,
  spec: BacktestSpec,
  layout: Layout,
  folds: FoldResult[],
  summary: BacktestSummary,
): Promise<string[]> {
  const predictions = join(dir, 'predictions.csv');
  const { headers, rows } = predictionTable(folds);
  writeFileSync(predictions, toCsv(headers, rows));
  const metrics = join(dir, 'metrics.json');
  writeFileSync(metrics, JSON.stringify(summary, null, 2) + '\n');
  const plots = await writePlot(dir, 'backtest', backtestChart(layout, folds, `${spec.config.name}: backtest`));
  const report = join(dir, 'report.html');
  writeFileSync(report, reportHtml(spec, summary, layout, folds));
  return [predictions, metrics, ...plots, report];
}
