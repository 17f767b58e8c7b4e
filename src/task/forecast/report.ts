// A forecaster's metrics as report.html and lstm-tune's report show them: tables, scores and captions in words.
import type { Dataset } from '../../data/types.js';
import { formatNumber, type Cell } from '../../util/table.js';
import type { ForecastMetrics, ForecastPredictions, ReportTable } from '../types.js';

/** Each target's model against its baselines, the intervals' coverage, the series' MAEs; the notes. */
export function forecastReportTables(e: ForecastMetrics): { tables: ReportTable[]; notes: string[] } {
  const tables: ReportTable[] = e.targets.map((t) => {
    const names = Object.keys(t.baselines) as (keyof typeof t.baselines)[];
    // mase and smape: absent from a report.json written before them
    const rows: Cell[][] = [
      ['model', t.model.mae, t.model.mase, t.model.smape, t.model.rmse, t.model.mape, t.model.r2, undefined],
      ...names.map((b): Cell[] => {
        const m = t.baselines[b]!;
        return [b, m.mae, m.mase, m.smape, m.rmse, m.mape, m.r2, t.skills[b]];
      }),
    ];
    return {
      headers: ['forecast', 'MAE', 'MASE', 'sMAPE %', 'RMSE', 'MAPE %', 'R²', 'skill vs it'],
      rows,
      caption: `${t.name}: over every step ahead (${e.leads.length}); skill = 1 − MAE(model) / MAE(baseline)`,
    };
  });
  if (e.coverage) {
    const c = e.coverage;
    const rows: Cell[][] = c.levels.map((l, i) => [`${Math.round(l * 100)}%`, c.overall[i]]);
    tables.push({ headers: ['interval', 'coverage'], rows, caption: `Intervals: ${c.calibration}` });
  }
  if (e.series && e.series.length > 1) {
    const baseline = (s: (typeof e.series)[number]) => s.targets[0].baselines;
    const names = Object.keys(baseline(e.series[0]));
    const rows = e.series.map((s): Cell[] => [
      s.name,
      s.windows,
      s.targets[0].mae,
      ...names.map((b) => baseline(s)[b as 'linear']),
    ]);
    tables.push({
      headers: ['series', 'windows', 'MAE', ...names],
      rows,
      caption: `Per series, ${e.targets[0].name}: MAE`,
    });
    tables.push(...seriesMase(e));
  }
  return { tables, notes: e.notes };
}

/** Per series, the model's and each baseline's MASE, and each score's mean over series (reports that have them). */
function seriesMase(e: ForecastMetrics): ReportTable[] {
  const first = e.series?.[0]?.targets[0]?.scores;
  if (!e.series || !first) return [];
  const names = Object.keys(first) as (keyof typeof first)[];
  const rows = e.series.map((s): Cell[] => [s.name, s.windows, ...names.map((n) => s.targets[0].scores[n]?.mase)]);
  const mean = e.seriesMean?.[0];
  const means: Cell[][] = (['mae', 'mase', 'smape'] as const).map((k) => [
    k === 'smape' ? 'sMAPE %' : k.toUpperCase(),
    ...names.map((n) => mean?.scores[n]?.[k]),
  ]);
  return [
    { headers: ['series', 'windows', ...names], rows, caption: `Per series, ${e.targets[0].name}: MASE` },
    {
      headers: ['mean over series', ...names],
      rows: means,
      caption: `${e.targets[0].name}: each score's mean over series`,
    },
  ];
}

/** Each target's score by `metric` (a key of its model's metrics: mae, rmse, …). */
export const forecastScoreText = (e: ForecastMetrics, metric: string) =>
  e.targets.map((t) => `${t.name} ${formatNumber(t.model[metric as 'mae'])}`).join(', ');

/** The example's first target at its first lead: truth and prediction. */
export function forecastCaption(p: ForecastPredictions, dataset: Dataset, index: number): string {
  const width = p.leads.length * p.targets;
  const [actual, predicted] = [p.yTrue[index * width], p.yPred[index * width]];
  const step = p.leads[0] === 1 ? 'next step' : `${p.leads[0]} steps ahead`;
  return `${dataset.targetNames[0]} ${step}: actual ${actual.toPrecision(4)}, predicted ${predicted.toPrecision(4)}`;
}
