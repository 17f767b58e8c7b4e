// lstm-predict: a checkpoint on a new file: a forecaster's next steps (times, intervals), a classifier's labels.
import { createPhaseProgress } from './output.js';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { predict, predictionJson, predictorOf, RUNTIMES, type Runtime } from '../predict/index.js';
import { writePlot } from '../charts/render.js';
import { formatTable, toCsv } from '../util/table.js';
import { TOOL_VERSION } from '../util/versions.js';
import { openCheckpoint } from './checkpoint.js';
import {
  addBackendOptions,
  describeBackend,
  parseCount,
  runProgram,
  shortPath,
  writingTo,
  type BackendFlags,
} from './common.js';
import { announced, checkpointArg } from './checkpoint-arg.js';

interface PredictFlags extends BackendFlags {
  data?: string;
  out?: string;
  steps?: number;
  from?: string;
  series?: string;
  plot?: string;
  json?: boolean;
  runtime: Runtime;
  batchSize: number;
}

export function predictCommand(): Command {
  const command = new Command('lstm-predict')
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
    .option('--json', 'print the predictions as JSON on stdout and nothing else there');
  return addBackendOptions(command, false)
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
    throw new UsageError(`--plot: expected a .png path or a folder, got ${plot}, an existing file`);
  return { dir: path };
}

export async function runPredict(checkpoint: string, flags: PredictFlags): Promise<number> {
  if (!flags.data)
    throw new UsageError(
      '--data: expected the CSV to predict from, got nothing',
      `lstm-predict ${checkpoint} --data new.csv`,
    );
  const plot = flags.plot === undefined ? undefined : plotTarget(flags.plot); // refused before any work
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const info = flags.json ? (s: string) => process.stderr.write(`${s}\n`) : out;
  const { card, backend, model } = await openCheckpoint(checkpoint, flags);
  // a progress bar while a large file is read, on a terminal's stderr only
  const bars = createPhaseProgress({ quiet: false, stream: process.stderr });
  const prediction = await predict({
    model,
    card,
    dataPath: resolve(flags.data),
    steps: flags.steps,
    from: flags.from,
    series: flags.series?.split(',').map((s) => s.trim()),
    batchSize: flags.batchSize,
    runtime: flags.runtime,
    onProgress: bars.progress(`reading ${basename(flags.data)}`),
  }).finally(bars.close);
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

export const main = (argv = process.argv) =>
  runProgram(predictCommand(), argv, ([checkpoint], program) =>
    runPredict(announced(checkpointArg(checkpoint)), program.opts<PredictFlags>()),
  );
