// bench/panel.ts's tables: per series and method MAE, MASE and sMAPE, the geometric mean of each method's MAE
// relative to the best of our peers (ETS, ARIMA, Theta) per series, and where the LSTM is at or below seasonal naive.
import { fmt } from './accuracy.js';

export interface Score {
  mae: number;
  mase: number;
  smape: number;
}

/** sMAPE in %, as lstm-eval's (the M competitions'). */
export function smapeOf(truth: number[], forecast: number[]): number {
  const terms = truth.map((y, k) => {
    const d = Math.abs(y) + Math.abs(forecast[k]);
    return d > 0 ? (200 * Math.abs(forecast[k] - y)) / d : 0;
  });
  return terms.reduce((a, v) => a + v, 0) / terms.length;
}

const geoMean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** The markdown tables for `scores` (series → method → score). */
export function tables(scores: Map<string, Record<string, Score>>): string {
  const methods = [...new Set([...scores.values()].flatMap((row) => Object.keys(row)))];
  const head = `| series | ${methods.join(' | ')} |\n|---|${methods.map(() => '---:').join('|')}|`;
  const lines: string[] = [];
  for (const key of ['mae', 'mase', 'smape'] as const) {
    lines.push(`\n${{ mae: 'test MAE', mase: 'MASE', smape: 'sMAPE %' }[key]}\n`, head);
    for (const [name, row] of scores)
      lines.push(`| ${name} | ${methods.map((m) => fmt(row[m]?.[key] ?? NaN)).join(' | ')} |`);
  }
  const relative = methods.map((m) => {
    const best = (row: Record<string, Score>) =>
      Math.min(...['ets', 'arima', 'theta'].map((p) => row[p]?.mae ?? NaN).filter(Number.isFinite));
    // a series no peer could fit has no best peer (Infinity): left out
    const ratios = [...scores.values()]
      .filter((row) => row[m] !== undefined && Number.isFinite(row[m].mae) && Number.isFinite(best(row)))
      .map((row) => row[m].mae / best(row));
    return `${fmt(geoMean(ratios))} (${ratios.length})`;
  });
  lines.push(`\nMAE / best of our ETS, ARIMA, Theta per series, geometric mean (over how many series)\n`, head);
  lines.push(`| all | ${relative.join(' | ')} |`);
  for (const lstm of methods.filter((m) => m.startsWith('LSTM'))) {
    const versus = [...scores].map(([name, row]) => {
      const naive = Number.isFinite(row['seasonal-naive']?.mae) ? 'seasonal-naive' : 'persistence';
      const ratio = row[lstm].mae / row[naive].mae;
      return `${name} ${fmt(ratio)}${naive === 'persistence' ? ' (no season: naive)' : ''}`;
    });
    lines.push(`\n${lstm} MAE / seasonal naive's: ${versus.join('; ')}`);
  }
  return lines.join('\n');
}
