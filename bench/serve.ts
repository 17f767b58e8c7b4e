// lstm-serve under load on loopback: requests/s and latency at a fixed concurrency, autocannon against the real
// server (a child process), for each runtime with batching on and off. Not a test: nothing here asserts a speed.
//
//   npm run bench:serve -- [--connections 16] [--duration 10] [--rounds 1] [--config stations] [--checkpoint <dir>]
//
// Without --checkpoint it trains configs/<--config>.json (2 epochs) into a temporary folder first. Each request is
// one series' last window as JSON rows; the rounds interleave the cases and each keeps its median.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { parse } from 'csv-parse/sync';
import { median } from './workloads.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    checkpoint: { type: 'string' },
    config: { type: 'string', default: 'stations' },
  },
});
const connections = Number(args.connections);
const duration = Number(args.duration);
const rounds = Number(args.rounds);

interface Case {
  name: string;
  runtime: 'tfjs' | 'onnx';
  flags: string[];
}
const CASES: Case[] = (['tfjs', 'onnx'] as const).flatMap((runtime) => [
  { name: `${runtime}, batched, wait 5 ms`, runtime, flags: ['--batch-wait', '5'] },
  { name: `${runtime}, batched, wait 2 ms`, runtime, flags: ['--batch-wait', '2'] },
  { name: `${runtime}, batched, no wait`, runtime, flags: ['--batch-wait', '0'] },
  { name: `${runtime}, one request per pass`, runtime, flags: ['--max-batch', '1', '--batch-wait', '0'] },
]);

/** A checkpoint of `config` (a file of configs/) trained for 2 epochs into a temporary folder. */
function trainCheckpoint(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-serve-bench-'));
  const parsed = JSON.parse(readFileSync(join(ROOT, 'configs', `${config}.json`), 'utf8')) as Record<string, any>;
  parsed.data.path = resolve(ROOT, 'configs', parsed.data.path as string);
  parsed.train.epochs = 2;
  parsed.output = { dir: join(dir, 'runs') };
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify(parsed));
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'lstm-train.js'), '--config', join(dir, 'cfg.json'), '--quiet'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`lstm-train failed:\n${r.stderr}`);
  return join(dir, 'runs', readdirSync(join(dir, 'runs'))[0], 'checkpoints', 'best');
}

/** The first series' last window of the checkpoint's training file, as JSON rows: what a client sends. */
function requestBody(checkpoint: string): string {
  const card = JSON.parse(readFileSync(join(checkpoint, 'meta.json'), 'utf8')) as {
    config: { data: { path: string; window: number; time?: string; seriesId?: string } };
  };
  const { path, window, time, seriesId } = card.config.data;
  let rows = parse<Record<string, string>>(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true });
  if (seriesId !== undefined) rows = rows.filter((r) => r[seriesId] === rows[0][seriesId]);
  if (time !== undefined) rows.sort((a, b) => (a[time] < b[time] ? -1 : 1));
  return JSON.stringify({ rows: rows.slice(-window) });
}

async function startServe(checkpoint: string, c: Case): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'lstm-serve.js'), checkpoint, '--port', '0', '--runtime', c.runtime, ...c.flags],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  for (let i = 0; !/listening on (http:\S+)/.test(out); i++) {
    if (i > 600 || child.exitCode !== null) throw new Error(`lstm-serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: /listening on (http:\S+)/.exec(out)![1], child };
}

interface Measured {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  windowsPerPass: number;
}

async function measure(checkpoint: string, c: Case, body: string): Promise<Measured> {
  const { url, child } = await startServe(checkpoint, c);
  try {
    const request = {
      url: `${url}/predict`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body,
      connections,
    };
    await autocannon({ ...request, duration: 2 }); // warm-up: V8, the wasm engine, ONNX Runtime's arenas
    const result = await autocannon({ ...request, duration });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    return {
      requestsPerSec: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      windowsPerPass: value('lstm_serve_batch_windows_sum') / value('lstm_serve_batch_windows_count'),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const checkpoint = args.checkpoint ? resolve(args.checkpoint) : trainCheckpoint(args.config);
const body = requestBody(checkpoint);
const runs = new Map<string, Measured[]>(CASES.map((c) => [c.name, []]));
for (let round = 0; round < rounds; round++)
  for (const c of CASES) {
    const m = await measure(checkpoint, c, body);
    runs.get(c.name)!.push(m);
    process.stderr.write(`round ${round + 1}, ${c.name}: ${m.requestsPerSec.toFixed(0)} req/s\n`);
  }

const rows = CASES.map((c) => {
  const ms = runs.get(c.name)!;
  const med = (k: keyof Measured) => median(ms.map((m) => m[k]));
  return {
    case: c.name,
    requestsPerSec: Math.round(med('requestsPerSec')),
    p50Ms: med('p50Ms'),
    p99Ms: med('p99Ms'),
    windowsPerPass: Math.round(med('windowsPerPass') * 10) / 10,
    failed: ms.reduce((n, m) => n + m.non2xx + m.errors, 0),
  };
});
console.log(
  `lstm-serve on loopback (${args.checkpoint ?? `configs/${args.config}.json`}): ${connections} connections, ${duration} s per case, ${rounds} round(s), one series' window per request`,
);
console.log('| case | req/s | p50 ms | p99 ms | windows per pass | failed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(`| ${r.case} | ${r.requestsPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.windowsPerPass} | ${r.failed} |`);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(ROOT, 'bench', 'results', `serve-${args.checkpoint ? 'checkpoint' : args.config}.json`),
  JSON.stringify(
    { node: process.version, model: args.checkpoint ?? args.config, connections, duration, rounds, rows },
    null,
    2,
  ) + '\n',
);
