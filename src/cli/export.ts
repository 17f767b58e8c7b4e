// lstm-export: a checkpoint as a model that runs elsewhere: plain tfjs (Node or a web page), or ONNX Runtime.
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError } from '../errors.js';
import { FORMATS, type ExportFormat } from '../export/formats.js';
import { outTarget } from '../export/write-out.js';
import { TOOL_VERSION } from '../util/versions.js';
import { endQuietlyOnClosedStdout, parseCount, printWritten, shortPath } from './common.js';

interface ExportFlags {
  format?: ExportFormat;
  out?: string;
  force?: boolean;
  data?: string;
  batchSize: number;
}

export function exportCommand(): Command {
  return new Command('lstm-export')
    .description('Export a checkpoint for plain tfjs (Node or a web page) or ONNX Runtime, with its preprocessing')
    .version(TOOL_VERSION)
    .argument('<checkpoint>', 'a checkpoint directory, e.g. runs/<run>/checkpoints/best')
    .addOption(
      new Option(
        '-f, --format <name>',
        'tfjs: model.json + weights, preprocess.json, predict.js; web: the same and an index.html; onnx: model.onnx',
      ).choices(FORMATS),
    )
    .option(
      '-o, --out <path>',
      'the folder to write (onnx: a folder, or a .onnx file holding the preprocessing as metadata)',
    )
    .option('--force', 'replace an existing --out')
    .option('-d, --data <csv>', "web: the CSV whose rows the page shows (default: the checkpoint's training data)")
    .option('--batch-size <n>', 'examples per forward pass, when intervals are calibrated at export', parseCount, 256)
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

export async function runExport(checkpoint: string, flags: ExportFlags): Promise<number> {
  const usage = `lstm-export ${checkpoint} --format tfjs --out export/`;
  if (!flags.format)
    throw new ConfigError('command line', [`--format: expected one of ${FORMATS.join(', ')}, got nothing`], usage);
  if (!flags.out)
    throw new ConfigError('command line', ['--out: expected the path to write the export to, got nothing'], usage);
  if (flags.data !== undefined && flags.format !== 'web')
    throw new ConfigError('command line', [
      `--data: only --format web shows example rows, got --format ${flags.format}`,
    ]);
  if (flags.data !== undefined && !existsSync(resolve(flags.data)))
    throw new ConfigError('command line', [`--data: expected a CSV file, got ${flags.data}, which is not there`]);
  const file = flags.format === 'onnx' && extname(flags.out).toLowerCase() === '.onnx';
  const target = outTarget(flags.out, file ? 'file' : 'folder', flags.force ?? false, checkpoint); // before any work
  // tfjs and the rest load only now, so that a refused flag is answered at once
  const [{ selectBackend }, { loadModelCheckpoint, readCard }, { exportCheckpoint }] = await Promise.all([
    import('../backend/select.js'),
    import('../checkpoint/model-checkpoint.js'),
    import('../export/export.js'),
  ]);
  const card = await readCard(resolve(checkpoint));
  await selectBackend('auto', 'fixed', 'auto', card.config.model);
  const { model } = await loadModelCheckpoint(checkpoint);
  const result = await exportCheckpoint({
    model,
    card,
    format: flags.format,
    target,
    examplesFrom: flags.data === undefined ? undefined : resolve(flags.data),
    batchSize: flags.batchSize,
  });
  model.dispose();
  for (const note of result.preprocess.notes) process.stdout.write(`note: ${note}\n`);
  printWritten(`${flags.format} export of ${shortPath(resolve(checkpoint))}`, target.path, result.files);
  return 0;
}

export async function main(argv = process.argv): Promise<void> {
  endQuietlyOnClosedStdout();
  const program = exportCommand();
  program.parse(argv);
  process.exitCode = await runExport(program.args[0], program.opts<ExportFlags>());
}
