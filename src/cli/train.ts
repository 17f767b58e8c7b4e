// lstm-train: train an LSTM from a JSON config and a CSV; writes a run directory with checkpoints, history and plots.
import { Command, Option } from 'commander';
import { parseCount, parseThreads, printWritten, shortPath, startBackend, withFlags } from './common.js';
import { BACKENDS, type Config, type WasmThreads } from '../config/schema.js';
import { configJsonSchema, loadConfig } from '../config/load.js';
import { prepare, trainRun } from '../train/run.js';
import { metricName } from '../eval/predict.js';
import { describeModel } from '../models/build.js';
import { createReporter } from './output.js';
import { printDataSummary, printModelSummary, printScores } from './summaries.js';
import { TOOL_VERSION } from '../util/versions.js';
import { watchInterrupts } from './interrupt.js';
import { loadResumable, storedConfig } from '../train/resume.js';
import { ConfigError } from '../errors.js';

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
  quiet?: boolean;
  debug?: boolean;
}

export function trainCommand(): Command {
  return new Command('lstm-train')
    .description('Train an LSTM on a CSV sequence dataset from a JSON config')
    .version(TOOL_VERSION)
    .option('-c, --config <file>', 'the JSON config (see --schema and the README)')
    .option('--schema', 'print the config JSON Schema and exit')
    .option('--dry-run', 'validate config and data, print the data and model summaries, train nothing')
    .option('-o, --out <dir>', 'parent folder of the run directory (default: output.dir of the config)')
    .addOption(new Option('-b, --backend <name>', 'tfjs backend (overrides the config)').choices(BACKENDS))
    .option('--stock-kernels', "wasm: use tfjs's stock kernels instead of our faster ones")
    .option(
      '--threads <n>',
      "wasm: XNNPACK threads, or auto (overrides wasmThreads; 1 = tfjs's single-threaded build)",
      parseThreads,
    )
    .option('--epochs <n>', 'train this many epochs in all (overrides train.epochs)', parseCount)
    .option('--resume <run-dir>', 'continue a run from its checkpoints/last, exactly where it stopped')
    .option('-q, --quiet', 'print only the final summary')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

export async function runTrain(flags: TrainFlags): Promise<number> {
  if (flags.schema) {
    process.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
    return 0;
  }
  if (!flags.config && !flags.resume)
    throw new ConfigError(
      'command line',
      ['--config: expected a config file, got nothing'],
      'lstm-train --config configs/forecast.json',
    );
  if (flags.resume && flags.out)
    throw new ConfigError(
      'command line',
      ['--out: a resumed run continues in its own directory; drop --out'],
      `lstm-train --resume ${flags.resume}`,
    );
  if (flags.config && flags.resume)
    throw new ConfigError(
      'command line',
      ['--resume: takes its config from the run directory; drop --config'],
      'lstm-train --resume runs/<run> [--epochs N]',
    );
  const log = (s: string) => !flags.quiet && process.stdout.write(`${s}\n`);
  const config = withFlags(flags.resume ? await storedConfig(flags.resume) : loadConfig(flags.config!), flags);
  const backend = await startBackend(config, log, config.model);
  const resumed = flags.resume ? await loadResumable(flags.resume, config) : undefined;
  if (resumed)
    log(
      `resuming ${flags.resume} after epoch ${resumed.meta.trainState.epoch}${resumed.meta.trainState.inProgress ? ` (+${resumed.meta.trainState.inProgress.batchesDone} batches)` : ''}`,
    );
  const prepared = resumed?.prepared ?? (await prepare(config));
  if (!flags.dryRun && !resumed) for (const note of prepared.dataset.summary.notes ?? []) log(`note: ${note}`);
  if (flags.dryRun) {
    printDataSummary(prepared.dataset.summary);
    printModelSummary(describeModel(prepared.model));
    return 0;
  }
  const reporter = createReporter({ quiet: !!flags.quiet, metric: metricName(prepared.dataset.task) });
  const interrupts = watchInterrupts();
  try {
    const result = await trainRun(prepared, {
      ...resumed?.options,
      backend: backend.name,
      outDir: flags.out,
      onEvent: reporter.event,
      interrupted: interrupts.requested,
    });
    reporter.close();
    if (result.stopReason === 'interrupted') {
      process.stdout.write(
        `interrupted after epoch ${result.state.epoch}${result.state.inProgress ? ` and ${result.state.inProgress.batchesDone} batches` : ''}; checkpoint written to ${shortPath(result.files[0])}\nresume with: lstm-train --resume ${shortPath(result.runDir)}\n`,
      );
      return 130;
    }
    if (result.stopReason === 'early-stopping')
      log(`early stopping: val loss has not improved since epoch ${result.state.bestEpoch}`);
    printScores(result.scores!, metricName(prepared.dataset.task), result.state.bestEpoch);
    printWritten('run directory', result.runDir, result.files);
    return 0;
  } finally {
    interrupts.dispose();
  }
}

export async function main(argv = process.argv): Promise<void> {
  const program = trainCommand();
  program.parse(argv);
  const code = await runTrain(program.opts<TrainFlags>());
  process.exitCode = code;
}
