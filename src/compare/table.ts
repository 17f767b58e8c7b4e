// The comparison's table, one row per variant, shared by the terminal, compare.csv and report.md.
import { formatNumber, type Cell } from '../util/table.js';
import type { ParityResult } from './parity.js';
import type { VariantResult } from './race.js';

export function raceHeaders(metric: string): string[] {
  return [
    'variant',
    'params',
    'train loss',
    'val loss',
    `train ${metric}`,
    `val ${metric}`,
    'best epoch',
    's/epoch',
    'train samples/s',
    'infer samples/s',
  ];
}

export function raceRows(results: VariantResult[]): Cell[][] {
  return results.map((r) => [
    r.variant,
    r.params,
    r.scores?.train.loss,
    r.scores?.val.loss,
    r.scores?.train.metric,
    r.scores?.val.metric,
    r.bestEpoch,
    r.secondsPerEpoch,
    Math.round(r.trainSamplesPerSec),
    Math.round(r.inferenceSamplesPerSec),
  ]);
}

/** compare.csv's columns: machine-friendly names, full precision. */
export function csvHeaders(metric: string): string[] {
  return [
    'variant',
    'params',
    'train_loss',
    'val_loss',
    `train_${metric}`,
    `val_${metric}`,
    'best_epoch',
    'epochs',
    'seconds_per_epoch',
    'train_samples_per_sec',
    'inference_samples_per_sec',
    'run_dir',
  ];
}

export function csvRows(results: VariantResult[]): Cell[][] {
  return results.map((r) => [
    r.variant,
    r.params,
    r.scores?.train.loss,
    r.scores?.val.loss,
    r.scores?.train.metric,
    r.scores?.val.metric,
    r.bestEpoch,
    r.history.length,
    r.secondsPerEpoch,
    r.trainSamplesPerSec,
    r.inferenceSamplesPerSec,
    r.runDir,
  ]);
}

export const parityHeaders = ['pair', 'forward max |Δ|', 'gradient max |Δ|', 'worst gradient', 'result'];

export function parityRows(results: ParityResult[]): Cell[][] {
  return results.map((p) => [
    p.pair,
    sci(p.forwardMaxDiff),
    sci(p.gradientMaxDiff),
    p.gradientMaxDiff > 0 ? p.worstGradient : '-',
    p.pass ? 'PASS' : 'FAIL',
  ]);
}

/** Differences near float32 epsilon read best in exponent form; 0 stays 0. */
export function sci(x: number): string {
  return x === 0 ? '0' : Math.abs(x) < 1e-3 ? x.toExponential(1) : formatNumber(x);
}

/** A GitHub-flavoured Markdown table; numbers right-aligned. */
export function markdownTable(headers: string[], rows: Cell[][]): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|'); // a bare | would end the cell
  const text = (c: Cell) =>
    c === null || c === undefined ? '' : typeof c === 'number' ? formatNumber(c) : escape(String(c));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] == null));
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${headers.map((_, i) => text(r[i])).join(' | ')} |`),
  ].join('\n');
}
