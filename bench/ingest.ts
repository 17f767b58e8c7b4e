// `npm run bench -- --ingest [--rows 1000000,10000000] [--keep DIR]`: CSV to a ready dataset, rows/s and peak memory,
// beside pandas.read_csv of the same file (Debian's python3-pandas, when present) in the same run.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/util/rng.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PYTHON = '/usr/bin/python3';

export interface IngestOptions {
  rows: number[];
  /** a folder to keep (and reuse) the generated files in */
  keep?: string;
}

export interface Variant {
  name: string;
  /** a file of this many rows, measured once, whatever --rows says */
  rows?: number;
  header: string;
  row: (rng: Rng, i: number) => string;
  data: Record<string, unknown>;
}

const WEATHER = ['sun', 'cloud', 'rain', 'snow', 'fog'];

export const VARIANTS: Variant[] = [
  {
    name: '6 numeric',
    header: 'a,b,c,d,e,y',
    row: (rng) => Array.from({ length: 6 }, () => rng.normal().toFixed(4)).join(','),
    data: {
      task: 'forecast',
      features: ['a', 'b', 'c', 'd', 'e', 'y'],
      targets: ['y'],
      window: 32,
      windowLevel: 'absolute',
    },
  },
  {
    name: '6 numeric + series + categorical',
    header: 'station,weather,a,b,c,d,e,y',
    // 100 stations whose rows come in blocks, as a file exported per station would have them
    row: (rng, i) =>
      `s${Math.floor(i / 1000) % 100},${WEATHER[Math.floor(rng.next() * 5)]},` +
      Array.from({ length: 6 }, () => rng.normal().toFixed(4)).join(','),
    data: {
      task: 'forecast',
      seriesId: 'station',
      categorical: ['weather'],
      features: ['a', 'b', 'c', 'd', 'e', 'y'],
      targets: ['y'],
      window: 32,
      windowLevel: 'absolute',
    },
  },
  {
    // Fashion-MNIST's shape (issue 34): a label and 784 pixels, half of them 0, the rest 0-255
    name: 'wide 785 integer',
    rows: 60_000,
    header: ['label', ...Array.from({ length: 784 }, (_, k) => `pixel${k + 1}`)].join(','),
    row: (rng, i) =>
      [i % 10, ...Array.from({ length: 784 }, () => (rng.next() < 0.5 ? 0 : Math.floor(rng.next() * 256)))].join(','),
    data: { task: 'classify', layout: 'wide', label: 'label', steps: 28 },
  },
];

export async function generate(path: string, v: Variant, rows: number): Promise<void> {
  if (existsSync(path)) return;
  const out = createWriteStream(path);
  const rng = new Rng(rows);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(v.header + '\n');
  for (let start = 0; start < rows; start += 10_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) lines.push(v.row(rng, i));
    await write(lines.join('\n') + '\n');
  }
  await new Promise<void>((r) => out.end(() => r()));
}

interface Measured {
  seconds: number;
  peakRssMb: number;
  timings?: Record<string, number>;
}

function ours(path: string, v: Variant, mode?: 'parse-only'): Measured {
  const args = [
    '--max-old-space-size=8192',
    '--import',
    'tsx',
    join(HERE, 'ingest-case.ts'),
    path,
    JSON.stringify(v.data),
  ];
  const r = spawnSync(process.execPath, mode ? [...args, mode] : args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`ingest case failed:\n${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Measured;
}

function pandas(path: string): Measured | undefined {
  if (spawnSync(PYTHON, ['-c', 'import pandas']).status !== 0) return undefined;
  const script =
    'import sys, time, resource, pandas as pd\n' +
    't = time.time(); df = pd.read_csv(sys.argv[1]); s = time.time() - t\n' +
    'print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, len(df))';
  const r = spawnSync(PYTHON, ['-c', script, path], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const [seconds, rss] = r.stdout.trim().split(' ').map(Number);
  return { seconds, peakRssMb: rss };
}

export async function runIngest(o: IngestOptions): Promise<void> {
  const dir = o.keep ?? mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  mkdirSync(dir, { recursive: true });
  const results: Record<string, unknown>[] = [];
  const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas']).status === 0;
  if (!hasPandas)
    console.error('pandas: skipped, /usr/bin/python3 cannot import pandas (apt-get install python3-pandas)');
  try {
    for (const [k, size] of o.rows.entries())
      for (const v of VARIANTS) {
        if (v.rows !== undefined && k > 0) continue;
        const rows = v.rows ?? size;
        const path = join(dir, `${v.name.replace(/\W+/g, '-')}-${rows}.csv`);
        console.error(`generating ${path}`);
        await generate(path, v, rows);
        const mb = statSync(path).size / 1e6;
        console.error(`ingest: ${v.name}, ${rows} rows (${mb.toFixed(0)} MB)`);
        const parse = ours(path, v, 'parse-only');
        const full = ours(path, v);
        const py = hasPandas ? pandas(path) : undefined;
        results.push({ variant: v.name, rows, fileMb: Math.round(mb), parseOnly: parse, lstmTrain: full, pandas: py });
        const rate = (m?: Measured) =>
          m ? `${Math.round(rows / m.seconds / 1000)}k rows/s, ${m.peakRssMb} MB` : 'n/a';
        console.log(
          `${v.name}, ${rows} rows: lstm-train ${rate(full)}; csv-parse alone ${rate(parse)}; pandas ${rate(py)}`,
        );
        if (full.timings) console.log(`  phases (s): ${JSON.stringify(full.timings)}`);
        if (py) console.log(`  lstm-train / pandas rows/s: ${(py.seconds / full.seconds).toFixed(2)}`);
      }
  } finally {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(
    join(HERE, 'results', 'ingest.json'),
    JSON.stringify({ node: process.version, results }, null, 2) + '\n',
  );
  console.error(`wrote ${join(HERE, 'results', 'ingest.json')}`);
}
