// lstm-export: a checkpoint as a model that runs elsewhere: plain tfjs (Node or a web page), or ONNX Runtime.
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { FORMATS, type ExportFormat } from '../export/formats.js';
import { outTarget } from '../export/write-out.js';
import { TOOL_VERSION } from '../util/versions.js';
import { parseCount, printWritten, runProgram, shortPath } from './common.js';
import { announced, checkpointArg } from './checkpoint-arg.js';

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
  if (!flags.format) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got nothing`, usage);
  if (!flags.out) throw new UsageError('--out: expected the path to write the export to, got nothing', usage);
  if (flags.data !== undefined && flags.format !== 'web')
    throw new UsageError(`--data: only --format web shows example rows, got --format ${flags.format}`);
  if (flags.data !== undefined && !existsSync(resolve(flags.data)))
    throw new UsageError(`--data: expected a CSV file, got ${flags.data}, which is not there`);
  const file = flags.format === 'onnx' && extname(flags.out).toLowerCase() === '.onnx';
  const target = outTarget(flags.out, file ? 'file' : 'folder', flags.force ?? false, checkpoint); // before any work
  // tfjs and the rest load only now, so that a refused flag is answered at once
  const [{ openCheckpoint }, { exportCheckpoint }] = await Promise.all([
    import('./checkpoint.js'),
    import('../export/export.js'),
  ]);
  const { card, model } = await openCheckpoint(checkpoint);
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

export const main = (argv = process.argv) =>
  runProgram(exportCommand(), argv, ([checkpoint], program) =>
    runExport(announced(checkpointArg(checkpoint)), program.opts<ExportFlags>()),
  );
