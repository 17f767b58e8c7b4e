// A forecaster's report as lstm-eval prints it: the table, a skill line per baseline, by step ahead, by series.
import { formatNumber, formatTable, type Cell } from '../../util/table.js';
import type { BaselineName, ForecastMetrics, ForecastScores, ForecastTargetMetrics, ScaleFree } from '../types.js';
import { levelName } from './intervals.js';

/** Rows of the by-series table, at most this many printed (--json has them all). */
const SERIES_SHOWN = 20;

const VERDICTS: Record<BaselineName, string> = {
  persistence: 'the naive last-value forecast',
  'seasonal-naive': 'the value one season earlier',
  linear: 'a ridge regression on the flattened window',
  theta: 'the Theta method (R forecast::thetaf)',
  ets: 'exponential smoothing chosen by AICc (R forecast::ets)',
  arima: 'an ARIMA chosen by a stepwise search (auto.arima, via ctsa)',
};

function verdict(t: ForecastTargetMetrics, b: BaselineName): string {
  const s = t.skills[b] ?? NaN;
  const said = Number.isNaN(s) ? 'cannot be compared with' : s > 0 ? 'beats' : 'does NOT beat';
  const plain =
    b === 'linear' && s <= 0
      ? `; the linear baseline wins here (MAE ${formatNumber(t.baselines.linear?.mae ?? NaN)} against ${formatNumber(t.model.mae)})`
      : '';
  const label = b === 'persistence' ? '(1 − MAE_model / MAE_naive)' : '(1 − MAE_model / MAE_baseline)';
  return `${t.name}: skill vs ${b} ${formatNumber(s)} ${label}: the model ${said} ${VERDICTS[b]}${plain}`;
}

/** The by-series tables (MAE, then MASE) with their mean over series, and the mean sMAPE. */
function seriesLines(r: ForecastMetrics): string[] {
  if (!r.series || r.series.length === 0) return [];
  const names = Object.keys(r.series[0].targets[0].scores) as ('model' | BaselineName)[];
  const shown = r.series.slice(0, SERIES_SHOWN);
  const lines: string[] = [];
  for (const key of ['mae', 'mase'] as const) {
    const cell = (s: Partial<Record<string, ScaleFree>>, n: string) => s[n]?.[key];
    const rows: Cell[][] = shown.flatMap((s) =>
      s.targets.map((t) => [s.name, t.name, s.windows, ...names.map((n) => cell(t.scores ?? {}, n))]),
    );
    for (const m of r.seriesMean ?? [])
      rows.push(['mean over series', m.name, '', ...names.map((n) => cell(m.scores, n))]);
    lines.push(`${key.toUpperCase()} by series (each over its windows and every step ahead)`);
    lines.push(formatTable(['series', 'target', 'windows', ...names], rows));
  }
  if (r.series.length > SERIES_SHOWN)
    lines.push(`  … and ${r.series.length - SERIES_SHOWN} more series (--json lists them all; the means are over all)`);
  for (const m of r.seriesMean ?? []) {
    const each = names.map((n) => `${n} ${formatNumber(m.scores[n]?.smape ?? NaN)}`).join(', ');
    lines.push(`${m.name}: sMAPE % (mean over series): ${each}`);
  }
  return lines;
}

export function formatForecastMetrics(r: ForecastMetrics): string[] {
  const metrics = (m: ForecastScores) => [m.mse, m.rmse, m.mae, m.mase, m.smape, m.mape, m.r2];
  const names = (t: ForecastTargetMetrics) => Object.keys(t.baselines) as BaselineName[];
  const rows = r.targets.flatMap((t) => [
    [t.name, 'model', ...metrics(t.model)],
    ...names(t).map((b) => [t.name, b, ...metrics(t.baselines[b] as ForecastScores)]),
  ]);
  const steps = r.leads.length > 1 ? ` (each the mean over ${r.leads.length} steps ahead, 1 … ${r.leads.at(-1)})` : '';
  const headers = ['target', 'forecast', 'MSE', 'RMSE', 'MAE', 'MASE', 'sMAPE %', 'MAPE %', 'R²'];
  const lines = [formatTable(headers, rows) + steps];
  for (const t of r.targets) {
    for (const b of names(t)) lines.push(verdict(t, b));
    if (t.model.mapeSkipped > 0) lines.push(`  MAPE skips ${t.model.mapeSkipped} zero targets`);
  }
  if (r.leads.length > 1)
    for (const t of r.targets) {
      const byLead = t.byLead.map((l) => [l.lead, l.model.mae, ...names(t).map((b) => l.baselines[b]?.mae)]);
      lines.push(`${t.name}: MAE by step ahead`, formatTable(['step', 'model', ...names(t)], byLead));
    }
  if (r.coverage) {
    const c = r.coverage;
    const each = c.levels.map((l, i) => `${levelName(l)}%: ${formatNumber(c.overall[i])}`).join(', ');
    lines.push(`intervals (split conformal, calibrated on ${c.calibration}): coverage on this split ${each}`);
  }
  lines.push(...seriesLines(r));
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines;
}
