// lstm-report: (re)writes report.html of a run, lstm-compare or lstm-tune directory from the directory's own files.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { isCompareDir, writeCompareHtml } from '../compare/report.js';
import { UsageError } from '../errors.js';
import { isRunDir } from '../report/run-files.js';
import { writeRunReport } from '../report/run-report.js';
import { isStudyDir, writeStudyReport } from '../tune/report.js';
import { TOOL_VERSION } from '../util/versions.js';
import { runProgram, shortPath } from './common.js';
import { announced, runDirArg } from './checkpoint-arg.js';

export function reportCommand(): Command {
  return new Command('lstm-report')
    .description("Write report.html of a run, lstm-compare or lstm-tune directory from the directory's own files")
    .version(TOOL_VERSION)
    .argument('<dir>', 'a run directory (runs/<run>), an lstm-compare directory or an lstm-tune study')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

export function runReport(dirArg: string): number {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(
      `<dir>: expected a run, lstm-compare or lstm-tune directory, got ${dirArg}, which is not a directory`,
    );
  if (isStudyDir(dir)) {
    process.stdout.write(`report: ${shortPath(writeStudyReport(dir))}\n`);
    return 0;
  }
  if (isCompareDir(dir)) {
    process.stdout.write(`report: ${shortPath(writeCompareHtml(dir))}\n`);
    return 0;
  }
  if (!isRunDir(dir))
    throw new UsageError(
      `<dir>: expected a run directory (with summary.json), an lstm-compare directory (with compare.json) ` +
        `or an lstm-tune study (with study.json), got ${dirArg}, which has none of them`,
      'lstm-report runs/<run>',
    );
  const { path, missing } = writeRunReport(dir);
  process.stdout.write(`report: ${shortPath(path)}\n`);
  if (missing.length > 0) process.stdout.write(`this run has no ${missing.join('; no ')}\n`);
  return 0;
}

export const main = (argv = process.argv) =>
  runProgram(reportCommand(), argv, ([dir]) => runReport(announced(runDirArg(dir))));
