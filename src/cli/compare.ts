// lstm-compare: proves builtin and hand LSTMs compute the same function, then trains them side by side.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  addBackendOptions,
  parseCount,
  printWritten,
  runProgram,
  shortPath,
  startBackend,
  withFlags,
} from './common.js';
import type { Config, WasmThreads } from '../config/schema.js';
import { loadConfig } from '../config/load.js';
import { loadData, withNotes } from '../task/dataset.js';
import { resolveLinearSkip } from '../task/linear-skip.js';
import type { Dataset } from '../data/types.js';
import { createRunDir } from '../train/run-dir.js';
import { taskOf } from '../task/index.js';
import { ParityError, UsageError } from '../errors.js';
import { readCard } from '../checkpoint/model-checkpoint.js';
import { formatTable } from '../util/table.js';
import { TOOL_VERSION } from '../util/versions.js';
import { checkParity, type ParityResult } from '../compare/parity.js';
import { shapeOf } from '../models/build.js';
import { race } from '../compare/race.js';
import { drifts } from '../compare/drift.js';
import { writeCompareReport } from '../compare/outputs.js';
import { writeCompareHtml } from '../compare/report.js';
import { writeRunReport } from '../report/run-report.js';
import { parityHeaders, parityRows, raceHeaders, raceRows, sci } from '../compare/table.js';
import { VARIANTS, parseVariants, type Variant } from '../compare/variants.js';
import { assertFitsAll, checkpointWeights, seededWeights, type WeightSource } from '../compare/weights.js';
import { createReporter } from './output.js';
import { watchInterrupts } from './interrupt.js';

export interface CompareFlags {
  config?: string;
  variants?: string;
  checkOnly?: boolean;
  from?: string;
  out?: string;
  backend?: Config['backend'];
  threads?: WasmThreads;
  epochs?: number;
  quiet?: boolean;
  debug?: boolean;
}

export function compareCommand(): Command {
  const command = new Command('lstm-compare')
    .description(
      'Check that the builtin and hand-written LSTMs agree (parity), then train them side by side and report',
    )
    .version(TOOL_VERSION)
    .option('-c, --config <file>', "the JSON config (as lstm-train takes; with --from, default: the checkpoint's own)")
    .option('--variants <list>', `comma-separated variants to train (default: ${VARIANTS.join(',')})`)
    .option('--check-only', 'run the parity check only; exit 1 if any pair fails')
    .option(
      '--from <checkpoint>',
      "start every variant from this checkpoint's weights (builtin or hand) instead of the seed",
    )
    .option('-o, --out <dir>', 'the compare directory (default: <output.dir>/compare-<name>-<UTC stamp>)');
  return addBackendOptions(command, true)
    .option('--epochs <n>', 'epochs per variant (overrides train.epochs)', parseCount)
    .option('-q, --quiet', 'print only the parity result, the table and where the report is')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

/** The config: --config, or the checkpoint's own with --from alone; then the command-line overrides. */
async function resolveConfig(flags: CompareFlags): Promise<Config> {
  if (flags.config) return withFlags(loadConfig(flags.config), flags);
  if (flags.from) return withFlags((await readCard(resolve(flags.from))).config, flags);
  throw new UsageError('--config: expected a config file, got nothing', 'lstm-compare --config configs/classify.json');
}

/** --out must be new or empty: compare.csv and report.md of another comparison would be overwritten. Checked first. */
function checkOut(flags: CompareFlags): void {
  const dir = flags.out === undefined || flags.checkOnly ? undefined : resolve(flags.out);
  if (dir !== undefined && existsSync(dir) && readdirSync(dir).length > 0)
    throw new UsageError(
      `--out: expected a new or empty directory, got ${dir} which holds files`,
      'choose another --out, or leave it out for a fresh stamped directory',
    );
}

function compareDir(flags: CompareFlags, config: Config): string {
  if (!flags.out) return createRunDir(config.output.dir, `compare-${config.name}`);
  const dir = resolve(flags.out);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function printParity(results: ParityResult[]): void {
  process.stdout.write(
    `parity (identical weights, one batch, eval mode; tolerance 1e-5 outputs, ` +
      `1e-4 gradients):\n${formatTable(parityHeaders, parityRows(results))}\n`,
  );
  for (const p of results.filter((r) => r.explanation)) process.stdout.write(`  ${p.pair}: ${p.explanation}\n`);
}

export async function runCompare(flags: CompareFlags): Promise<number> {
  const variants: Variant[] = flags.variants ? parseVariants(flags.variants) : [...VARIANTS];
  const log = (s: string) => !flags.quiet && process.stdout.write(`${s}\n`);
  const given = await resolveConfig(flags);
  checkOut(flags);
  const backend = await startBackend(given, log); // several models: 'auto' means one thread
  const loaded = await loadData(given);
  // every variant gets the same head; the parity check needs only the shapes, not the window level
  const checked = resolveLinearSkip(given, loaded).config;
  if (checked.model.ensemble > 1)
    log(`note: model.ensemble is ${checked.model.ensemble}; lstm-compare checks and races single models (ensemble 1)`);
  const parity = checkParity(checked, loaded);
  printParity(parity);
  const failed = parity.some((p) => !p.pass);
  if (flags.checkOnly) return failed ? 1 : 0;
  if (failed)
    throw new ParityError(
      'the parity check failed: the variants do not compute the same function, so racing them would mislead',
      'the table above names the pairs that differ; lstm-compare --check-only runs only this check',
    );
  const from = flags.from ? await checkpointWeights(resolve(flags.from)) : undefined;
  const weights: WeightSource = from ?? seededWeights(checked, shapeOf(loaded));
  try {
    // the race trains what lstm-train would: the data settled as lstm-train settles it (--from: at its level)
    const settled = taskOf(given.data.task).settle(given, loaded, { trained: from?.meta.config });
    for (const note of settled.notes) log(`note: ${note}`);
    const dataset = withNotes(settled.dataset, settled.notes);
    const config = { ...checked, data: settled.config.data };
    if (from) assertFitsAll(config, shapeOf(dataset), variants, from);
    const dir = compareDir(flags, config);
    return await raceAndReport({
      config,
      dataset,
      variants,
      weights,
      dir,
      backend: backend.name,
      parity,
      quiet: !!flags.quiet,
      startSkip: from === undefined,
    });
  } finally {
    weights.dispose();
  }
}

interface RaceInput {
  config: Config;
  dataset: Dataset;
  variants: Variant[];
  weights: WeightSource;
  dir: string;
  backend: string;
  parity: ParityResult[];
  quiet: boolean;
  /** seeded weights: each variant's skip starts as lstm-train's (a checkpoint's weights keep their own) */
  startSkip: boolean;
}

async function raceAndReport(o: RaceInput): Promise<number> {
  const metric = taskOf(o.dataset.task).metric;
  const reporters = new Map(
    o.variants.map((v) => [v, createReporter({ quiet: o.quiet, metric, label: v.padEnd(10) })]),
  );
  const interrupts = watchInterrupts();
  try {
    const results = await race(o.config, o.dataset, {
      variants: o.variants,
      initial: o.weights.initial,
      backend: o.backend,
      outDir: o.dir,
      startSkip: o.startSkip,
      onEvent: (v, e) => reporters.get(v)?.event(e),
      interrupted: interrupts.requested,
    });
    reporters.forEach((r) => r.close());
    const last = results.at(-1);
    if (last?.stopReason === 'interrupted') {
      process.stdout.write(
        `interrupted during ${last.variant}; no report written (runs so far are in ${shortPath(o.dir)})\n`,
      );
      return 130;
    }
    const drift = drifts(results);
    const files = await writeCompareReport(o.dir, {
      name: o.config.name,
      task: o.dataset.task,
      metric,
      backend: o.backend,
      weights: o.weights.description,
      dropout: o.config.model.dropout,
      kernel: o.config.model.kernel,
      parity: o.parity,
      variants: results,
      drift,
    });
    for (const r of results) files.push(writeRunReport(r.runDir).path);
    files.push(writeCompareHtml(o.dir));
    process.stdout.write(`\n${formatTable(raceHeaders(metric), raceRows(results))}\n`);
    for (const d of drift)
      process.stdout.write(
        `drift ${d.builtin} ↔ ${d.hand}: epoch-1 |Δ train loss| ${sci(d.firstEpochDiff)}, max ${sci(d.maxDiff)} (epoch ${d.maxEpoch})\n`,
      );
    printWritten('compare directory', o.dir, files);
    return 0;
  } finally {
    interrupts.dispose();
  }
}

export const main = (argv = process.argv) =>
  runProgram(compareCommand(), argv, (_, program) => runCompare(program.opts<CompareFlags>()));
