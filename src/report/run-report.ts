// report.html of a run directory, built from the directory's own files (so runs of any version get one).
import { renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MEANING, type Quantity } from '../charts/gates-plot.js';
import type { Cell } from '../util/table.js';
import type { ClassifyMetrics, ForecastMetrics } from '../task/types.js';
import { chart, esc, facts, page, paragraph, section, table } from './html.js';
import { readRunDir, type NamedSpec, type RunFiles } from './run-files.js';

const charts = (specs: NamedSpec[]) => specs.map((s) => chart({ spec: s.spec })).join('');

const members = (m: { [k: string]: unknown }) =>
  typeof m.ensemble === 'number' && m.ensemble > 1 ? `, an ensemble of ${m.ensemble} seeds` : '';

function overview(r: RunFiles): string {
  const { summary: s } = r;
  const m = s.model;
  const shape = `${m.layers} layer${m.layers === 1 ? '' : 's'} × ${m.hiddenSize} units`;
  const kind = `${m.impl}${m.impl === 'hand' && m.kernel ? ` (${m.kernel} kernel)` : ''}`;
  const d = s.data;
  const sizes = d?.sizes && Object.entries(d.sizes).map(([k, v]) => `${k} ${v}`);
  return facts([
    [
      'model',
      `${kind} ${m.bidirectional ? 'bidirectional ' : ''}LSTM, ${shape}, dropout ${m.dropout ?? 0}${members(m)}`,
    ],
    ['parameters', s.params],
    ['backend', s.backend],
    ['training', `${s.epochs} epochs (best ${s.bestEpoch ?? '?'}), ${s.stopReason ?? 'stop reason not recorded'}`],
    ['wall time', s.wallSeconds === undefined ? undefined : `${s.wallSeconds.toFixed(1)} s`],
    ['data', d ? `${d.file}: ${d.rows} rows` : undefined],
    ['features', d?.features.join(', ')],
    [s.task === 'forecast' ? 'targets' : 'classes', (s.task === 'forecast' ? d?.targets : d?.classes)?.join(', ')],
    ['examples', sizes?.join(', ')],
    ['written by', s.versions ? `lstm-train ${s.versions['lstm-train']}, tfjs ${s.versions.tfjs}` : undefined],
  ]);
}

/** summary.json's final scores of the best checkpoint: the numbers a reader checks first. */
function finalScores(r: RunFiles): string {
  const { summary: s } = r;
  if (!s.final) return paragraph('summary.json has no final scores.');
  const rows: Cell[][] = Object.entries(s.final).map(([split, v]) => [split, v.loss, v.metric, v.count]);
  const scope = s.metricScope ? ` (${s.metricScope.replace(/^,\s*/, '')})` : '';
  return table(['split', 'loss', s.metric, 'examples'], rows, {
    id: 'metrics',
    caption: `The best checkpoint (epoch ${s.bestEpoch ?? '?'}) in eval mode; ${s.metric}${scope}.`,
  });
}

function forecastTables(e: ForecastMetrics): string {
  const parts = e.targets.map((t) => {
    const names = Object.keys(t.baselines) as (keyof typeof t.baselines)[];
    // mase and smape: absent from a report.json written before them
    const rows: Cell[][] = [
      ['model', t.model.mae, t.model.mase, t.model.smape, t.model.rmse, t.model.mape, t.model.r2, undefined],
      ...names.map((b): Cell[] => {
        const m = t.baselines[b]!;
        return [b, m.mae, m.mase, m.smape, m.rmse, m.mape, m.r2, t.skills[b]];
      }),
    ];
    return table(['forecast', 'MAE', 'MASE', 'sMAPE %', 'RMSE', 'MAPE %', 'R²', 'skill vs it'], rows, {
      caption: `${t.name}: over every step ahead (${e.leads.length}); skill = 1 − MAE(model) / MAE(baseline)`,
    });
  });
  if (e.coverage) {
    const c = e.coverage;
    const rows: Cell[][] = c.levels.map((l, i) => [`${Math.round(l * 100)}%`, c.overall[i]]);
    parts.push(table(['interval', 'coverage'], rows, { caption: `Intervals: ${c.calibration}` }));
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
    parts.push(
      table(['series', 'windows', 'MAE', ...names], rows, { caption: `Per series, ${e.targets[0].name}: MAE` }),
    );
    parts.push(...seriesMase(e));
  }
  if (e.notes.length > 0) parts.push(`<ul>${e.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  return parts.join('');
}

/** Per series, the model's and each baseline's MASE, and each score's mean over series (reports that have them). */
function seriesMase(e: ForecastMetrics): string[] {
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
    table(['series', 'windows', ...names], rows, { caption: `Per series, ${e.targets[0].name}: MASE` }),
    table(['mean over series', ...names], means, { caption: `${e.targets[0].name}: each score's mean over series` }),
  ];
}

function classifyTables(e: ClassifyMetrics): string {
  const headline = table(
    ['accuracy', 'macro F1', 'majority class (baseline)'],
    [[e.accuracy, e.macroF1, e.majorityBaseline]],
  );
  const perClass = e.perClass.map((c): Cell[] => [c.label, c.precision, c.recall, c.f1, c.support]);
  return headline + table(['class', 'precision', 'recall', 'F1', 'support'], perClass);
}

/** An evaluation's tables: the model against its baselines (forecast) or per class (classify). */
export const metricTables = (e: ForecastMetrics | ClassifyMetrics) =>
  e.task === 'forecast' ? forecastTables(e) : classifyTables(e);

function evaluation(r: RunFiles): string {
  if (!r.eval) return '';
  const e = r.eval.metrics;
  const where = `${e.split} split, ${e.count} examples, checkpoint ${e.checkpoint ?? '?'} (epoch ${e.epoch ?? '?'})`;
  const tables = metricTables(e);
  return section('eval', 'Metrics and baselines', paragraph(where) + tables + charts(r.eval.charts));
}

function gates(r: RunFiles): string {
  if (!r.gates) return '';
  const g = r.gates.file;
  const bi = g.summary.some((s) => s.direction === 'backward');
  const rows = g.summary.map((s): Cell[] => [s.layer, ...(bi ? [s.direction] : []), s.gate, s.mean, s.saturated]);
  const headers = ['layer', ...(bi ? ['direction'] : []), 'gate', 'mean', 'saturated'];
  const legend = (['i', 'f', 'g', 'o', 'c', 'h'] as Quantity[]).map((q) => `<li><b>${q}</b>: ${esc(MEANING[q])}</li>`);
  const body =
    paragraph(
      `Over the ${g.split} split (${g.count} examples); saturated: below 0.05 or above 0.95 (g: beyond ±0.95).`,
    ) +
    `<ul>${legend.join('')}</ul>` +
    table(headers, rows, { id: 'gates' }) +
    charts(r.gates.charts);
  return section('gates', 'Inside the LSTM: the gates', body);
}

function missingNote(r: RunFiles): string {
  const lacks = [...r.missing];
  if (!r.gates) lacks.push(`gates/ (run lstm-eval ${join(r.dir, 'checkpoints', 'best')} --gates to add them)`);
  if (lacks.length === 0) return '';
  const items = lacks.map((m) => `<li>${esc(m)}</li>`).join('');
  return `<div class="missing"><p>This run directory has no:</p><ul>${items}</ul></div>`;
}

export function runReportHtml(r: RunFiles): string {
  const { summary: s } = r;
  const nav: [string, string][] = [
    ['overview', 'Overview'],
    ['loss', 'Loss'],
    ...(r.eval ? ([['eval', 'Metrics']] as [string, string][]) : []),
    ...(r.gates ? ([['gates', 'Gates']] as [string, string][]) : []),
    ['config', 'Config'],
  ];
  const body = [
    section('overview', 'Overview', overview(r) + finalScores(r) + missingNote(r)),
    section('loss', 'Loss curves', r.loss ? chart({ spec: r.loss }) : paragraph('No loss.vl.json in this run.')),
    evaluation(r),
    gates(r),
    section('config', 'Config', `<pre>${esc(JSON.stringify(r.config ?? {}, null, 2))}</pre>`),
  ].join('\n');
  return page({
    title: `${s.name}: lstm-train report`,
    heading: `${s.name}: ${s.task === 'forecast' ? 'a forecaster' : 'a classifier'}`,
    lede: `Run ${basename(r.dir)}, the report of lstm-train: everything below is read from the run directory's files.`,
    nav,
    body,
  });
}

/** Writes `<dir>/report.html` whole (a temporary file renamed over it) and returns its path and what was missing. */
export function writeRunReport(dir: string): { path: string; missing: string[] } {
  const files = readRunDir(dir);
  const path = join(dir, 'report.html');
  writeAtomically(path, runReportHtml(files));
  return { path, missing: files.missing };
}

export function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, path);
}
