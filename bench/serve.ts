// lstm-serve under load on loopback: requests/s and latency at a fixed concurrency, autocannon against the real
// server (a child process), for each runtime with batching on and off; then one large body (10,000 to 40,000 CSV
// rows) at a time, its latency and /health's while it is read. Not a test: nothing here asserts a speed.
//
//   npm run bench:serve -- [--connections 16] [--duration 10] [--rounds 1] [--config stations] [--checkpoint <dir>]
//                          [--part load|large|both] [--cases <regexp of case names>] [--before <dir>]
//
// Without --checkpoint it trains configs/<--config>.json (2 epochs) into a temporary folder first (and, for the large
// bodies, configs/forecast.json: rows of value,aux). Each load request is one series' last window as JSON rows; the
// rounds interleave the cases and each keeps its median. --before <dir>: a built copy of another commit (its bin/
// and dist/), whose server runs each case too, side by side.
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
    part: { type: 'string', default: 'both' },
    cases: { type: 'string' },
    before: { type: 'string' },
  },
});
/** the servers compared: this tree's, and --before's */
const TREES = [
  { label: 'after', root: ROOT },
  ...(args.before ? [{ label: 'before', root: resolve(args.before) }] : []),
];
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

async function startServe(
  checkpoint: string,
  c: Pick<Case, 'runtime' | 'flags'>,
  root = ROOT,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'lstm-serve.js'), checkpoint, '--port', '0', '--runtime', c.runtime, ...c.flags],
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
  /** the server process's CPU time (user and system) per request, ms: less moved by a busy machine than req/s */
  cpuPerRequest: number;
}

/** A process's CPU time so far in ms (Linux's /proc; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in ticks of 10 ms
  } catch {
    return NaN;
  }
}

async function measure(checkpoint: string, c: Case, body: string, root: string): Promise<Measured> {
  const { url, child } = await startServe(checkpoint, c, root);
  try {
    const request = {
      url: `${url}/predict`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body,
      connections,
    };
    await autocannon({ ...request, duration: 2 }); // warm-up: V8, the wasm engine, ONNX Runtime's arenas
    const cpu0 = cpuMs(child.pid!);
    const result = await autocannon({ ...request, duration });
    const cpuPerRequest = (cpuMs(child.pid!) - cpu0) / result.requests.total;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    return {
      requestsPerSec: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      windowsPerPass: value('lstm_serve_batch_windows_sum') / value('lstm_serve_batch_windows_count'),
      cpuPerRequest,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function loadPart(): Promise<Record<string, unknown>[]> {
  const checkpoint = args.checkpoint ? resolve(args.checkpoint) : trainCheckpoint(args.config);
  const body = requestBody(checkpoint);
  const chosen = CASES.filter((c) => args.cases === undefined || new RegExp(args.cases).test(c.name));
  const cases = TREES.flatMap((t) => chosen.map((c) => ({ ...c, tree: t, name: `${t.label}: ${c.name}` })));
  const runs = new Map<string, Measured[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++)
    for (const c of cases) {
      const m = await measure(checkpoint, c, body, c.tree.root);
      runs.get(c.name)!.push(m);
      process.stderr.write(`round ${round + 1}, ${c.name}: ${m.requestsPerSec.toFixed(0)} req/s\n`);
    }
  const rows = cases.map((c) => {
    const ms = runs.get(c.name)!;
    const med = (k: keyof Measured) => median(ms.map((m) => m[k]));
    return {
      case: c.name,
      requestsPerSec: Math.round(med('requestsPerSec')),
      p50Ms: med('p50Ms'),
      p99Ms: med('p99Ms'),
      windowsPerPass: Math.round(med('windowsPerPass') * 10) / 10,
      cpuMsPerRequest: Math.round(med('cpuPerRequest') * 100) / 100,
      failed: ms.reduce((n, m) => n + m.non2xx + m.errors, 0),
    };
  });
  console.log(
    `lstm-serve on loopback (${args.checkpoint ?? `configs/${args.config}.json`}): ${connections} connections, ${duration} s per case, ${rounds} round(s), one series' window per request`,
  );
  console.log('| case | req/s | p50 ms | p99 ms | windows per pass | server CPU ms per request | failed |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${r.requestsPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.windowsPerPass} | ${r.cpuMsPerRequest} | ${r.failed} |`,
    );
  return rows;
}

const LARGE = [10_000, 20_000, 40_000];

/** One POST of `csv`, with sequential GET /health meanwhile: the POST's latency and each /health's, in ms. */
async function largeOnce(url: string, csv: string): Promise<{ postMs: number; healthMs: number[] }> {
  let done = false;
  const started = performance.now();
  const answer = fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }).then(
    async (r) => {
      if (r.status !== 200) throw new Error(`POST /predict: ${r.status} ${(await r.text()).slice(0, 300)}`);
      await r.arrayBuffer();
      done = true;
      return performance.now() - started;
    },
  );
  const healthMs: number[] = [];
  // each /health sent before the POST is answered counts, the one held until after it too
  while (!done) {
    const t = performance.now();
    await (await fetch(`${url}/health`)).arrayBuffer();
    healthMs.push(performance.now() - t);
  }
  return { postMs: await answer, healthMs };
}

async function largePart(): Promise<Record<string, unknown>[]> {
  const checkpoint = trainCheckpoint('forecast');
  const bodies = LARGE.map((n) => {
    const lines = Array.from({ length: n }, (_, i) => `${(i * 7) % 10},${(i * 3) % 10}`);
    return { n, csv: `value,aux\n${lines.join('\n')}\n` };
  });
  const measured = new Map<string, { postMs: number[]; healthMs: number[] }>();
  for (let round = 0; round < rounds; round++)
    for (const tree of TREES) {
      const { url, child } = await startServe(checkpoint, { runtime: 'tfjs', flags: [] }, tree.root);
      try {
        await largeOnce(url, bodies[0].csv); // warm-up
        for (const b of bodies) {
          const m = await largeOnce(url, b.csv);
          const key = `${tree.label}|${b.n}`;
          const seen = measured.get(key) ?? { postMs: [], healthMs: [] };
          seen.postMs.push(m.postMs);
          seen.healthMs.push(...m.healthMs);
          measured.set(key, seen);
          process.stderr.write(`round ${round + 1}, ${tree.label}, ${b.n} rows: ${m.postMs.toFixed(0)} ms\n`);
        }
      } finally {
        await stop(child);
      }
    }
  const rows = TREES.flatMap((tree) =>
    bodies.map((b) => {
      const m = measured.get(`${tree.label}|${b.n}`)!;
      const sorted = [...m.healthMs].sort((x, y) => x - y);
      return {
        tree: tree.label,
        rows: b.n,
        kb: Math.round(b.csv.length / 1024),
        postMs: Math.round(median(m.postMs)),
        healthAnswered: m.healthMs.length,
        healthP50Ms: sorted.length ? Math.round(median(sorted) * 10) / 10 : null,
        healthMaxMs: sorted.length ? Math.round(sorted.at(-1)! * 10) / 10 : null,
      };
    }),
  );
  console.log(
    `\none large text/csv body at a time (configs/forecast.json, 2 epochs; ${rounds} round(s)), GET /health in a loop meanwhile`,
  );
  console.log('| server | rows | KB | POST ms (median) | /health asked meanwhile | /health p50 ms | /health max ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.tree} | ${r.rows} | ${r.kb} | ${r.postMs} | ${r.healthAnswered} | ${r.healthP50Ms ?? '-'} | ${r.healthMaxMs ?? '-'} |`,
    );
  return rows;
}

const load = args.part === 'large' ? [] : await loadPart();
const large = args.part === 'load' ? [] : await largePart();
// a side-by-side or a choice of cases leaves the full run's file as it was
const partial = args.before || args.cases || args.part !== 'both' ? '-partial' : '';
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(ROOT, 'bench', 'results', `serve-${args.checkpoint ? 'checkpoint' : args.config}${partial}.json`),
  JSON.stringify(
    {
      node: process.version,
      model: args.checkpoint ?? args.config,
      before: args.before ?? null,
      connections,
      duration,
      rounds,
      rows: load,
      large,
    },
    null,
    2,
  ) + '\n',
);
