// lstm-train: train an LSTM from a JSON config and a CSV; writes a run directory with checkpoints, history and plots.
import { Command } from 'commander';
import {
  addBackendOptions,
  checkEpochsFlag,
  parseCount,
  printWritten,
  runProgram,
  shortPath,
  startBackend,
  withFlags,
} from './common.js';
import type { Config, WasmThreads } from '../config/schema.js';
import { configJsonSchema, loadConfig } from '../config/load.js';
import { prepare, type Prepared } from '../train/prepare.js';
import { trainRun, type RunOptions } from '../train/run.js';
import { taskOf } from '../task/index.js';
import { describeModel } from '../models/build.js';
import { createPhaseProgress, createReporter } from './output.js';
import { printDataSummary, printModelSummary, printScores } from './summaries.js';
import { TOOL_VERSION } from '../util/versions.js';
import { writeRunReport } from '../report/run-report.js';
import { watchInterrupts } from './interrupt.js';
import { loadResumable, storedConfig } from '../train/resume.js';
import { UsageError } from '../errors.js';

export interface TrainFlags {
  config?: string;
  schema?: boolean;
  dryRun?: boolean;
  out?: string;
  backend?: Config['backend'];
  stockKernels?: boolean;
  threads?: WasmThreads;
  epochs?: number;
  resume?: string;
  withholdTest?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

export function trainCommand(): Command {
  const command = new Command('lstm-train')
    .description('Train an LSTM on a CSV sequence dataset from a JSON config')
    .version(TOOL_VERSION)
    .option('-c, --config <file>', 'the JSON config (see --schema and the README)')
    .option('--schema', 'print the config JSON Schema and exit')
    .option('--dry-run', 'validate config and data, print the data and model summaries, train nothing')
    .option('-o, --out <dir>', 'parent folder of the run directory (default: output.dir of the config)');
  return addBackendOptions(command, true)
    .option('--epochs <n>', 'train this many epochs in all (overrides train.epochs)', parseCount)
    .option('--resume <run-dir>', 'continue a run from its checkpoints/last, exactly where it stopped')
    .option('--withhold-test', 'score and plot the val split only: the test split stays unseen (as in lstm-tune)')
    .option('-q, --quiet', 'print only the final summary')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

/** The config to run: the file's, or a resumed run's own; flags that contradict each other are refused first. */
async function startingConfig(flags: TrainFlags): Promise<Config> {
  if (flags.resume && flags.out)
    throw new UsageError(
      '--out: a resumed run continues in its own directory; drop --out',
      `lstm-train --resume ${flags.resume}`,
    );
  if (flags.config && flags.resume)
    throw new UsageError(
      '--resume: takes its config from the run directory; drop --config',
      'lstm-train --resume runs/<run> [--epochs N]',
    );
  if (flags.resume) return withFlags(await storedConfig(flags.resume), flags);
  if (flags.config) return withFlags(loadConfig(flags.config), flags);
  throw new UsageError('--config: expected a config file, got nothing', 'lstm-train --config configs/forecast.json');
}

export async function runTrain(flags: TrainFlags): Promise<number> {
  if (flags.schema) {
    process.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
    return 0;
  }
  const log = (s: string) => !flags.quiet && process.stdout.write(`${s}\n`);
  const config = await startingConfig(flags);
  const backend = await startBackend(config, log, config.model);
  const resumed = flags.resume ? await loadResumable(flags.resume, config) : undefined;
  checkEpochsFlag(config, flags.epochs);
  if (resumed) {
    const partial = resumed.state.inProgress ? ` (+${resumed.state.inProgress.batchesDone} batches)` : '';
    log(`resuming ${flags.resume} after epoch ${resumed.state.epoch}${partial}`);
  }
  const prepared = resumed?.prepared ?? (await prepareShowing(config, flags));
  if (!flags.dryRun && !resumed) for (const note of prepared.dataset.summary.notes ?? []) log(`note: ${note}`);
  if (flags.dryRun) {
    printDataSummary(prepared.dataset.summary);
    printModelSummary(describeModel(prepared.model));
    return 0;
  }
  const options = { ...resumed?.options, backend: backend.name, outDir: flags.out, withholdTest: flags.withholdTest };
  return trainAndReport(prepared, options, flags, log);
}

/** prepare, with a progress bar on a terminal for each of its long phases */
async function prepareShowing(config: Config, flags: TrainFlags): Promise<Prepared> {
  const bars = createPhaseProgress({ quiet: !!flags.quiet });
  try {
    return await prepare(config, { dryRun: flags.dryRun, progress: bars.progress });
  } finally {
    bars.close();
  }
}

async function trainAndReport(p: Prepared, options: RunOptions, flags: TrainFlags, log: (s: string) => void) {
  const metric = taskOf(p.dataset.task).metric;
  const scope = taskOf(p.dataset.task).metricScope(p.dataset);
  if (scope) log(`${metric} below is in original units${scope}`);
  const reporter = createReporter({ quiet: !!flags.quiet, metric });
  const interrupts = watchInterrupts();
  try {
    const result = await trainRun(p, { ...options, onEvent: reporter.event, interrupted: interrupts.requested });
    reporter.close();
    if (result.stopReason === 'interrupted') {
      const partial = result.state.inProgress ? ` and ${result.state.inProgress.batchesDone} batches` : '';
      process.stdout.write(
        `interrupted after epoch ${result.state.epoch}${partial}; checkpoint written to ${shortPath(result.files[0])}\n` +
          `resume with: npx lstm-train --resume ${shortPath(result.runDir)}\n`,
      );
      return 130;
    }
    if (result.stopReason === 'early-stopping')
      log(
        `early stopping: val loss has not improved since ${result.state.bestEpoch === 0 ? 'the start (epoch 0)' : `epoch ${result.state.bestEpoch}`}`,
      );
    printScores(result.scores, metric, result.state.bestEpoch, taskOf(p.dataset.task).metricScope(p.dataset));
    for (const note of result.notes) log(`note: ${note}`);
    printWritten('run directory', result.runDir, [...result.files, ...runReport(result.runDir, log)]);
    return 0;
  } finally {
    interrupts.dispose();
  }
}

/** report.html, from the files just written, once, at the end; a run that trained is not failed by its page. */
function runReport(runDir: string, log: (s: string) => void): string[] {
  try {
    return [writeRunReport(runDir).path];
  } catch (e) {
    log(`report.html not written: ${(e as Error).message}`);
    return [];
  }
}

export const main = (argv = process.argv) =>
  runProgram(trainCommand(), argv, (_, program) => runTrain(program.opts<TrainFlags>()));
