// lstm-tune: search configurations of a base config by successive halving, trials as lstm-train child processes.
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig, readJsonFile } from '../config/load.js';
import { METHODS, getAt, parseSpace, type Space } from '../config/space.js';
import { UsageError } from '../errors.js';
import { taskOf } from '../task/index.js';
import { createRunDir } from '../train/run-dir.js';
import { rungLines, trialOutcome } from '../tune/messages.js';
import { drawTrials, plannedRuns, rungEpochs } from '../tune/plan.js';
import { writeStudyReport } from '../tune/report.js';
import { leaderboard, runStudy, scoreTest, type StudyEvent } from '../tune/run-study.js';
import {
  bestConfig,
  paramCell,
  readStudy,
  stillRunning,
  studyPaths,
  writeBestConfig,
  writeStudy,
  type Study,
  type Trial,
} from '../tune/study-files.js';
import { formatNumber, formatTable } from '../util/table.js';
import { TOOL_VERSION } from '../util/versions.js';
import { parseCount, parseWhole, printWritten, runProgram, shortPath } from './common.js';
import { watchInterrupts } from './interrupt.js';

export interface TuneFlags {
  config?: string;
  space?: string;
  resume?: string;
  out?: string;
  trials?: number;
  method?: Space['method'];
  seed?: number;
  parallel?: number;
  timeBudget?: number;
  quiet?: boolean;
  debug?: boolean;
}

/** "90s", "30m", "2h", or a number of minutes → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(value.trim());
  if (!m || Number(m[1]) <= 0)
    throw new InvalidArgumentError(`expected a duration such as 90s, 30m or 2h, got "${value}"`);
  return Number(m[1]) * { s: 1000, m: 60000, h: 3600000 }[(m[2] ?? 'm') as 's' | 'm' | 'h'];
}

export function tuneCommand(): Command {
  return new Command('lstm-tune')
    .description('Search configurations of a base config (successive halving or random search) and keep the best')
    .version(TOOL_VERSION)
    .option('-c, --config <file>', 'the base lstm-train config')
    .option(
      '-s, --space <file>',
      'the search space: {"params": {"model.hiddenSize": {"choice": [16, 32]}, …}, …} (default: the config\'s "tune" block)',
    )
    .option('--resume <study-dir>', 'continue a study where it stopped (no trial runs twice)')
    .option('-o, --out <dir>', 'parent folder of the study directory (default: output.dir of the config)')
    .option('--trials <n>', 'trials in the study (overrides the space file)', parseCount)
    .addOption(new Option('--method <name>', 'halving or random (overrides the space file)').choices(METHODS))
    .option('--seed <n>', "the sampler's seed (overrides the space file)", parseWhole)
    .option('--parallel <n>', 'trials at once, each a process (default: the cores, one thread each)', parseCount)
    .option(
      '--time-budget <duration>',
      'start no trial after this long (90s, 30m, 2h); the study ends with what it has',
      parseDuration,
    )
    .option('-q, --quiet', 'print only the final summary')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

/** A new study: everything is validated before the study directory is made. */
function newStudy(flags: TuneFlags): { dir: string; study: Study; trials: Trial[] } {
  if (!flags.config)
    throw new UsageError(
      '--config: expected a file, got nothing',
      'lstm-tune --config configs/forecast.json --space space.json',
    );
  const config = loadConfig(flags.config);
  const { tune: block, ...base } = readJsonFile(flags.config) as Record<string, unknown>;
  if (!flags.space && block === undefined)
    throw new UsageError(
      `--space: expected a file, got nothing, and ${flags.config} has no "tune" block`,
      'lstm-tune --config configs/forecast.json --space space.json',
    );
  // a --space file wins over the config's own tune block
  const spaceFile = flags.space ? (readJsonFile(flags.space, 'search space') as Record<string, unknown>) : block;
  const overrides = { trials: flags.trials, method: flags.method, seed: flags.seed };
  const given = {
    ...(spaceFile as object),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const space = parseSpace(given, base, flags.space ?? flags.config, !flags.space);
  const task = taskOf(config.data.task);
  const study: Study = {
    version: 1,
    created: new Date().toISOString(),
    base,
    baseDir: dirname(resolve(flags.config)),
    space,
    metric: task.metric,
    higher: task.higherIsBetter,
    rungs: rungEpochs(space, config.train.epochs),
  };
  const baseParams = Object.fromEntries(Object.keys(space.params).map((p) => [p, getAt(config, p)]));
  const trials = [baseParams, ...drawTrials(space)].map((params, i): Trial => ({
    trial: i + 1,
    params,
    status: 'pending',
    rungsDone: 0,
    epochs: 0,
    bestEpoch: 0,
    score: null,
    valLoss: null,
    stoppedEarly: false,
    seconds: 0,
    rungs: [],
    history: [],
  }));
  const dir = createRunDir(flags.out ? resolve(flags.out) : config.output.dir, `${config.name}-tune`);
  writeStudy(dir, study);
  return { dir, study, trials };
}

function resumedStudy(flags: TuneFlags) {
  const clash = (['config', 'space', 'out', 'trials', 'method', 'seed'] as const).find((f) => flags[f] !== undefined);
  if (clash)
    throw new UsageError(
      `--${clash}: a resumed study keeps its own; drop --${clash}`,
      `lstm-tune --resume ${flags.resume}`,
    );
  const dir = resolve(flags.resume!);
  const opened = readStudy(dir);
  const { study, trials } = stillRunning(dir);
  if (study !== undefined || trials.length > 0)
    throw new UsageError(
      `--resume: the study is still running: ${study !== undefined ? `lstm-tune (pid ${study})` : `trials of a stopped lstm-tune, finishing their rung (pids ${trials.join(', ')})`}`,
      study !== undefined ? `stop it first (kill -INT ${study}) or wait for it` : 'wait for them to end, then resume',
    );
  return { dir, ...opened };
}

const paramText = (t: Trial) =>
  Object.entries(t.params)
    .map(([k, v]) => `${k.split('.').pop()}=${JSON.stringify(v)}`)
    .join(' ');

function progress(study: Study, trials: Trial[], quiet: boolean) {
  const tty = process.stdout.isTTY === true && !quiet;
  const bars = tty
    ? new cliProgress.MultiBar(
        {
          format: 'study {bar} {value}/{total} trial rungs | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const total = plannedRuns(trials.length, study.rungs.length, study.space.eta);
  const bar = bars?.create(
    total,
    trials.reduce((n, t) => n + t.rungsDone, 0),
  );
  const line = (s: string) => {
    if (quiet) return;
    if (bars) bars.log(`${s}\n`);
    else process.stdout.write(`${s}\n`);
  };
  const event = (e: StudyEvent) => {
    if (e.type === 'trialDone') {
      bar?.increment();
      const t = e.trial;
      const score = trialOutcome(t, study.metric);
      const best = e.best?.trial === t.trial ? ' (best so far)' : '';
      line(
        `trial ${t.trial}/${trials.length} ${t.epochs} epoch${t.epochs === 1 ? '' : 's'}: ${score}${best}  ${paramText(t)}  ${formatNumber(t.seconds)}s`,
      );
    } else rungLines(e).forEach(line);
  };
  return { event, close: () => bars?.stop() };
}

export async function runTune(flags: TuneFlags): Promise<number> {
  const { dir, study, trials } = flags.resume ? resumedStudy(flags) : newStudy(flags);
  const cores = availableParallelism();
  const parallel = flags.parallel ?? Math.max(1, cores);
  const threads = Math.max(1, Math.floor(cores / parallel));
  const log = (s: string) => !flags.quiet && process.stdout.write(`${s}\n`);
  log(
    `study ${shortPath(dir)}: ${trials.length} trials (trial 1 is the base config), ${study.space.method === 'halving' ? `successive halving over ${study.rungs.join(', ')} epochs` : `random search, ${study.rungs[0]} epochs each`}, ${parallel} at a time`,
  );
  const shown = progress(study, trials, !!flags.quiet);
  let passOn = () => {};
  const interrupts = watchInterrupts(() => passOn());
  const run = runStudy(dir, study, trials, {
    parallel,
    threads,
    deadline: flags.timeBudget === undefined ? undefined : Date.now() + flags.timeBudget,
    interrupted: () => interrupts.requested(),
    onEvent: shown.event,
  });
  passOn = run.signal;
  let result;
  try {
    result = await run.done;
  } finally {
    interrupts.dispose();
    shown.close();
  }
  const ranked = leaderboard(study, result.trials);
  if (result.end === 'interrupted') {
    writeStudyReport(dir);
    process.stdout.write(
      `interrupted; study.jsonl is up to date\nresume with: npx lstm-tune --resume ${shortPath(dir)}\n`,
    );
    return 130;
  }
  if (result.end === 'budget') log('time budget spent: no more trials started; the best so far is kept');
  const best = ranked[0];
  if (!best || best.score === null) {
    writeStudyReport(dir);
    process.stderr.write(`error: no trial finished; see ${shortPath(studyPaths(dir).trials)}\n`);
    return 1;
  }
  return finishStudy(dir, study, ranked, best);
}

async function finishStudy(dir: string, study: Study, ranked: Trial[], best: Trial): Promise<number> {
  const names = Object.keys(study.space.params);
  const rows = ranked
    .slice(0, 5)
    .map((t, i) => [
      i + 1,
      t.trial,
      t.status,
      t.epochs,
      formatNumber(t.score ?? NaN),
      ...names.map((n) => paramCell(t.params[n])),
    ]);
  process.stdout.write(
    `${formatTable(['rank', 'trial', 'status', 'epochs', `val ${study.metric}`, ...names], rows)}\n`,
  );
  const bestPath = writeBestConfig(dir, bestConfig(dir, study, best.params));
  const base = ranked.find((t) => t.trial === 1);
  process.stdout.write(
    `best: trial ${best.trial}, val ${study.metric} ${formatNumber(best.score!)}` +
      (base && base.score !== null && base.trial !== best.trial
        ? ` (the base config: ${formatNumber(base.score)} after ${base.epochs} epoch${base.epochs === 1 ? '' : 's'})`
        : '') +
      '\n',
  );
  const test = await scoreTest(dir, best);
  if (test.code !== 0) process.stdout.write(`test split not scored: ${test.stderr.trim().split('\n')[0]}\n`);
  else {
    const r = test.report as { accuracy?: number; targets?: { name: string; model: Record<string, number> }[] };
    const scores = r.targets
      ? r.targets.map((t) => `${t.name} ${formatNumber(t.model[study.metric])}`).join(', ')
      : formatNumber(r.accuracy ?? NaN);
    process.stdout.write(`test ${study.metric} of the best trial (scored once, now): ${scores}\n`);
  }
  const p = studyPaths(dir);
  printWritten('study directory', dir, [
    p.trials,
    p.leaderboard,
    bestPath,
    ...(test.code === 0 ? [p.test] : []),
    writeStudyReport(dir),
    p.trialsDir,
  ]);
  return 0;
}

export const main = (argv = process.argv) =>
  runProgram(tuneCommand(), argv, (_, program) => runTune(program.opts<TuneFlags>()));
