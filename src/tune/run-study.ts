// Runs a study: successive halving over the trials, each rung's trials as lstm-train child processes, P at a time.
// Rungs are synchronous, so which trials go on depends on the scores alone, never on timing or --parallel.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCard } from '../checkpoint/model-checkpoint.js';
import { parseConfig, resolvePaths } from '../config/load.js';
import { setAt } from '../config/space.js';
import { shouldStopEarly } from '../train/state.js';
import type { RungDone } from './messages.js';
import { rank, survivors } from './plan.js';
import {
  clearRunning,
  studyPaths,
  writeLeaderboard,
  writeRunning,
  writeTrials,
  type Study,
  type Trial,
} from './study-files.js';

const BIN = (name: string) => fileURLToPath(new URL(`../../bin/${name}.js`, import.meta.url));

export type StudyEvent = { type: 'trialDone'; trial: Trial; rung: number; best: Trial | undefined } | RungDone;

export interface RunStudyOptions {
  parallel: number;
  /** XNNPACK threads of each trial */
  threads: number;
  /** no trial starts after this time (ms since the epoch) */
  deadline?: number;
  interrupted: () => boolean;
  onEvent?: (e: StudyEvent) => void;
}

export type StudyEnd = 'completed' | 'interrupted' | 'budget';

/** Trials that reached the furthest rung, ranked; then the others, each rung by its own ranking. */
export function leaderboard(study: Study, trials: Trial[]): Trial[] {
  const rungs = [...new Set(trials.map((t) => t.rungsDone))].sort((a, b) => b - a);
  const ranked = rungs.flatMap((r) =>
    rankedAt(
      study,
      trials.filter((t) => t.rungsDone === r),
      r - 1,
    ),
  );
  return [...ranked, ...trials.filter((t) => !ranked.includes(t))];
}

/** The trials with a score at `rung`, best first. */
function rankedAt(study: Study, trials: Trial[], rung: number): Trial[] {
  const scored = trials.flatMap((t) => {
    const at = scoreAt(t, rung);
    return at ? [{ trial: t.trial, ...at, t }] : [];
  });
  return rank(scored, study.higher).map((s) => s.t);
}

/** A trial's score at a rung; one that stopped early keeps its last score in the rungs after. */
function scoreAt(t: Trial, rung: number): { score: number; valLoss: number } | undefined {
  const at = t.rungs[rung] ?? (t.stoppedEarly ? t.rungs[t.rungs.length - 1] : undefined);
  if (at === undefined || at.score === null || !Number.isFinite(at.score)) return undefined;
  return { score: at.score, valLoss: at.valLoss ?? Infinity };
}

/** The trial's config: the base file's with its parameters set, validated, paths resolved, placed in the study. */
function trialConfig(study: Study, trial: Trial, threads: number) {
  let raw = study.base;
  for (const [path, value] of Object.entries(trial.params)) raw = setAt(raw, path, value);
  const config = resolvePaths(parseConfig(raw, `trial ${trial.trial}`), study.baseDir);
  return {
    ...config,
    name: `trial-${String(trial.trial).padStart(3, '0')}`,
    wasmThreads: config.wasmThreads === 'auto' ? threads : config.wasmThreads,
    output: { ...config.output, keepCheckpoints: 0 },
  };
}

interface Job {
  trial: Trial;
  rung: number;
}

/** Where the running children are kept: to pass an interrupt on, and in running.json. */
interface Children {
  add(c: ChildProcess): void;
  delete(c: ChildProcess): void;
}

/** The running trials, mirrored in running.json whenever one starts or ends. */
function trackChildren(dir: string) {
  const set = new Set<ChildProcess>();
  const write = () =>
    writeRunning(
      dir,
      [...set].flatMap((c) => (c.pid === undefined ? [] : [c.pid])),
    );
  write();
  return {
    add: (c: ChildProcess) => (set.add(c), write()),
    delete: (c: ChildProcess) => (set.delete(c), write()),
    signal: () => set.forEach((c) => c.kill('SIGINT')),
  };
}

/** One rung of one trial: lstm-train to the rung's epochs (started, or resumed exactly where it stopped). */
async function runJob(dir: string, study: Study, job: Job, o: RunStudyOptions, children: Children) {
  const { trial } = job;
  const target = study.rungs[job.rung];
  const home = join(studyPaths(dir).trialsDir, String(trial.trial).padStart(3, '0'));
  const runDir = trial.runDir ? join(dir, trial.runDir) : undefined;
  const last = runDir && join(runDir, 'checkpoints', 'last');
  const started = performance.now();
  let args: string[];
  if (last && existsSync(last)) {
    const card = await readCard(last);
    const state = card.trainState;
    const done =
      state &&
      !state.inProgress &&
      (state.epoch >= target || shouldStopEarly(state, card.config.train.earlyStopping.patience));
    if (done) return finish(dir, study, trial, runDir, job.rung, 0);
    args = ['--resume', runDir];
  } else {
    rmSync(home, { recursive: true, force: true }); // a trial killed before its first checkpoint starts over
    mkdirSync(home, { recursive: true });
    const config = join(home, 'config.json');
    writeFileSync(config, JSON.stringify(trialConfig(study, trial, o.threads), null, 2) + '\n');
    args = ['--config', config, '--out', home];
  }
  const result = await runChild(
    'lstm-train',
    [...args, '--epochs', String(target), '--withhold-test', '--quiet'],
    children,
  );
  const seconds = (performance.now() - started) / 1000;
  const made = runDir ?? findRun(home);
  if (result.code === 0 && made) return finish(dir, study, trial, made, job.rung, seconds);
  if (result.code === 130 || o.interrupted())
    return {
      ...trial,
      status: 'paused' as const,
      runDir: made && relative(dir, made),
      seconds: trial.seconds + seconds,
    };
  const error = result.stderr
    .split('\n')
    .filter((l) => l.startsWith('error:') || l.startsWith('  -'))
    .join(' ')
    .trim();
  return {
    ...trial,
    status: 'failed' as const,
    error: error || `lstm-train exited ${result.code}`,
    seconds: trial.seconds + seconds,
  };
}

function findRun(home: string): string | undefined {
  const runs = existsSync(home) ? readdirSync(home).filter((n) => existsSync(join(home, n, 'checkpoints'))) : [];
  return runs.length === 1 ? join(home, runs[0]) : undefined;
}

/** The trial after a rung, from its checkpoint's training state: the val score at its best epoch. */
async function finish(
  dir: string,
  study: Study,
  trial: Trial,
  runDir: string,
  rung: number,
  seconds: number,
): Promise<Trial> {
  const state = (await readCard(join(runDir, 'checkpoints', 'last'))).trainState!;
  // a best at epoch 0 is the start, scored before training (no history row)
  const best = state.bestEpoch === 0 ? state.start : state.history.find((h) => h.epoch === state.bestEpoch);
  const stoppedEarly = state.epoch < study.rungs[rung];
  return {
    ...trial,
    status: rung === study.rungs.length - 1 || stoppedEarly ? 'complete' : 'pending',
    rungsDone: rung + 1,
    epochs: state.epoch,
    bestEpoch: state.bestEpoch,
    score: best?.valMetric ?? null,
    valLoss: best?.valLoss ?? null,
    stoppedEarly,
    seconds: trial.seconds + seconds,
    runDir: relative(dir, runDir),
    error: undefined,
    rungs: [
      ...trial.rungs.slice(0, rung),
      { epochs: state.epoch, score: best?.valMetric ?? null, valLoss: best?.valLoss ?? null },
    ],
    history: state.history.map((h) => ({ epoch: h.epoch, valLoss: h.valLoss, valMetric: h.valMetric })),
  };
}

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a bin of ours as a child, in its own process group: a Ctrl-C reaches the study, which passes it on once. */
function runChild(bin: string, args: string[], children?: Children): Promise<ChildResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN(bin), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children?.add(child);
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (out.stdout += String(d)));
    child.stderr.on('data', (d) => (out.stderr += String(d)));
    child.on('close', (code) => {
      children?.delete(child);
      done({ code, ...out });
    });
  });
}

/** Runs `jobs` with at most `parallel` at once; none starts once `stop()` says so. */
async function pool<T>(items: T[], parallel: number, stop: () => boolean, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length && !stop()) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/**
 * Runs the study from where its trials stand (a new study's are all pending), writing study.jsonl and
 * leaderboard.csv after every trial's rung. `signal()` passes an interrupt on to the running trials.
 */
export function runStudy(dir: string, study: Study, start: Trial[], o: RunStudyOptions) {
  const children = trackChildren(dir);
  const run = async (): Promise<{ end: StudyEnd; trials: Trial[] }> => {
    let trials = start;
    const save = () => {
      writeTrials(dir, trials);
      writeLeaderboard(dir, study, leaderboard(study, trials));
    };
    const overBudget = () => o.deadline !== undefined && Date.now() >= o.deadline;
    const current = (e: Trial) => trials.find((t) => t.trial === e.trial)!;
    save();
    let entrants = trials.filter((t) => t.status !== 'failed');
    for (let rung = 0; rung < study.rungs.length; rung++) {
      const jobs = entrants.filter((t) => t.rungsDone <= rung && t.status !== 'complete' && t.status !== 'failed');
      await pool(
        jobs,
        o.parallel,
        () => o.interrupted() || overBudget(),
        async (t) => {
          const updated = await runJob(dir, study, { trial: current(t), rung }, o, children);
          trials = trials.map((x) => (x.trial === updated.trial ? updated : x));
          save();
          if (updated.status !== 'paused')
            o.onEvent?.({ type: 'trialDone', trial: updated, rung, best: leaderboard(study, trials)[0] });
        },
      );
      if (o.interrupted()) return { end: 'interrupted', trials };
      const open = (t: Trial) => t.rungsDone <= rung && t.status !== 'complete' && t.status !== 'failed';
      if (overBudget() && entrants.map(current).some(open)) return { end: 'budget', trials };
      if (rung === study.rungs.length - 1) break;
      // the rung's finishers, best first; the best 1/eta go on (one that stopped early goes on with its score)
      const finished = rankedAt(study, entrants.map(current), rung);
      const kept = finished.slice(0, survivors(finished.length, study.space.eta));
      trials = trials.map((t) =>
        finished.includes(t) && !kept.includes(t) && t.status === 'pending' ? { ...t, status: 'pruned' as const } : t,
      );
      save();
      const ended = entrants.map(current);
      entrants = kept.map(current);
      const goOn = entrants.filter((t) => t.status === 'pending');
      o.onEvent?.(rungDone(study, rung, { finished, kept: entrants, ended }));
      if (goOn.length === 0) break; // the kept trials all stopped early: no rung after this one has work
      if (overBudget()) return { end: 'budget', trials };
    }
    return { end: 'completed', trials };
  };
  const done = run().finally(() => clearRunning(dir));
  return { done, signal: children.signal };
}

/** What became of each trial on the rung: kept and going on, kept but stopped early, pruned, failed. */
function rungDone(study: Study, rung: number, r: { finished: Trial[]; kept: Trial[]; ended: Trial[] }): RungDone {
  const ids = (ts: Trial[]) => ts.map((t) => t.trial);
  const keptIds = ids(r.kept);
  return {
    type: 'rungDone',
    rung,
    epochs: study.rungs[rung],
    nextEpochs: study.rungs[rung + 1],
    kept: r.kept.length,
    of: r.finished.length,
    goOn: ids(r.kept.filter((t) => t.status === 'pending')),
    stopped: ids(r.kept.filter((t) => t.status !== 'pending')),
    pruned: ids(r.finished).filter((id) => !keptIds.includes(id)),
    failed: ids(r.ended.filter((t) => t.status === 'failed')),
  };
}

/** The best trial's test score, once, at the end: lstm-eval on its best checkpoint, the report with baselines. */
export async function scoreTest(
  dir: string,
  best: Trial,
): Promise<{ code: number | null; report?: unknown; stderr: string }> {
  const checkpoint = join(dir, best.runDir!, 'checkpoints', 'best');
  const { code, stdout, stderr } = await runChild('lstm-eval', [checkpoint, '--split', 'test', '--json']);
  if (code !== 0) return { code, stderr };
  const report = JSON.parse(stdout) as Record<string, unknown>;
  writeFileSync(
    studyPaths(dir).test,
    JSON.stringify({ trial: best.trial, checkpoint: relative(dir, checkpoint), ...report }, null, 2) + '\n',
  );
  return { code, report, stderr };
}
