// lstm-backtest: rolling-origin evaluation: k origins at the end of the data, h-step forecasts from each, beside
// the baselines, with the model the checkpoint's or retrained on the rows before the origins (--refit).
import { taskOf } from '../task/index.js';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { readCard } from '../checkpoint/model-checkpoint.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { readSpec, writeSpec, type BacktestSpec } from '../backtest/fold-files.js';
import { checkPlan, parseRefit } from '../backtest/folds.js';
import { scoresTable } from '../backtest/outputs.js';
import { writeOutputs } from '../backtest/outputs.js';
import { planLayout, runBacktest } from '../backtest/run.js';
import { summarize } from '../backtest/summary.js';
import { createRunDir } from '../train/run-dir.js';
import { formatTable } from '../util/table.js';
import { TOOL_VERSION } from '../util/versions.js';
import {
  addBackendOptions,
  parseCount,
  printWritten,
  runProgram,
  shortPath,
  startBackend,
  type BackendFlags,
} from './common.js';
import { watchInterrupts } from './interrupt.js';

interface BacktestFlags extends BackendFlags {
  config?: string;
  checkpoint?: string;
  data?: string;
  folds?: string;
  stride?: string;
  refit?: string;
  parallel?: number;
  out?: string;
  resume?: string;
  json?: boolean;
}

export function backtestCommand(): Command {
  const command = new Command('lstm-backtest')
    .description('Rolling-origin evaluation: forecasts from k origins at the end of the data, beside the baselines')
    .version(TOOL_VERSION)
    .option('-c, --config <file>', 'the lstm-train config to train the models from')
    .option('--checkpoint <dir>', 'a trained checkpoint (its config retrains with --refit every or N)')
    .option('-d, --data <csv>', "the file to backtest on (default: the config's data.path)")
    .option('--folds <k>', 'origins, at the end of each series (default 5)')
    .option('--stride <s>', 'rows between origins (default 1); the last origin leaves the horizon after it')
    .option(
      '--refit <when>',
      'every (a model per origin), never (the checkpoint, or one model trained up to the first origin), or N (every N folds)',
    )
    .option('--parallel <n>', 'trainings at once, each a process (default: the cores)', parseCount)
    .option('-o, --out <dir>', 'parent folder of the backtest folder (default: output.dir of the config)')
    .option('--resume <dir>', 'finish a backtest that was stopped: the folds already written are skipped')
    .option('--json', 'print the scores as JSON on stdout and nothing else there');
  return addBackendOptions(command, false)
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

/** A whole number flag as given: --folds 0 and --stride -1 reach checkPlan, which names them. */
const wholeFlag = (flag: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`${flag}: expected a whole number, got "${value}"`);
  return Number(value);
};

/** The run asked for: from a config, or from a checkpoint (its card carries its config). */
async function newSpec(flags: BacktestFlags): Promise<BacktestSpec> {
  if ((flags.config === undefined) === (flags.checkpoint === undefined))
    throw new UsageError(
      'expected one of --config <file> or --checkpoint <dir>',
      'lstm-backtest --config configs/forecast.json --folds 5 --stride 24 --refit every',
    );
  const checkpoint = flags.checkpoint === undefined ? undefined : resolve(flags.checkpoint);
  const config = checkpoint ? (await readCard(checkpoint)).config : loadConfig(flags.config!);
  if (!taskOf(config.data.task).forecastsAhead)
    throw new UsageError(
      `${flags.config ?? flags.checkpoint}: expected a forecaster, got data.task "${config.data.task}"`,
    );
  const plan = {
    folds: wholeFlag('--folds', flags.folds, 5),
    stride: wholeFlag('--stride', flags.stride, 1),
    refit: parseRefit(flags.refit ?? 'never'),
  };
  checkPlan(plan);
  const dataPath = resolve(flags.data ?? config.data.path);
  const season = 'season' in config.data ? config.data.season : undefined;
  // the refits train on this file cut at the origins, whatever file the config or checkpoint was trained on
  const data = { ...config.data, path: dataPath };
  return { version: 1, ...plan, ...(checkpoint ? { checkpoint } : {}), config: { ...config, data }, dataPath, season };
}

/** --resume repeats the stopped run exactly: flags that would change it are refused, not ignored. */
function checkResume(flags: BacktestFlags): void {
  const given = (['config', 'checkpoint', 'data', 'folds', 'stride', 'refit', 'out'] as const).filter(
    (k) => flags[k] !== undefined,
  );
  if (flags.resume && given.length > 0)
    throw new UsageError(
      `--resume: expected no ${given.map((k) => `--${k}`).join(', ')} (a resumed backtest runs as it was started)`,
      `lstm-backtest --resume ${flags.resume}`,
    );
}

export async function runBacktestCommand(flags: BacktestFlags): Promise<number> {
  checkResume(flags);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const log = flags.json ? (s: string) => process.stderr.write(`${s}\n`) : out;
  const spec = flags.resume ? readSpec(resolve(flags.resume)) : await newSpec(flags);
  await startBackend({ ...spec.config, backend: flags.backend ?? spec.config.backend }, log, spec.config.model);
  const layout = await planLayout(spec); // refuses folds that do not fit before any folder is made
  const dir = flags.resume
    ? resolve(flags.resume)
    : createRunDir(resolve(flags.out ?? spec.config.output.dir), `${spec.config.name}-backtest`);
  if (!flags.resume) await writeSpec(dir, spec);
  log(`backtest: ${shortPath(dir)} (${spec.folds} folds, stride ${spec.stride}, refit ${spec.refit})`);
  let passOn = () => {};
  const interrupts = watchInterrupts(() => passOn());
  const run = runBacktest(dir, spec, layout, {
    parallel: flags.parallel ?? Math.max(1, availableParallelism()),
    interrupted: interrupts.requested,
    onFold: (f, done, of) => log(`fold ${f.fold} done (${done}/${of}), forecast with ${f.checkpoint}`),
  });
  passOn = run.signal;
  const folds = await run.done.finally(() => interrupts.dispose());
  if (folds === 'interrupted') {
    log(
      `interrupted; the finished folds are in ${shortPath(dir)}/folds\nresume with: lstm-backtest --resume ${shortPath(dir)}`,
    );
    return 130;
  }
  const summary = summarize(folds);
  const files = await writeOutputs(dir, spec, layout, folds, summary);
  if (flags.json) out(JSON.stringify({ dir, ...summary }, null, 2));
  else {
    const overall = scoresTable(summary, '', [{ key: '', scores: summary.overall }]);
    out(formatTable(overall.headers, overall.rows));
    printWritten('backtest', dir, files);
  }
  return 0;
}

export const main = (argv = process.argv) =>
  runProgram(backtestCommand(), argv, (_, program) => runBacktestCommand(program.opts<BacktestFlags>()));
