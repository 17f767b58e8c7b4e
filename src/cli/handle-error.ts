// Renders any error once, at the CLI edge: a clear message and an exit status; a stack trace only with --debug.
import { CommanderError } from 'commander';
import { LstmTrainError } from '../errors.js';

export function handleError(error: unknown, debug = process.argv.includes('--debug')): never {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and version are not failures
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  if (error instanceof LstmTrainError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.suggestion) process.stderr.write(`hint: ${error.suggestion}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    process.exit(error.exitCode);
  }
  const e = error as Error;
  process.stderr.write(`internal error: ${e?.message ?? String(error)}\n`);
  process.stderr.write(debug ? `${e?.stack}\n` : 'run again with --debug for the stack trace, and please report it\n');
  process.exit(1);
}
