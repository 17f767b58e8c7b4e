// `npx tsx bench/levels.ts [--epochs N] [--seeds N]`: which data.windowLevel forecasts best on series whose level moves.
// Trains the same small model with each window level on several generated series and prints the test MAE (the mean
// over the horizon's steps) beside persistence, seasonal-naive and the linear baseline. Accuracy, not speed: the
// figures go into bench/README.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hourlyCsv } from '../scripts/make-data.js';
import { Rng } from '../src/util/rng.js';
import { fmt, ROOT, trainAndEvaluate, type TestMae } from './accuracy.js';
const LEVELS = ['absolute', 'last', 'standardize'] as const;
const TAU = 2 * Math.PI;

interface SeriesCase {
  name: string;
  csv: string;
  data: Record<string, unknown>;
}

/** Daily data: a random-walk level plus a weekly cycle and noise. */
function randomWalk(rows: number, seed: number): string {
  const rng = new Rng(seed);
  let level = 50;
  const lines = ['day,y'];
  for (let t = 0; t < rows; t++) {
    level += 0.8 * rng.normal();
    lines.push(`${t},${(level + 6 * Math.sin((TAU * t) / 7) + rng.normal()).toFixed(3)}`);
  }
  return lines.join('\n') + '\n';
}

/** Hourly-like data whose level steps up by half at 60% of the series (so in val and test) and again at 85%. */
function levelSteps(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['t,y'];
  for (let t = 0; t < rows; t++) {
    const level = 40 * (1 + 0.5 * Number(t > 0.6 * rows) + 0.5 * Number(t > 0.85 * rows));
    lines.push(`${t},${(level + 8 * Math.sin((TAU * t) / 24) + 1.5 * rng.normal()).toFixed(3)}`);
  }
  return lines.join('\n') + '\n';
}

function cases(): SeriesCase[] {
  return [
    {
      name: 'hourly (shipped)',
      csv: hourlyCsv(),
      data: { time: 'time', features: ['load', 'temp'], targets: ['load'], window: 72, horizon: 24, season: 24 },
    },
    {
      name: 'sine (shipped, drifting)',
      csv: '',
      data: {
        path: join(ROOT, 'data', 'sine.csv'),
        features: ['value', 'aux'],
        targets: ['value'],
        window: 32,
        horizon: 8,
        season: 40,
      },
    },
    {
      name: 'random walk, weekly',
      csv: randomWalk(4000, 5),
      data: { features: ['y'], targets: ['y'], window: 28, horizon: 7, season: 7 },
    },
    {
      name: 'level steps, daily cycle',
      csv: levelSteps(6000, 9),
      data: { features: ['y'], targets: ['y'], window: 48, horizon: 12, season: 24 },
    },
  ];
}

interface Row extends TestMae {
  series: string;
  level: string;
  seed: number;
}

function main(): void {
  const { values } = parseArgs({
    options: { epochs: { type: 'string', default: '10' }, seeds: { type: 'string', default: '2' } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-levels-'));
  const rows: Row[] = [];
  try {
    for (const c of cases()) {
      const path = c.csv ? join(dir, `${c.name.replace(/\W+/g, '-')}.csv`) : undefined;
      if (path) writeFileSync(path, c.csv);
      for (let seed = 1; seed <= Number(values.seeds); seed++)
        for (const level of LEVELS) {
          const config = {
            name: 'levels',
            seed,
            backend: 'wasm',
            data: { task: 'forecast', path, ...c.data, windowLevel: level },
            model: { impl: 'hand', hiddenSize: 32 },
            train: { epochs: Number(values.epochs), batchSize: 64, learningRate: 0.003 },
          };
          const row = { series: c.name, level, seed, ...trainAndEvaluate(join(dir, `${rows.length}`), config) };
          rows.push(row);
          console.error(`${c.name}, ${level}, seed ${seed}: MAE ${row.model.toFixed(4)}`);
        }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| series | window level | test MAE (mean of seeds) | × linear | × seasonal-naive | × persistence |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const c of cases())
    for (const level of LEVELS) {
      const mine = rows.filter((r) => r.series === c.name && r.level === level);
      const mean = (f: (r: Row) => number) => mine.reduce((a, r) => a + f(r), 0) / mine.length;
      const m = mean((r) => r.model);
      console.log(
        `| ${c.name} | ${level} | ${fmt(m)} | ${fmt(m / mean((r) => r.linear))} | ` +
          `${fmt(m / mean((r) => r.seasonal))} | ${fmt(m / mean((r) => r.persistence))} |`,
      );
    }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'levels.json'),
    JSON.stringify({ epochs: Number(values.epochs), rows }, null, 2) + '\n',
  );
}

main();
