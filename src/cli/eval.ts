// lstm-eval: evaluate a checkpoint on its own split or a new CSV; print metrics, write predictions and plots.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  addBackendOptions,
  describeBackend,
  parseCount,
  runProgram,
  shortPath,
  writingTo,
  type BackendFlags,
} from './common.js';
import { openCheckpoint } from './checkpoint.js';
import { evaluate, writeEvalPlot } from '../task/evaluate.js';
import { plotDirFor, writePredictions } from '../eval/eval-outputs.js';
import { computeGates, writeGates, type Gates } from '../eval/gates.js';
import { formatNumber, formatTable } from '../util/table.js';
import type { Dataset, SplitName } from '../data/types.js';
import type { ModelCard } from '../checkpoint/model-card.js';
import { createPhaseProgress } from './output.js';
import { loadCardData, loadCardTrainingData } from '../task/dataset.js';
import { taskOf } from '../task/index.js';
import { TOOL_VERSION } from '../util/versions.js';
import { isRunDir } from '../report/run-files.js';
import { writeRunReport } from '../report/run-report.js';
import { UsageError } from '../errors.js';
import { PEER_NAMES, type PeerName } from '../task/forecast/peers/types.js';
import { announced, checkpointArg } from './checkpoint-arg.js';

interface EvalFlags extends BackendFlags {
  data?: string;
  split: SplitName;
  predictions?: string;
  json?: boolean;
  plot?: string | boolean;
  batchSize: number;
  gates?: boolean;
  examples: number;
  ids?: string;
  out?: string;
  baselines?: PeerName[];
}

/** --baselines: statistical peers by name, comma-separated; "none" for none. */
function parseBaselines(value: string): PeerName[] {
  const names = value.split(',').map((n) => n.trim().toLowerCase());
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !(PEER_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new InvalidArgumentError(
      `expected names among ${PEER_NAMES.join(', ')} (or none), got "${unknown.join(',')}"`,
    );
  return [...new Set(names as PeerName[])];
}

export function evalCommand(): Command {
  const command = new Command('lstm-eval')
    .description('Evaluate a checkpoint: metrics, baselines, predictions')
    .version(TOOL_VERSION)
    .argument('<checkpoint>', 'a checkpoint directory, e.g. runs/<run>/checkpoints/best')
    .option('-d, --data <csv>', 'evaluate on this CSV (same columns) instead of the checkpoint’s own data')
    .addOption(
      new Option('-s, --split <name>', 'which split of the checkpoint’s own data (without --data)')
        .choices(['train', 'val', 'test', 'all'])
        .default('test'),
    )
    .option('-p, --predictions <csv>', 'write one row per window or sequence: id, truth, prediction')
    .option(
      '--plot [dir]',
      'write predictions.svg/png (forecast) or confusion.svg/png (classify) into dir (default: beside --predictions, else here)',
    )
    .option('--json', 'print the metrics as JSON on stdout and nothing else there')
    .option('--gates', "also trace the LSTM's gates: chosen examples' heatmaps, their saturation over the split")
    .option('--examples <k>', 'with --gates: how many examples, the first of the split (default 3)', parseCount, 3)
    .option('--ids <ids>', 'with --gates: these examples instead (comma-separated ids, as in --predictions)')
    .option('--out <dir>', 'with --gates: where gates.json and the charts go (default: <run>/gates, else ./gates)')
    .option(
      '--baselines <names>',
      `forecast: the statistical peers to score beside the naive and linear baselines, among ${PEER_NAMES.join(', ')}, or none (default: all, each left out with a note if it cannot fit; named here, one that cannot fit is an error)`,
      parseBaselines,
    );
  return addBackendOptions(command, false)
    .option('--batch-size <n>', 'examples per forward pass', parseCount, 256)
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

export async function runEval(checkpoint: string, flags: EvalFlags, splitGiven = false): Promise<number> {
  if (flags.data && splitGiven && flags.split !== 'all')
    throw new UsageError(
      `--split: a split of the checkpoint's own data cannot be taken from --data ${flags.data}, which is evaluated whole`,
    );
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const info = flags.json ? (s: string) => process.stderr.write(`${s}\n`) : out;
  const { card, backend, model } = await openCheckpoint(checkpoint, flags);
  const dataset = await loadShowing(card, flags.data ? resolve(flags.data) : undefined);
  const task = taskOf(dataset.task);
  const split: SplitName = flags.data ? 'all' : flags.split;
  const training = !task.usesTrainingData ? undefined : flags.data ? await loadCardTrainingData(card) : dataset;
  const peers = flags.baselines && { names: flags.baselines, explicit: true };
  const context = {
    ...task.metricsContext({ model, training, fitted: card.fitted, batchSize: flags.batchSize }),
    ...(peers ? { peers } : {}),
  };
  const evaluation = evaluate(model, dataset, split, flags.batchSize, context);
  const { metrics } = evaluation;
  if (flags.json) out(JSON.stringify(metrics, null, 2));
  else {
    const where = `on ${metrics.source}, split ${split}: ${metrics.count} ${task.examples}`;
    out(`checkpoint ${checkpoint} (epoch ${card.epoch}) ${where} (backend ${describeBackend(backend)})`);
    task.formatMetrics(metrics).forEach(out);
  }
  if (flags.predictions) {
    const path = resolve(flags.predictions);
    await writingTo('--predictions', flags.predictions, () => writePredictions(path, evaluation, dataset));
    info(`predictions: ${shortPath(path)}`);
  }
  if (flags.gates) {
    const dir = resolve(flags.out ?? gatesDirFor(checkpoint));
    const gates = computeGates(model, dataset, evaluation, {
      examples: flags.examples,
      ids: flags.ids?.split(',').map((id) => id.trim()),
      batchSize: flags.batchSize,
    });
    const k = card.config.model.ensemble;
    const name = `${card.config.name}${k > 1 ? ` (ensemble member 1 of ${k})` : ''}`;
    const files = await writingTo('--out', dir, () => writeGates(dir, gates, name, card.config.model.bidirectional));
    gatesTable(gates).forEach(info);
    info(`gates: ${shortPath(dir)} (${files.length} files: gates.json and the charts)`);
    const run = dirname(dir);
    if (dir === join(run, 'gates') && isRunDir(run)) info(`report: ${shortPath(writeRunReport(run).path)}`);
  }
  if (flags.plot) {
    const dir =
      typeof flags.plot === 'string'
        ? resolve(flags.plot)
        : plotDirFor(flags.predictions && resolve(flags.predictions));
    const name = card.config.name;
    const files = await writingTo('--plot', dir, () => writeEvalPlot(dir, evaluation, dataset, name));
    info(`plots: ${files.map(shortPath).join(', ')}`);
  }
  model.dispose();
  return 0;
}

/** <run>/gates for a checkpoint inside a run directory (<run>/checkpoints/<name>), else ./gates. */
function gatesDirFor(checkpoint: string): string {
  const run = dirname(dirname(resolve(checkpoint)));
  return basename(dirname(resolve(checkpoint))) === 'checkpoints' && existsSync(join(run, 'config.json'))
    ? join(run, 'gates')
    : resolve('gates');
}

/** Per layer, direction and gate: the mean activation and the share saturated, over the whole split. */
function gatesTable(g: Gates): string[] {
  const bi = g.summary.some((s) => s.direction === 'backward');
  const rows = g.summary.map((s) => [
    `${s.layer}${bi ? ` ${s.direction}` : ''}`,
    s.gate,
    formatNumber(s.mean),
    formatNumber(s.saturated),
  ]);
  return [
    `gates over the ${g.split} split (${g.count} examples): saturated = below 0.05 or above 0.95 (g: beyond ±0.95)`,
    formatTable(['layer', 'gate', 'mean', 'saturated'], rows),
  ];
}

export const main = (argv = process.argv) =>
  runProgram(evalCommand(), argv, ([checkpoint], program) =>
    runEval(
      announced(checkpointArg(checkpoint)),
      program.opts<EvalFlags>(),
      program.getOptionValueSource('split') === 'cli',
    ),
  );

/** The data to evaluate, with a progress bar while a large file is read (on a terminal's stderr only). */
async function loadShowing(card: ModelCard, dataPath?: string): Promise<Dataset> {
  const bars = createPhaseProgress({ quiet: false, stream: process.stderr });
  try {
    return await loadCardData(
      card,
      dataPath,
      false,
      bars.progress(`reading ${basename(dataPath ?? card.config.data.path)}`),
    );
  } finally {
    bars.close();
  }
}
