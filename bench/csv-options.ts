// `npx tsx bench/csv-options.ts <file.csv> [--rounds N]`: csv-parse alone on one file, with the options and the ways
// of reading records that a loader could use, each in a fresh process; median seconds per variant.
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type Options } from 'csv-parse';
import { median } from './workloads.js';

const VARIANTS: Record<string, { options: Options; read: 'for-await' | 'readable' | 'data' }> = {
  'as loaded today (info, trim, for await)': {
    options: { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true },
    read: 'for-await',
  },
  'without info': {
    options: { relax_column_count: true, skip_empty_lines: true, bom: true, trim: true },
    read: 'for-await',
  },
  'without trim': {
    options: { info: true, relax_column_count: true, skip_empty_lines: true, bom: true },
    read: 'for-await',
  },
  "'readable' + read() instead of for await": {
    options: { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true },
    read: 'readable',
  },
  "'data' events": {
    options: { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true },
    read: 'data',
  },
  "'readable', no info, no trim": {
    options: { relax_column_count: true, skip_empty_lines: true, bom: true },
    read: 'readable',
  },
};

async function one(path: string, name: string): Promise<number> {
  const v = VARIANTS[name];
  const started = performance.now();
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse(v.options));
  let n = 0;
  if (v.read === 'for-await') for await (const _ of parser) n++;
  else if (v.read === 'data')
    await new Promise<void>((resolve, reject) => {
      parser.on('data', () => n++);
      parser.on('end', resolve);
      parser.on('error', reject);
    });
  else
    await new Promise<void>((resolve, reject) => {
      parser.on('readable', () => {
        while (parser.read() !== null) n++;
      });
      parser.on('end', resolve);
      parser.on('error', reject);
    });
  if (n === 0) throw new Error('no records');
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const [path, variant] = process.argv.slice(2);
  if (variant !== undefined && !variant.startsWith('--')) {
    process.stdout.write(`${await one(path, variant)}\n`);
    return;
  }
  const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
  const me = fileURLToPath(import.meta.url);
  const times = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++)
    for (const name of Object.keys(VARIANTS)) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', me, path, name], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      times.set(name, [...(times.get(name) ?? []), Number(out.stdout.trim())]);
    }
  const base = median(times.get(Object.keys(VARIANTS)[0]) ?? []);
  for (const [name, ts] of times)
    console.log(`${name.padEnd(44)} ${median(ts).toFixed(2)} s  (${(base / median(ts)).toFixed(2)}× today's)`);
}

await main();
