// lstm-eval: evaluate a checkpoint on its own split or a new CSV; print metrics, write predictions and plots.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { describeBackend, parseCount, parseThreads, shortPath, writingTo } from './common.js';
import { BACKENDS, type Backend, type Config, type WasmThreads } from '../config/schema.js';
import { selectBackend } from '../backend/select.js';
import { loadCheckpoint, readMeta } from '../checkpoint/checkpoint.js';
import { evaluate, loadCheckpointData, type EvalReport } from '../eval/evaluate.js';
import { plotDirFor, writeEvalPlot, writePredictions } from '../eval/eval-outputs.js';
import type { SplitName } from '../data/types.js';
import type { CheckpointMeta } from '../train/meta.js';
import { formatNumber, formatTable } from '../report/table.js';
import { TOOL_VERSION } from '../util/versions.js';
import { ConfigError } from '../errors.js';

interface EvalFlags {
  data?: string;
  split: SplitName;
  predictions?: string;
  json?: boolean;
  plot?: string | boolean;
  backend?: Backend;
  stockKernels?: boolean;
  threads?: WasmThreads;
  batchSize: number;
}

export function evalCommand(): Command {
  return new Command('lstm-eval')
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
    .addOption(new Option('-b, --backend <name>', 'tfjs backend').choices(BACKENDS).default('auto'))
    .option('--stock-kernels', "wasm: use tfjs's stock kernels")
    .option(
      '--threads <n>',
      "wasm: XNNPACK threads, or auto (default auto; 1 = tfjs's single-threaded build)",
      parseThreads,
    )
    .option('--batch-size <n>', 'examples per forward pass', parseCount, 256)
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

function printForecast(r: Extract<EvalReport, { task: 'forecast' }>, out: (s: string) => void): void {
  const rows = r.targets.flatMap((t) => [
    [t.name, 'model', t.model.mse, t.model.rmse, t.model.mae, t.model.mape, t.model.r2],
    [
      t.name,
      'persistence',
      t.persistence.mse,
      t.persistence.rmse,
      t.persistence.mae,
      t.persistence.mape,
      t.persistence.r2,
    ],
  ]);
  out(formatTable(['target', 'forecast', 'MSE', 'RMSE', 'MAE', 'MAPE %', 'R²'], rows));
  for (const t of r.targets) {
    const verdict = Number.isNaN(t.skill) ? 'cannot be compared with' : t.skill > 0 ? 'beats' : 'does NOT beat';
    out(
      `${t.name}: skill vs persistence ${formatNumber(t.skill)} (1 − MAE_model / MAE_naive): the model ${verdict} the naive last-value forecast`,
    );
    if (t.model.mapeSkipped > 0) out(`  MAPE skips ${t.model.mapeSkipped} zero targets`);
  }
}

function printClassify(r: Extract<EvalReport, { task: 'classify' }>, out: (s: string) => void): void {
  out(
    `loss ${formatNumber(r.loss)}  accuracy ${formatNumber(r.accuracy)}  macro-F1 ${formatNumber(r.macroF1)}  majority-class baseline accuracy ${formatNumber(r.majorityBaseline)}`,
  );
  out(
    formatTable(
      ['class', 'precision', 'recall', 'F1', 'support'],
      r.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, c.support]),
    ),
  );
  out('confusion matrix (rows: true, columns: predicted)');
  out(
    formatTable(
      ['true \\ pred', ...r.classes],
      r.confusion.map((row, i) => [r.classes[i], ...row]),
    ),
  );
}

export async function runEval(checkpoint: string, flags: EvalFlags, splitGiven = false): Promise<number> {
  if (flags.data && splitGiven && flags.split !== 'all')
    throw new ConfigError('command line', [
      `--split: a split of the checkpoint's own data cannot be taken from --data ${flags.data}, which is evaluated whole`,
    ]);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const info = flags.json ? (s: string) => process.stderr.write(`${s}\n`) : out;
  const trained = ((await readMeta(resolve(checkpoint))).config as Config | undefined)?.model; // 'auto' threads follow the model
  const backend = await selectBackend(
    flags.backend ?? 'auto',
    flags.stockKernels ? 'stock' : 'fixed',
    flags.threads ?? 'auto',
    trained,
  );
  const { model, meta } = (await loadCheckpoint(checkpoint)) as {
    model: import('@tensorflow/tfjs').LayersModel;
    meta: CheckpointMeta;
  };
  const dataset = await loadCheckpointData(meta, flags.data ? resolve(flags.data) : undefined);
  const split: SplitName = flags.data ? 'all' : flags.split;
  const { report, predictions, split: data } = evaluate(model, dataset, split, flags.batchSize);
  if (flags.json) out(JSON.stringify(report, null, 2));
  else {
    out(
      `checkpoint ${checkpoint} (epoch ${meta.epoch}) on ${report.source}, split ${split}: ${report.count} ${report.task === 'forecast' ? 'windows' : 'sequences'} (backend ${describeBackend(backend)})`,
    );
    report.task === 'forecast' ? printForecast(report, out) : printClassify(report, out);
  }
  if (flags.predictions) {
    const path = resolve(flags.predictions);
    await writingTo('--predictions', flags.predictions, () => writePredictions(path, predictions, dataset, data));
    info(`predictions: ${shortPath(path)}`);
  }
  if (flags.plot) {
    const dir =
      typeof flags.plot === 'string'
        ? resolve(flags.plot)
        : plotDirFor(flags.predictions && resolve(flags.predictions));
    const title = `${meta.config.name}: ${report.task === 'forecast' ? 'actual vs predicted' : 'confusion matrix'}`;
    const files = await writingTo('--plot', dir, () => writeEvalPlot(dir, report, predictions, dataset, data, title));
    info(`plots: ${files.map(shortPath).join(', ')}`);
  }
  model.dispose();
  return 0;
}

export async function main(argv = process.argv): Promise<void> {
  const program = evalCommand();
  program.parse(argv);
  process.exitCode = await runEval(
    program.args[0],
    program.opts<EvalFlags>(),
    program.getOptionValueSource('split') === 'cli',
  );
}
