// `npx tsx bench/scale-by.ts [--seeds N]`: which data.scaleBy forecasts a file of several series best.
// Trains configs/stations.json (5 stations of different sizes) with scaleBy "series" and "global", each with the
// absolute and standardize window levels, and prints the test MAE (mean of the seeds) beside the linear
// baseline. Accuracy, not speed: the figures go into bench/README.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, ROOT, trainAndEvaluate, type TestMae } from './accuracy.js';

const SCALE_BY = ['series', 'global'] as const;
const LEVELS = ['absolute', 'standardize'] as const;

interface Row extends TestMae {
  scaleBy: string;
  level: string;
  seed: number;
}

function main(): void {
  const { values } = parseArgs({ options: { seeds: { type: 'string', default: '2' } } });
  const base = JSON.parse(readFileSync(join(ROOT, 'configs', 'stations.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-by-'));
  const rows: Row[] = [];
  try {
    for (let seed = 1; seed <= Number(values.seeds); seed++)
      for (const scaleBy of SCALE_BY)
        for (const level of LEVELS) {
          const data = { ...base.data, path: join(ROOT, 'data', 'stations.csv'), scaleBy, windowLevel: level };
          const mae = trainAndEvaluate(join(dir, `${rows.length}`), { ...base, seed, backend: 'wasm', data });
          rows.push({ scaleBy, level, seed, ...mae });
          console.error(`scaleBy ${scaleBy}, ${level}, seed ${seed}: MAE ${mae.model.toFixed(4)}`);
        }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| scaleBy | window level | test MAE (mean of seeds) | each seed | linear baseline | × linear |');
  console.log('|---|---|---:|---|---:|---:|');
  for (const scaleBy of SCALE_BY)
    for (const level of LEVELS) {
      const mine = rows.filter((r) => r.scaleBy === scaleBy && r.level === level);
      const mean = (f: (r: Row) => number) => mine.reduce((a, r) => a + f(r), 0) / mine.length;
      const [m, linear] = [mean((r) => r.model), mean((r) => r.linear)];
      const each = mine.map((r) => fmt(r.model)).join(', ');
      console.log(`| ${scaleBy} | ${level} | ${fmt(m)} | ${each} | ${fmt(linear)} | ${fmt(m / linear)} |`);
    }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'scale-by.json'), JSON.stringify({ rows }, null, 2) + '\n');
}

main();
