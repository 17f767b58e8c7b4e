// Retraining for a fold: the data file cut at the fold's origins, then lstm-train on it as a child process.
// Results pass through files (the run's checkpoints and the exit status), never through the child's printed lines.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import type { Config } from '../config/schema.js';
import { toCsv } from '../util/table.js';

const BIN = (name: string) => fileURLToPath(new URL(`../../bin/${name}.js`, import.meta.url));

/** The file's header and the data rows whose index (as the loader counts them) is in `keep`, as a new CSV. */
export async function writeRowsUpTo(source: string, keep: Set<number>, out: string): Promise<void> {
  const parser = createReadStream(source).pipe(parse({ relax_column_count: true, skip_empty_lines: true, bom: true }));
  const sink = createWriteStream(out);
  let row = -1; // the header
  for await (const record of parser as AsyncIterable<string[]>) {
    if (record.length === 1 && record[0].trim() === '') continue; // blank lines are no rows, as in the loader
    if (row === -1 || keep.has(row)) sink.write(toCsv(record, []));
    row++;
  }
  await new Promise<void>((done, fail) => sink.end((e?: Error | null) => (e ? fail(e) : done())));
}

export interface FitJob {
  /** the fold whose origins the training data ends at */
  fold: number;
  /** the folder the job owns: its data, config, log and run */
  home: string;
  config: Config;
  /** the loader's data-row indices to train on */
  rows: Set<number>;
}

export type FitResult = { checkpoint: string } | { error: string } | { interrupted: true };

/** The running children, to pass an interrupt on to. */
export class Children {
  private readonly set = new Set<ChildProcess>();
  add = (c: ChildProcess) => this.set.add(c);
  delete = (c: ChildProcess) => this.set.delete(c);
  signal = () => this.set.forEach((c) => c.kill('SIGINT'));
}

/** Trains the job's model from scratch (a half-done folder from an interrupted run is cleared first). */
export async function fit(job: FitJob, children: Children, interrupted: () => boolean): Promise<FitResult> {
  rmSync(job.home, { recursive: true, force: true });
  mkdirSync(job.home, { recursive: true });
  const data = join(job.home, 'data.csv');
  await writeRowsUpTo(job.config.data.path, job.rows, data);
  const config = {
    ...job.config,
    name: `fold-${String(job.fold).padStart(3, '0')}`,
    data: { ...job.config.data, path: data },
    wasmThreads: job.config.wasmThreads === 'auto' ? 1 : job.config.wasmThreads,
    output: { ...job.config.output, dir: job.home, keepCheckpoints: 0 },
  };
  const configPath = join(job.home, 'config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');
  const log = join(job.home, 'train.log');
  const code = await runChild(
    ['lstm-train', '--config', configPath, '--out', job.home, '--withhold-test', '--quiet'],
    log,
    children,
  );
  if (code === 130 || interrupted()) return { interrupted: true };
  const best = findBest(job.home);
  if (code === 0 && best) return { checkpoint: best };
  // the child's own message is passed on as it is, to say why; what happened is decided by the files above
  const why = readFileSync(log, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('error:'));
  return {
    error: `lstm-train exited ${code} on the rows up to fold ${job.fold}'s origins${why ? ` (${why})` : ''}; its output: ${log}`,
  };
}

function findBest(home: string): string | undefined {
  const runs = readdirSync(home).filter((n) => existsSync(join(home, n, 'checkpoints', 'best')));
  return runs.length === 1 ? join(home, runs[0], 'checkpoints', 'best') : undefined;
}

/** A bin of ours as a child in its own process group (a Ctrl-C reaches us, and we pass it on once); output to `log`. */
function runChild([bin, ...args]: string[], log: string, children: Children): Promise<number | null> {
  return new Promise((done) => {
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [BIN(bin), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('close', (code) => {
      children.delete(child);
      out.end(() => done(code));
    });
  });
}
