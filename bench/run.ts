// `npm run bench -- [--workload W1|W2|W3|all] [--backend wasm|cpu|tensorflow] [--torch] [--onnx] [--reps N] [--rounds N]`:
// LSTM throughput.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CaseArgs } from './case.js';
import type { OnnxCaseArgs } from './onnx.js';
import { MAX_WASM_THREADS } from '../src/config/schema.js';
import { IMPLS, median, type BenchRow, type Direction, type WorkloadName } from './workloads.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TORCH_SCRIPT = `${HERE}torch_lstm.py`;
const PYTHON = '/usr/bin/python3';

interface Options {
  workloads: WorkloadName[];
  backend: CaseArgs['backend'];
  torch: boolean;
  onnx: boolean;
  reps: number;
  rounds: number;
  impls: CaseArgs['impl'][];
  directions: Direction[];
  threads: number | 'auto';
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      workload: { type: 'string', default: 'all' },
      backend: { type: 'string', default: 'wasm' },
      torch: { type: 'boolean', default: false },
      onnx: { type: 'boolean', default: false }, // ONNX Runtime inference of lstm-export's graph
      reps: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '1' }, // passes over all cases; the median per case is kept
      impl: { type: 'string', default: 'all' }, // comma-separated subset, e.g. builtin-stock,hand-fused
      direction: { type: 'string', default: 'all' },
      threads: { type: 'string', default: 'auto' }, // wasm XNNPACK threads for every impl but builtin-stock
    },
  });
  const fail = (msg: string): never => {
    throw new Error(`bench: ${msg}`);
  };
  const workload = values.workload;
  if (!['W1', 'W2', 'W3', 'all'].includes(workload)) fail(`--workload: expected W1, W2, W3 or all, got ${workload}`);
  const backend = values.backend;
  if (!['wasm', 'cpu', 'tensorflow'].includes(backend))
    fail(`--backend: expected wasm, cpu or tensorflow, got ${backend}`);
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) fail(`--reps: expected a positive integer, got ${values.reps}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds: expected a positive integer, got ${values.rounds}`);
  const impls = values.impl === 'all' ? [...IMPLS] : values.impl.split(',');
  for (const i of impls)
    if (!(IMPLS as readonly string[]).includes(i)) fail(`--impl: expected some of ${IMPLS.join(', ')}, got ${i}`);
  // builtin-stock differs from builtin only on wasm, where the fixed kernels apply.
  const useImpls = (impls as CaseArgs['impl'][]).filter((i) => backend === 'wasm' || i !== 'builtin-stock');
  const direction = values.direction;
  if (!['uni', 'bi', 'all'].includes(direction)) fail(`--direction: expected uni, bi or all, got ${direction}`);
  const threads = values.threads === 'auto' ? 'auto' : Number(values.threads);
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_WASM_THREADS))
    fail(`--threads: expected auto or 1 to ${MAX_WASM_THREADS}, got ${values.threads}`);
  return {
    threads,
    workloads: workload === 'all' ? ['W1', 'W2', 'W3'] : [workload as WorkloadName],
    backend: backend as Options['backend'],
    torch: values.torch,
    onnx: values.onnx,
    reps,
    rounds,
    impls: useImpls,
    directions: direction === 'all' ? ['uni', 'bi'] : [direction as Direction],
  };
}

/** One case in a fresh Node process: clean kernel registrations, clean heap, its own peak RSS. */
function runCaseProcess(args: CaseArgs): BenchRow[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', `${HERE}case.ts`, JSON.stringify(args)], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  if (child.status !== 0) throw new Error(`bench case ${JSON.stringify(args)} failed:\n${child.stderr}`);
  const lastLine = child.stdout.trim().split('\n').pop()!;
  return JSON.parse(lastLine) as BenchRow[];
}

/** ONNX Runtime inference (bench/onnx.ts) in a fresh Node process, on torch's 2 threads. */
function runOnnxProcess(args: OnnxCaseArgs): BenchRow[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', `${HERE}onnx.ts`, JSON.stringify(args)], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`bench onnx case ${JSON.stringify(args)} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as BenchRow[];
}

/** Whether bench/torch_lstm.py exists and PyTorch imports; says why not. */
function torchAvailable(): boolean {
  if (!existsSync(TORCH_SCRIPT)) {
    console.error('torch: skipped, bench/torch_lstm.py is not there');
    return false;
  }
  if (spawnSync(PYTHON, ['-c', 'import torch']).status !== 0) {
    console.error(`torch: skipped, ${PYTHON} cannot import torch (apt-get install python3-torch)`);
    return false;
  }
  return true;
}

/** torch.nn.LSTM on the same workloads: one round. */
function runTorch(o: Options, round: number): BenchRow[] {
  const workload = o.workloads.length > 1 ? 'all' : o.workloads[0];
  console.error(`torch: round ${round}/${o.rounds} ${TORCH_SCRIPT} --workload ${workload}`);
  const child = spawnSync(PYTHON, [TORCH_SCRIPT, '--workload', workload, '--reps', String(o.reps), '--json'], {
    encoding: 'utf8',
  });
  if (child.status !== 0) {
    console.error(`torch: failed (exit ${child.status}):\n${child.stderr}`);
    return [];
  }
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    torch: string;
    threads: number;
    rows: BenchRow[];
  };
  console.error(`torch: ${result.torch}, ${result.threads} threads`);
  return result.rows
    .filter((r) => o.directions.includes(r.direction) && o.workloads.includes(r.workload))
    .map((r) => ({ ...r, threads: result.threads }));
}

const fmt = (x: number | undefined) => (x === undefined ? '' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** The table: one line per (workload, direction, phase, impl), with the ratio to builtin-stock. */
function printTable(rows: BenchRow[]): void {
  const head = ['workload', 'dir', 'phase', 'impl', 'threads', 'samples/s', '× stock', 'peak RSS MB'];
  const lines = [head];
  const keyOf = (r: BenchRow) => `${r.workload} ${r.direction} ${r.phase}`;
  const stock = new Map(rows.filter((r) => r.impl === 'builtin-stock').map((r) => [keyOf(r), r.samplesPerSec]));
  for (const r of rows) {
    const base = stock.get(keyOf(r));
    const ratio = base ? `${(r.samplesPerSec / base).toFixed(1)}×` : '';
    lines.push([
      r.workload,
      r.direction,
      r.phase,
      r.impl,
      String(r.threads),
      fmt(r.samplesPerSec),
      ratio,
      fmt(r.peakRssMb),
    ]);
  }
  const widths = head.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  for (const l of lines)
    console.log(l.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

/**
 * The ratios of the medians, and with several rounds the range of the same ratio taken round by round (both cases
 * of a ratio ran in the same round, under the same load from elsewhere).
 */
function printRatios(rows: BenchRow[], byCase: Map<string, BenchRow[]>): void {
  const find = (w: string, impl: string, dir: string, phase: string) =>
    rows.find((r) => r.workload === w && r.impl === impl && r.direction === dir && r.phase === phase)?.samplesPerSec;
  const rounds = (w: string, impl: string, dir: string, phase: string) =>
    byCase.get(`${w} ${impl} ${dir} ${phase}`) ?? [];
  const ratio = (label: string, [w, dir, phase]: string[], top: string, bottom: string) => {
    const [a, b] = [find(w, top, dir, phase), find(w, bottom, dir, phase)];
    if (a === undefined || b === undefined) return;
    const [as, bs] = [rounds(w, top, dir, phase), rounds(w, bottom, dir, phase)];
    const each = as.slice(0, bs.length).map((r, i) => r.samplesPerSec / bs[i].samplesPerSec);
    const spread = each.length > 1 ? `  (rounds ${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)})` : '';
    console.log(`${label.padEnd(44)} ${(a / b).toFixed(2)}${spread}`);
  };
  for (const w of ['W1', 'W2', 'W3'])
    for (const dir of ['uni', 'bi'])
      for (const phase of ['train', 'infer']) {
        const at = [w, dir, phase];
        ratio(`${w} ${dir} ${phase}: hand-fused / builtin-stock`, at, 'hand-fused', 'builtin-stock');
        ratio(`${w} ${dir} ${phase}: builtin / builtin-stock`, at, 'builtin', 'builtin-stock');
        ratio(`${w} ${dir} ${phase}: hand-fused / torch`, at, 'hand-fused', 'torch');
        if (phase === 'infer') {
          ratio(`${w} ${dir} ${phase}: onnx / builtin-stock`, at, 'onnx', 'builtin-stock');
          ratio(`${w} ${dir} ${phase}: onnx / hand-fused`, at, 'onnx', 'hand-fused');
          ratio(`${w} ${dir} ${phase}: onnx / torch`, at, 'onnx', 'torch');
        }
      }
}

function medianRow(runs: BenchRow[]): BenchRow {
  const samplesPerSec = Math.round(median(runs.map((r) => r.samplesPerSec)) * 10) / 10;
  return { ...runs[0], samplesPerSec, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)) };
}

function main(): void {
  const o = parseOptions(process.argv.slice(2));
  // Rounds interleave the cases, so a burst of load from other processes on a shared machine hits all of them
  // alike rather than one; each case keeps its median rate over the rounds (and its largest peak RSS).
  // torch takes its turn in every round too, so hand-fused / torch compares rates measured under the same load.
  const byCase = new Map<string, BenchRow[]>();
  const record = (rows: BenchRow[]) => {
    for (const row of rows) {
      const key = `${row.workload} ${row.impl} ${row.direction} ${row.phase}`;
      byCase.set(key, [...(byCase.get(key) ?? []), row]);
    }
  };
  const torchReady = o.torch && torchAvailable();
  for (let round = 1; round <= o.rounds; round++) {
    for (const workload of o.workloads)
      for (const direction of o.directions)
        for (const impl of o.impls) {
          // The slow stock configurations get one warm-up step; the others two.
          const warmup = impl === 'builtin-stock' || o.backend === 'cpu' ? 1 : 2;
          console.error(`tfjs: round ${round}/${o.rounds} ${workload} ${direction} ${impl} on ${o.backend}`);
          record(
            runCaseProcess({ workload, impl, direction, backend: o.backend, reps: o.reps, warmup, threads: o.threads }),
          );
        }
    if (torchReady) record(runTorch(o, round));
    if (o.onnx)
      for (const workload of o.workloads)
        for (const direction of o.directions) {
          console.error(`onnx: round ${round}/${o.rounds} ${workload} ${direction} on onnxruntime-node, 2 threads`);
          record(runOnnxProcess({ workload, direction, reps: o.reps, threads: 2 }));
        }
  }
  const all = [...byCase.values()].map(medianRow);
  const order = (r: BenchRow) => `${r.workload} ${r.direction === 'uni' ? 0 : 1} ${r.phase === 'train' ? 0 : 1}`;
  all.sort((a, b) => order(a).localeCompare(order(b)));
  printTable(all);
  printRatios(all, byCase);
  const results = all.map(({ workload, impl, direction, phase, samplesPerSec, peakRssMb, threads }) => ({
    workload,
    impl,
    direction,
    phase,
    samplesPerSec,
    peakRssMb,
    threads,
  }));
  mkdirSync(`${HERE}results`, { recursive: true });
  const file = `${HERE}results/${o.backend}.json`;
  writeFileSync(
    file,
    JSON.stringify({ backend: o.backend, node: process.version, cpus: cpus().length, rows: results }, null, 2) + '\n',
  );
  console.error(`wrote ${file}`);
}

/** `--ingest [--rows 1000000,10000000] [--keep DIR]`: the CSV ingest benchmark instead (bench/ingest.ts). */
async function ingest(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ingest: { type: 'boolean' },
      rows: { type: 'string', default: '1000000,10000000' },
      keep: { type: 'string' },
    },
  });
  const rows = (values.rows ?? '').split(',').map(Number);
  if (rows.some((n) => !Number.isInteger(n) || n < 1000))
    throw new Error(`bench: --rows: expected whole numbers ≥ 1000, got ${values.rows}`);
  const { runIngest } = await import('./ingest.js');
  await runIngest({ rows, keep: values.keep });
}

const argv = process.argv.slice(2);
if (argv.includes('--ingest'))
  ingest(argv).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
else
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
