// Runs the real CLI binaries (bin/*.js over the compiled dist/) as child processes, in temporary folders.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DATA = join(ROOT, 'data');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Bin = 'lstm-train' | 'lstm-eval' | 'lstm-compare' | 'lstm-predict' | 'lstm-report' | 'lstm-export';

export function runCli(bin: Bin, args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a CLI without waiting, for signal tests. */
export function startCli(bin: 'lstm-train' | 'lstm-eval', args: string[], cwd: string) {
  return spawn(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'lstm-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

/** Every file and folder below `dir` (relative paths), for "nothing was written" checks. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** A small, fast forecast config on the shipped series. */
export function smallForecastConfig(overrides: Record<string, unknown> = {}) {
  return {
    name: 'small',
    seed: 7,
    backend: 'wasm',
    data: {
      task: 'forecast',
      path: join(DATA, 'sine.csv'),
      features: ['value', 'aux'],
      targets: ['value'],
      window: 12,
    },
    model: { hiddenSize: 8, dropout: 0.1 },
    train: { epochs: 2, batchSize: 128, learningRate: 0.01 },
    output: { dir: 'runs' },
    ...overrides,
  };
}

/** configs/classify.json's data with a small model: the README's comparison in miniature. */
export function smallClassifyConfig(overrides: Record<string, unknown> = {}) {
  return {
    name: 'order',
    seed: 42,
    backend: 'wasm',
    data: { task: 'classify', path: join(DATA, 'order.csv'), layout: 'wide', steps: 20 },
    model: { hiddenSize: 4, dropout: 0 },
    train: { epochs: 2, batchSize: 128, learningRate: 0.01 },
    output: { dir: 'runs' },
    ...overrides,
  };
}

/** Trains `config` (quietly) in a fresh folder and returns its run directory. */
export function trainRun(config: object, prefix = 'lstm-run-'): string {
  const out = tempDir(prefix);
  const r = runCli('lstm-train', ['--config', writeJson(join(out, 'cfg.json'), config), '--quiet'], out);
  if (r.code !== 0) throw new Error(`lstm-train failed (${r.code}):\n${r.stderr}`);
  return join(out, 'runs', readdirSync(join(out, 'runs'))[0]);
}

/** A CSV's rows as objects keyed by its header (no quoting: the files here have none). */
export function readCsvRows(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

/**
 * Two small trained checkpoints the export and serve tests share. A forecaster of several series with its own
 * scalers, a categorical, calendar features, times and intervals; a classifier of padded sequences (the long
 * layout), so the model takes a mask.
 */
export function stationsSmallCheckpoint(): string {
  const run = trainRun({
    name: 'stations-small',
    seed: 5,
    backend: 'wasm',
    data: {
      task: 'forecast',
      path: join(DATA, 'stations.csv'),
      time: 'date',
      seriesId: 'station',
      categorical: ['weather'],
      calendar: ['dayOfWeek', 'dayOfYear'],
      features: ['visitors', 'temp'],
      targets: ['visitors'],
      window: 10,
      horizon: 3,
    },
    model: { impl: 'hand', bidirectional: true, hiddenSize: 6 },
    train: { epochs: 1, batchSize: 128, learningRate: 0.01 },
    output: { dir: 'runs' },
  });
  return join(run, 'checkpoints', 'best');
}

export function orderLongSmallCheckpoint(): string {
  const run = trainRun({
    name: 'order-long-small',
    seed: 5,
    backend: 'wasm',
    data: { task: 'classify', path: join(DATA, 'order-long.csv'), layout: 'long', sequenceId: 'seq', orderBy: 'step' },
    model: { impl: 'builtin', layers: 2, hiddenSize: 6 },
    train: { epochs: 1, batchSize: 64, learningRate: 0.01 },
    output: { dir: 'runs' },
  });
  return join(run, 'checkpoints', 'best');
}

export interface Server {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** lstm-serve (the real CLI) on a free loopback port, once it says where it listens. */
export async function startServe(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'lstm-serve.js'), ...args, '--port', '0'], {
    cwd: tempDir('lstm-serve-'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((found, failed) => {
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearInterval(poll);
      found(m[1]);
    }, 20);
    void exited.then((code) => (clearInterval(poll), failed(new Error(`lstm-serve exited ${code}:\n${out}${err}`))));
  });
  return { url, child, stdout: () => out, exited };
}

export /** POST /predict with `body` as `type`: the status and the JSON answer. */
async function post(url: string, body: string, type = 'application/json') {
  const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}
