// Small pieces every command shares: flag parsers and how paths are shown.
import { isAbsolute, relative } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { selectBackend, type BackendChoice } from '../backend/select.js';
import { BACKENDS, wasmThreadsSchema, type Backend, type Config, type WasmThreads } from '../config/schema.js';
import { UsageError } from '../errors.js';

/** Parser for flags that take a positive integer (--epochs); commander reports the error with the flag's name. */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Parser for flags that take a whole number ≥ 0 (--seed). */
export function parseWhole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  return n;
}

/** Parser for --threads: "auto" or a whole number from 1 to 8, as the config's wasmThreads. */
export function parseThreads(value: string): WasmThreads {
  const parsed = wasmThreadsSchema.safeParse(value === 'auto' ? value : Number(value));
  if (!parsed.success)
    throw new InvalidArgumentError(parsed.error.issues[0].message.replace(/got .*$/, `got "${value}"`));
  return parsed.data;
}

/** The backend flags every command that runs a model takes. */
export interface BackendFlags {
  backend?: Backend;
  stockKernels?: boolean;
  threads?: WasmThreads;
}

/**
 * Adds --backend, --stock-kernels and --threads. `overrides`: the command has a config whose backend fields they
 * override (lstm-train, lstm-compare); otherwise they default to auto, fixed kernels and auto threads.
 */
export function addBackendOptions(command: Command, overrides: boolean): Command {
  const backend = new Option(
    '-b, --backend <name>',
    overrides ? 'tfjs backend (overrides the config)' : 'tfjs backend',
  );
  const threads = overrides
    ? "wasm: threads (XNNPACK's and the fused kernel's), or auto (overrides wasmThreads; 1 = tfjs's single-threaded build)"
    : "wasm: threads (XNNPACK's and the fused kernel's), or auto (default auto; 1 = tfjs's single-threaded build)";
  return command
    .addOption(overrides ? backend.choices(BACKENDS) : backend.choices(BACKENDS).default('auto'))
    .option('--stock-kernels', "wasm: use tfjs's stock kernels instead of our faster ones")
    .option('--threads <n>', threads, parseThreads);
}

/** The command-line flags that override a config (lstm-train and lstm-compare). */
export interface ConfigOverrides extends BackendFlags {
  epochs?: number;
}

/** Applies command-line overrides to a validated config. */
export function withFlags(config: Config, flags: ConfigOverrides): Config {
  return {
    ...config,
    backend: flags.backend ?? config.backend,
    wasmKernels: flags.stockKernels ? 'stock' : config.wasmKernels,
    wasmThreads: flags.threads ?? config.wasmThreads,
    train: { ...config.train, epochs: flags.epochs ?? config.train.epochs },
  };
}

/**
 * The config's own check, for --epochs: a run that ends within a cosine warm-up would write checkpoints whose card no
 * reader accepts. (After a resume's own "nothing to do" check, which says more when it applies.)
 */
export function checkEpochsFlag(config: Config, epochs: number | undefined): void {
  const { kind, warmupEpochs } = config.train.schedule;
  if (epochs !== undefined && kind === 'cosine' && warmupEpochs >= epochs)
    throw new UsageError(
      `--epochs: expected more than train.schedule.warmupEpochs (${warmupEpochs}), the cosine's warm-up, got ${epochs}`,
    );
}

/** Selects the config's backend ('auto' threads follow `model`, when one model runs) and says which, via `log`. */
export async function startBackend(
  config: Config,
  log: (s: string) => void,
  model?: Config['model'],
): Promise<BackendChoice> {
  const backend = await selectBackend(config.backend, config.wasmKernels, config.wasmThreads, model);
  log(`backend: ${describeBackend(backend)}${backend.note ? ` — ${backend.note}` : ''}`);
  return backend;
}

/** The backend as the commands show it, e.g. `wasm (fixed kernels, 2 threads)`. */
export function describeBackend(b: BackendChoice): string {
  return b.wasmThreads
    ? `${b.name} (${b.wasmKernels} kernels, ${b.wasmThreads} thread${b.wasmThreads > 1 ? 's' : ''})`
    : b.name;
}

/** A path relative to the working directory when it lies below it: what a user would type. */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Runs a write to a path the user named; a file-system refusal becomes a clear error naming the flag. */
export async function writingTo<T>(flag: string, path: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw e;
    throw new UsageError(`${flag}: expected a writable location, got ${path} (${code})`);
  }
}

/** The closing lines of a command: the directory it wrote and the files in it. */
export function printWritten(label: string, dir: string, files: string[]): void {
  process.stdout.write(`${label}: ${shortPath(dir)}\n${files.map((f) => `  ${shortPath(f)}`).join('\n')}\n`);
}

/** A command's main(): parse argv, run, and leave the exit status for Node to exit with (errors go to handleError). */
export async function runProgram(
  command: Command,
  argv: string[],
  run: (args: string[], program: Command) => Promise<number> | number,
): Promise<void> {
  endQuietlyOnClosedStdout();
  command.parse(argv);
  process.exitCode = await run(command.args, command);
}

/**
 * A reader that stops early (`lstm-eval … | head`) closes stdout; the remaining writes then fail with EPIPE, which is
 * the end of the output, not an error to report (tfjs's threaded wasm build would otherwise dump its source).
 */
export function endQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
