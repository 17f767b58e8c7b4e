// lstm-predict: a checkpoint on a new file: a forecaster's next steps (times, intervals), a classifier's labels.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { selectBackend } from '../backend/select.js';
import { loadModelCheckpoint, readCard } from '../checkpoint/model-checkpoint.js';
import { BACKENDS, type Backend, type WasmThreads } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { predict, predictionJson, predictorOf, RUNTIMES, type Runtime } from '../predict/index.js';
import { writePlot } from '../report/render.js';
import { formatTable, toCsv } from '../report/table.js';
import { TOOL_VERSION } from '../util/versions.js';
import { describeBackend, parseCount, parseThreads, shortPath, writingTo, endQuietlyOnClosedStdout } from './common.js';

interface PredictFlags {
  data?: string;
  out?: string;
  steps?: number;
  from?: string;
  series?: string;
  plot?: string;
  json?: boolean;
  backend?: Backend;
  stockKernels?: boolean;
  threads?: WasmThreads;
  runtime: Runtime;
  batchSize: number;
}

export function predictCommand(): Command {
  return new Command('lstm-predict')
    .description("Predict with a checkpoint: a forecaster's next steps after the file's end, a classifier's labels")
    .version(TOOL_VERSION)
    .argument('<checkpoint>', 'a checkpoint directory, e.g. runs/<run>/checkpoints/best')
    .option(
      '-d, --data <csv>',
      'the file to predict from (same columns as the training data; the truth may be missing)',
    )
    .option('-o, --out <csv>', 'write the predictions as CSV')
    .option(
      '--steps <n>',
      "forecast: steps ahead (default: the horizon; more roll the model's forecasts forward)",
      parseCount,
    )
    .option(
      '--from <time or row>',
      "forecast: end the window at this time, or data-row index, instead of the file's end",
    )
    .option('--series <names>', 'forecast, a file of several series: only these (comma-separated; default all)')
    .option('--plot <png or dir>', 'forecast: a fan chart of the recent history and the forecast; classify: the labels')
    .option('--json', 'print the predictions as JSON on stdout and nothing else there')
    .addOption(new Option('-b, --backend <name>', 'tfjs backend').choices(BACKENDS).default('auto'))
    .option('--stock-kernels', "wasm: use tfjs's stock kernels")
    .option(
      '--threads <n>',
      "wasm: XNNPACK threads, or auto (default auto; 1 = tfjs's single-threaded build)",
      parseThreads,
    )
    .addOption(
      new Option(
        '--runtime <name>',
        'what runs the model for the predictions: tfjs, or ONNX Runtime (onnxruntime-node, when it is installed) on ' +
          'the model as an ONNX graph; intervals are calibrated in tfjs either way',
      )
        .choices(RUNTIMES)
        .default('tfjs'),
    )
    .option('--batch-size <n>', 'examples per forward pass', parseCount, 256)
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

/** --plot: a .png path (the .svg and .vl.json go beside it) or a folder (forecast.png, … in it). */
function plotTarget(plot: string): { dir: string; base?: string } {
  const path = resolve(plot);
  if (extname(path).toLowerCase() === '.png') return { dir: dirname(path), base: basename(path, extname(path)) };
  if (existsSync(path) && !statSync(path).isDirectory())
    throw new ConfigError('command line', [`--plot: expected a .png path or a folder, got ${plot}, an existing file`]);
  return { dir: path };
}

export async function runPredict(checkpoint: string, flags: PredictFlags): Promise<number> {
  if (!flags.data)
    throw new ConfigError(
      'command line',
      ['--data: expected the CSV to predict from, got nothing'],
      `lstm-predict ${checkpoint} --data new.csv`,
    );
  const plot = flags.plot === undefined ? undefined : plotTarget(flags.plot); // refused before any work
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const info = flags.json ? (s: string) => process.stderr.write(`${s}\n`) : out;
  const card = await readCard(resolve(checkpoint));
  const kernels = flags.stockKernels ? 'stock' : 'fixed';
  const backend = await selectBackend(flags.backend ?? 'auto', kernels, flags.threads ?? 'auto', card.config.model);
  const { model } = await loadModelCheckpoint(checkpoint);
  const prediction = await predict({
    model,
    card,
    dataPath: resolve(flags.data),
    steps: flags.steps,
    from: flags.from,
    series: flags.series?.split(',').map((s) => s.trim()),
    batchSize: flags.batchSize,
    runtime: flags.runtime,
  });
  const predictor = predictorOf(prediction);
  const { headers, rows } = predictor.table(prediction);
  if (flags.json) out(JSON.stringify(predictionJson(prediction), null, 2));
  else {
    const runtime = flags.runtime === 'onnx' ? ', runtime onnx' : '';
    out(
      `checkpoint ${checkpoint} (epoch ${card.epoch}) on ${flags.data} (backend ${describeBackend(backend)}${runtime})`,
    );
    out(formatTable(headers, rows));
    for (const note of prediction.notes) out(`note: ${note}`);
  }
  if (flags.out) {
    const path = resolve(flags.out);
    await writingTo('--out', flags.out, () => writeFileSync(path, toCsv(headers, rows)));
    info(`predictions: ${shortPath(path)}`);
  }
  if (plot && flags.plot) {
    const chart = predictor.chart(prediction, card.config.name);
    const files = await writingTo('--plot', flags.plot, () => writePlot(plot.dir, plot.base ?? chart.name, chart.spec));
    info(`plot: ${files.map(shortPath).join(', ')}`);
  }
  model.dispose();
  return 0;
}

export async function main(argv = process.argv): Promise<void> {
  endQuietlyOnClosedStdout();
  const program = predictCommand();
  program.parse(argv);
  process.exitCode = await runPredict(program.args[0], program.opts<PredictFlags>());
}
