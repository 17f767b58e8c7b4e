// report.html of a study directory, from its own files: the leaderboard, the val score against each parameter, the
// val curves of the best trials, and the one test score of the best.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paramScoreSpec, trialCurvesSpec } from '../charts/study-plots.js';
import { DataError } from '../errors.js';
import { chart, esc, facts, page, paragraph, section, table } from '../report/html.js';
import { metricTables, writeAtomically } from '../report/run-report.js';
import { taskOf, type TaskMetrics } from '../task/index.js';
import { formatNumber } from '../util/table.js';
import { leaderboard } from './run-study.js';
import { leaderboardTable, paramCell, readStudy, studyPaths, type Study, type Trial } from './study-files.js';

/** Curves of this many of the best trials: enough to compare, few enough to tell apart. */
const CURVES = 5;

export const isStudyDir = (dir: string) => existsSync(studyPaths(dir).study);

const epochsText = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;
const scoreText = (study: Study, t: Trial) =>
  t.score === null ? 'no score' : `val ${study.metric} ${formatNumber(t.score)} after ${epochsText(t.epochs)}`;

function overview(study: Study, ranked: Trial[], test: TaskMetrics | undefined): string {
  const count = (s: Trial['status']) => ranked.filter((t) => t.status === s).length;
  const statuses = (['complete', 'pruned', 'pending', 'paused', 'failed'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`);
  const best = ranked[0];
  const base = ranked.find((t) => t.trial === 1);
  const s = study.space;
  const search =
    s.method === 'halving'
      ? `successive halving: ${s.trials} trials, rungs at ${study.rungs.join(', ')} epochs, the best 1/${s.eta} go on`
      : `random search: ${s.trials} trials of ${epochsText(study.rungs[0])}`;
  const data = study.base.data as { path?: unknown } | undefined;
  return facts([
    ['search', search],
    ['parameters', Object.keys(s.params).join(', ')],
    ['data', typeof data?.path === 'string' ? data.path : undefined],
    ['trials', statuses.join(', ')],
    ['best', best && best.score !== null ? `trial ${best.trial}: ${scoreText(study, best)}` : undefined],
    ['base config (trial 1)', base ? scoreText(study, base) : undefined],
    ['test', test ? testText(study, test) : 'not scored yet: the study has not finished'],
    ['trial time', `${formatNumber(ranked.reduce((n, t) => n + t.seconds, 0))} s in all`],
    ['created', study.created],
  ]);
}

function testText(study: Study, e: TaskMetrics): string {
  const scores = taskOf(e.task).scoreText(e, study.metric);
  return `${study.metric} ${scores} on ${e.count} examples, scored once, for the best trial only`;
}

/** Each trial's score at each rung it finished, against one parameter. */
function paramCharts(study: Study, trials: Trial[]): string {
  return Object.entries(study.space.params)
    .map(([param, spec]) => {
      const rows = trials.flatMap((t) =>
        t.rungs.flatMap((r) =>
          r.score === null
            ? []
            : [{ trial: t.trial, value: paramCell(t.params[param]), score: r.score, epochs: r.epochs }],
        ),
      );
      const range = 'range' in spec ? { log: spec.log, domain: spec.range } : {};
      return chart({
        spec: paramScoreSpec(rows, { title: `val ${study.metric} by ${param}`, param, metric: study.metric, ...range }),
      });
    })
    .join('');
}

function curves(study: Study, ranked: Trial[]): string {
  const best = ranked.filter((t) => t.history.length > 0).slice(0, CURVES);
  if (best.length === 0) return paragraph('No trial has finished an epoch yet.');
  const rows = best.flatMap((t) =>
    t.history.map((h) => ({ series: `trial ${t.trial}`, epoch: h.epoch, score: h.valMetric })),
  );
  const links = best.map((t) => {
    const report = join(t.runDir!, 'report.html');
    return `<li><a href="${esc(report)}">trial ${t.trial}</a>: ${esc(t.runDir!)}</li>`;
  });
  return (
    chart({
      spec: trialCurvesSpec(rows, {
        title: `val ${study.metric} per epoch, the best ${best.length} trials`,
        metric: study.metric,
      }),
    }) + `<ul>${links.join('')}</ul>`
  );
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new DataError(path, `expected the JSON lstm-tune writes, found text that does not parse (${String(e)})`);
  }
}

export function studyReportHtml(dir: string, study: Study, trials: Trial[]): string {
  const ranked = leaderboard(study, trials);
  const paths = studyPaths(dir);
  const test = readJson<TaskMetrics & { trial: number }>(paths.test);
  const best = readJson<Record<string, unknown>>(paths.best);
  const board = leaderboardTable(study, ranked);
  const body = [
    section('overview', 'Overview', overview(study, ranked, test)),
    section(
      'leaderboard',
      'Leaderboard',
      table(board.headers, board.rows, {
        id: 'leaderboard',
        caption: `Ranked by val ${study.metric} at the furthest rung each trial reached (a pruned trial trained fewer epochs).`,
      }),
    ),
    section('params', 'Val score by parameter', paramCharts(study, trials)),
    section('curves', 'Curves of the best trials', curves(study, ranked)),
    section(
      'test',
      'Test split',
      test
        ? paragraph(`Trial ${test.trial}'s best checkpoint, ${test.count} examples.`) + metricTables(test)
        : paragraph('Not scored yet: lstm-tune scores the test split once, for the best trial, when the study ends.'),
    ),
    section(
      'config',
      'Configs',
      (best ? `<h3>best-config.json</h3><pre>${esc(JSON.stringify(best, null, 2))}</pre>` : '') +
        `<h3>the base config</h3><pre>${esc(JSON.stringify(study.base, null, 2))}</pre>` +
        `<h3>the space</h3><pre>${esc(JSON.stringify(study.space, null, 2))}</pre>`,
    ),
  ].join('\n');
  const name = typeof study.base.name === 'string' ? study.base.name : 'study';
  return page({
    title: `${name}: lstm-tune study`,
    heading: `${name}: a study of ${study.space.trials} configurations`,
    lede: "The report of lstm-tune: everything below is read from the study directory's files.",
    nav: [
      ['overview', 'Overview'],
      ['leaderboard', 'Leaderboard'],
      ['params', 'By parameter'],
      ['curves', 'Curves'],
      ['test', 'Test'],
      ['config', 'Configs'],
    ],
    body,
  });
}

/** Writes `<dir>/report.html` of a study, whole; returns its path. */
export function writeStudyReport(dir: string): string {
  const { study, trials } = readStudy(dir);
  const path = studyPaths(dir).report;
  writeAtomically(path, studyReportHtml(dir, study, trials));
  return path;
}
