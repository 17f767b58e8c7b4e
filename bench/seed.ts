// `npm run bench:seed [-- --rows N --epochs N --variants a,b --no-torch --out DIR]`: the seed's experiment (issue
// 34). Fashion-MNIST (Debian's dataset-fashion-mnist) written to CSV, rows read as sequences (28 steps × 28
// pixels), hidden 128, Adam 1e-3, batch 64, 3 epochs; the four variants trained with lstm-train and scored on the
// official test file with lstm-eval, torch.nn.LSTM (bench/seed_torch.py) beside them with the same recipe. Each
// process runs under GNU time for its peak RSS. A full run writes bench/results/seed.json and docs/seed.png; a
// run with --rows (a quick check) writes only into --out; --redraw draws docs/seed.png and the table again from
// bench/results/seed.json, running nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writePlot } from '../src/charts/render.js';
import { DEBIAN_DIR, hasFashionMnist, writeCsvs } from '../scripts/fashion-mnist-csv.js';
import { ROOT } from './accuracy.js';
import { curvesSpec, resultsTable, type EpochRow, type SeedResult } from './seed-chart.js';

const VARIANTS = {
  'builtin uni': { impl: 'builtin', bidirectional: false },
  'builtin bi': { impl: 'builtin', bidirectional: true },
  'hand uni': { impl: 'hand', bidirectional: false },
  'hand bi': { impl: 'hand', bidirectional: true },
} as const;
type Variant = keyof typeof VARIANTS;

const GNU_TIME = '/usr/bin/time';
const PYTHON = '/usr/bin/python3';
const RESULTS = join(ROOT, 'bench', 'results', 'seed.json');

/** The seed's recipe as an lstm-train config; minmax on 0–255 pixels is /255 (each column's min 0, max 255). */
function seedConfig(variant: Variant, epochs: number, runs: string) {
  return {
    name: `fashion-${variant.replace(' ', '-')}`,
    seed: 42,
    data: {
      path: '../data/train.csv',
      task: 'classify',
      layout: 'wide',
      steps: 28,
      normalize: 'minmax',
      split: { train: 0.9, val: 0.1, test: 0 },
    },
    model: { ...VARIANTS[variant], kernel: 'fused', hiddenSize: 128 },
    train: { epochs, batchSize: 64, learningRate: 0.001, clipNorm: 0 },
    output: { dir: runs },
  };
}

interface Measured {
  stdout: string;
  seconds: number;
  peakRssMb: number;
}

/** Runs a command under GNU time (when present): its stdout, wall seconds and max RSS (NaN without GNU time). */
function measured(cmd: string, args: string[], cwd: string): Measured {
  const rssFile = join(cwd, '.maxrss');
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const start = performance.now();
  const r = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const peakRssMb = timed ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) / 1024 : NaN;
  return { stdout: r.stdout, seconds, peakRssMb };
}

const bin = (name: string) => join(ROOT, 'bin', `${name}.js`);

/** lstm-train on the variant, then lstm-eval of its best checkpoint on the official test file. */
function runOurs(variant: Variant, epochs: number, out: string): SeedResult {
  const dir = join(out, variant.replace(' ', '-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify(seedConfig(variant, epochs, 'runs'), null, 2) + '\n');
  const train = measured(process.execPath, [bin('lstm-train'), '--config', 'cfg.json', '--quiet'], dir);
  const run = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]);
  const best = join(run, 'checkpoints', 'best');
  const test = join(out, 'data', 'test.csv');
  const evaluation = measured(process.execPath, [bin('lstm-eval'), best, '--data', test, '--json'], dir);
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { trainSamplesPerSec: number };
  type Epoch = EpochRow & { epoch_seconds: number };
  const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as Epoch[];
  return {
    name: variant,
    testAccuracy: (JSON.parse(evaluation.stdout) as { accuracy: number }).accuracy,
    wallSeconds: train.seconds + evaluation.seconds,
    trainSeconds: history.reduce((a, e) => a + e.epoch_seconds, 0),
    trainSamplesPerSec: summary.trainSamplesPerSec,
    peakRssMb: Math.max(train.peakRssMb, evaluation.peakRssMb),
    epochs: history,
  };
}

interface TorchRun {
  torch: string;
  testAccuracy: number;
  trainSeconds: number;
  trainSamplesPerSec: number;
  epochs: EpochRow[];
}

function runTorch(bidirectional: boolean, o: { rows?: number; epochs: number; src: string; out: string }) {
  const args = [join(ROOT, 'bench', 'seed_torch.py'), '--src', o.src, '--epochs', String(o.epochs)];
  if (o.rows !== undefined) args.push('--rows', String(o.rows));
  if (bidirectional) args.push('--bidirectional');
  const m = measured(PYTHON, args, o.out);
  const r = JSON.parse(m.stdout) as TorchRun;
  const result: SeedResult = {
    name: `torch ${bidirectional ? 'bi' : 'uni'}`,
    testAccuracy: r.testAccuracy,
    wallSeconds: m.seconds,
    trainSeconds: r.trainSeconds,
    trainSamplesPerSec: r.trainSamplesPerSec,
    peakRssMb: m.peakRssMb,
    epochs: r.epochs,
  };
  return { result, version: r.torch };
}

const hasTorch = () => spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

function options() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      epochs: { type: 'string', default: '3' },
      variants: { type: 'string', default: Object.keys(VARIANTS).join(',').replaceAll(' ', '-') },
      'no-torch': { type: 'boolean', default: false },
      out: { type: 'string' },
      src: { type: 'string', default: DEBIAN_DIR },
      redraw: { type: 'boolean', default: false },
    },
  });
  const positive = (flag: string, s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: expected a positive integer, got ${s}`);
    return n;
  };
  const names = Object.keys(VARIANTS).map((v) => v.replace(' ', '-'));
  const variants = values.variants.split(',').map((v) => v.trim().replace('-', ' '));
  for (const v of variants)
    if (!(v in VARIANTS))
      throw new Error(`--variants: expected some of ${names.join(',')}, got ${v.replace(' ', '-')}`);
  return {
    rows: values.rows === undefined ? undefined : positive('rows', values.rows),
    epochs: positive('epochs', values.epochs),
    variants: variants as Variant[],
    torch: !values['no-torch'],
    out: values.out ?? mkdtempSync(join(tmpdir(), 'lstm-seed-')),
    src: values.src,
    redraw: values.redraw,
  };
}

async function main(): Promise<void> {
  const o = options();
  if (o.redraw) return draw(JSON.parse(readFileSync(RESULTS, 'utf8')) as SeedJson, o.out, true);
  if (!hasFashionMnist(o.src)) {
    console.log(`skipped: no Fashion-MNIST at ${o.src} (apt-get install dataset-fashion-mnist)`);
    return;
  }
  const started = performance.now();
  const loadAtStart = loadavg();
  writeCsvs(o.src, join(o.out, 'data'), o.rows);
  const csvSeconds = (performance.now() - started) / 1000;
  console.log(`CSV written to ${join(o.out, 'data')} in ${csvSeconds.toFixed(1)} s`);
  const results: SeedResult[] = [];
  const show = (r: SeedResult) => {
    results.push(r);
    console.log(resultsTable([r]).split('\n').at(-1));
  };
  let torch: string | undefined;
  const torchOk = o.torch && hasTorch();
  if (o.torch && !torchOk) console.log(`torch left out: ${PYTHON} cannot import torch (apt-get install python3-torch)`);
  // Direction by direction, torch first, so each pair runs close together under the shared machine's load.
  for (const bi of [false, true]) {
    const variants = o.variants.filter((v) => VARIANTS[v].bidirectional === bi);
    if (torchOk && variants.length > 0) {
      const t = runTorch(bi, o);
      torch = t.version;
      show(t.result);
    }
    for (const v of variants) show(runOurs(v, o.epochs, o.out));
  }
  const load = { start: loadAtStart, end: loadavg() };
  const rows = o.rows ?? 60000;
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    torch,
    load,
    rows,
    epochs: o.epochs,
    csvSeconds,
    results,
  };
  writeFileSync(join(o.out, 'seed.json'), JSON.stringify(json, null, 2) + '\n');
  if (o.rows === undefined) writeFileSync(RESULTS, JSON.stringify(json, null, 2) + '\n');
  await draw(json, o.out, o.rows === undefined);
}

type SeedJson = { rows: number; epochs: number; results: SeedResult[] };

/** The chart into `out` (and docs/seed.png for a full run) and the table on stdout. */
async function draw(json: SeedJson, out: string, full: boolean): Promise<void> {
  const subtitle =
    `${json.rows.toLocaleString('en-US')} training images (90% train, 10% val), ${json.epochs} epochs, ` +
    'then the official 10,000 test images; 2 threads each';
  const [, png] = await writePlot(out, 'seed', curvesSpec(json.results, subtitle));
  if (full) copyFileSync(png, join(ROOT, 'docs', 'seed.png'));
  console.log(`\n${resultsTable(json.results)}\n\nchart: ${png}; everything in ${out}`);
}

// A bad flag or a failed child is one message, not a stack trace.
await main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
});
