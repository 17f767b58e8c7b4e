// A study directory's files: study.json (what was asked), study.jsonl (one line per trial), leaderboard.csv and the
// best config. Each is replaced whole (temp file + rename), so a kill never leaves one half-written.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { spaceSchema, setAt } from '../config/space.js';
import { CheckpointError } from '../errors.js';
import { writeAtomically } from '../report/run-report.js';
import { toCsv, type Cell } from '../util/table.js';
import type { Params } from './plan.js';

export const STATUSES = ['pending', 'paused', 'pruned', 'complete', 'failed'] as const;

const studySchema = z.object({
  version: z.literal(1),
  created: z.string(),
  /** the base config as its file holds it, and the folder its relative paths start from */
  base: z.record(z.string(), z.unknown()),
  baseDir: z.string(),
  space: spaceSchema,
  /** the task's headline metric, and whether higher is better */
  metric: z.string(),
  higher: z.boolean(),
  rungs: z.array(z.number().int().positive()),
});
export type Study = z.infer<typeof studySchema>;

export const trialSchema = z.object({
  trial: z.number().int().positive(),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(STATUSES),
  /** rungs finished (0: none yet) */
  rungsDone: z.number().int().nonnegative(),
  epochs: z.number().int().nonnegative(),
  bestEpoch: z.number().int().nonnegative(),
  /** the val split's headline metric at the best epoch, and its val loss */
  score: z.number().nullable(),
  valLoss: z.number().nullable(),
  stoppedEarly: z.boolean(),
  seconds: z.number(),
  /** relative to the study directory */
  runDir: z.string().optional(),
  error: z.string().optional(),
  /** the score and val loss at the end of each rung finished */
  rungs: z.array(z.object({ epochs: z.number(), score: z.number().nullable(), valLoss: z.number().nullable() })),
  history: z.array(z.object({ epoch: z.number(), valLoss: z.number(), valMetric: z.number() })),
});
export type Trial = z.infer<typeof trialSchema>;

export const studyPaths = (dir: string) => ({
  study: join(dir, 'study.json'),
  trials: join(dir, 'study.jsonl'),
  leaderboard: join(dir, 'leaderboard.csv'),
  best: join(dir, 'best-config.json'),
  test: join(dir, 'test.json'),
  report: join(dir, 'report.html'),
  running: join(dir, 'running.json'),
  trialsDir: join(dir, 'trials'),
});

/** running.json: the pids of the lstm-tune running the study and of its trials, for a second lstm-tune to see. */
export function writeRunning(dir: string, trialPids: number[]): void {
  writeAtomically(studyPaths(dir).running, JSON.stringify({ pid: process.pid, trials: trialPids }) + '\n');
}

export const clearRunning = (dir: string) => rmSync(studyPaths(dir).running, { force: true });

/**
 * The processes of running.json still alive: an lstm-tune on the study, or trials left by one killed with
 * SIGKILL, which finish their rung first.
 */
export function stillRunning(dir: string): { study?: number; trials: number[] } {
  const path = studyPaths(dir).running;
  if (!existsSync(path)) return { trials: [] };
  let file: { pid?: unknown; trials?: unknown };
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as typeof file;
  } catch {
    return { trials: [] };
  }
  const pids = (Array.isArray(file.trials) ? file.trials : []).filter((p): p is number => Number.isInteger(p));
  const study = Number.isInteger(file.pid) && alive(file.pid as number) ? (file.pid as number) : undefined;
  return { study, trials: pids.filter(alive) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeStudy(dir: string, study: Study): void {
  writeAtomically(studyPaths(dir).study, JSON.stringify(study, null, 2) + '\n');
}

export function readStudy(dir: string): { study: Study; trials: Trial[] } {
  const paths = studyPaths(dir);
  if (!existsSync(paths.study))
    throw new CheckpointError(
      dir,
      'not a study directory to resume: study.json is missing',
      'pass the folder lstm-tune printed',
    );
  const study = studySchema.parse(JSON.parse(readFileSync(paths.study, 'utf8')));
  const lines = existsSync(paths.trials)
    ? readFileSync(paths.trials, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
    : [];
  return { study, trials: lines.map((l) => trialSchema.parse(JSON.parse(l))) };
}

/** study.jsonl: one line per trial, its latest state. */
export function writeTrials(dir: string, trials: Trial[]): void {
  const nulled = (t: Trial) => JSON.stringify({ ...t, score: finite(t.score), valLoss: finite(t.valLoss) });
  writeAtomically(studyPaths(dir).trials, trials.map(nulled).join('\n') + '\n');
}
const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

/** The leaderboard, `ranked` best first, one column per parameter: leaderboard.csv's and report.html's rows. */
export function leaderboardTable(study: Study, ranked: Trial[]): { headers: string[]; rows: Cell[][] } {
  const names = Object.keys(study.space.params);
  const headers = [
    'rank',
    'trial',
    'status',
    'epochs',
    'best_epoch',
    `val_${study.metric}`,
    'val_loss',
    'seconds',
    ...names,
  ];
  const rows = ranked.map((t, i): Cell[] => [
    i + 1,
    t.trial,
    t.status,
    t.epochs,
    t.bestEpoch,
    t.score ?? '',
    t.valLoss ?? '',
    Math.round(t.seconds * 10) / 10,
    ...names.map((n) => paramCell(t.params[n])),
  ]);
  return { headers, rows };
}

/** A parameter's value in a table: numbers and strings as they are, anything else as its JSON text. */
export const paramCell = (v: unknown): number | string =>
  typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);

export function writeLeaderboard(dir: string, study: Study, ranked: Trial[]): void {
  const { headers, rows } = leaderboardTable(study, ranked);
  writeAtomically(studyPaths(dir).leaderboard, toCsv(headers, rows));
}

/**
 * The best trial as a plain lstm-train config: the base file's text with the parameters set, its paths rewritten
 * to start from the study directory, where the file is written.
 */
export function bestConfig(dir: string, study: Study, params: Params): Record<string, unknown> {
  let config: Record<string, unknown> = study.base;
  for (const [path, value] of Object.entries(params)) config = setAt(config, path, value);
  const from = (p: unknown, fallback: string) => {
    const given = typeof p === 'string' ? p : fallback;
    return isAbsolute(given) ? given : relative(resolve(dir), resolve(study.baseDir, given));
  };
  config = setAt(config, 'data.path', from((config.data as Record<string, unknown>).path, ''));
  return setAt(config, 'output.dir', from((config.output as Record<string, unknown> | undefined)?.dir, 'runs'));
}

export function writeBestConfig(dir: string, config: Record<string, unknown>): string {
  const path = studyPaths(dir).best;
  writeAtomically(path, JSON.stringify(config, null, 2) + '\n');
  return path;
}
