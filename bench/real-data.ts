// `npm run bench:accuracy -- [--seeds N] [--epochs N] [--variants a,b] [--datasets a,b]`: forecast accuracy on real
// public series, each variant of the model beside persistence, seasonal naive, the linear baseline and the
// statistical peers (theta, ets, arima: lstm-eval's), one run.
// The series come from the npm package vega-datasets (a dev dependency, version in package.json), never generated.
// Accuracy, not speed: the figures go into bench/README.md, and the model's defaults are chosen from them.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, ROOT, trainAndEvaluate, type TestMae } from './accuracy.js';

const require = createRequire(import.meta.url);
const PACKAGE = join(dirname(require.resolve('vega-datasets')), '..'); // its exports hide package.json
const VERSION = (JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
const file = (name: string) => join(PACKAGE, 'data', name);

interface Dataset {
  name: string;
  /** what it is, for the table */
  about: string;
  /** the CSV to train on: the package's file, or one written from its JSON into `dir` */
  csv(dir: string): string;
  data: Record<string, unknown>;
}

/** unemployment-across-industries.json (one object per series and month) as a long CSV: series, date, count. */
function unemploymentCsv(dir: string): string {
  type Row = { series: string; date: string; count: number };
  const rows = JSON.parse(readFileSync(file('unemployment-across-industries.json'), 'utf8')) as Row[];
  const path = join(dir, 'unemployment.csv');
  const month = (iso: string) => iso.slice(0, 7) + '-01'; // the package stamps each month 08:00 UTC
  writeFileSync(
    path,
    ['series,date,count', ...rows.map((r) => `"${r.series}",${month(r.date)},${r.count}`)].join('\n'),
  );
  return path;
}

export const DATASETS: Dataset[] = [
  {
    name: 'seattle-hourly',
    about: 'hourly temperature normals, Seattle (seattle-weather-hourly-normals.csv, 8,760 rows)',
    csv: () => file('seattle-weather-hourly-normals.csv'),
    data: {
      time: 'date',
      features: ['temperature', 'pressure', 'wind'],
      targets: ['temperature'],
      window: 72,
      horizon: 24,
      season: 24,
    },
  },
  {
    name: 'weather-daily',
    about: 'daily maximum temperature, Seattle and New York (weather.csv, 2 series × 1,461 days)',
    csv: () => file('weather.csv'),
    data: {
      time: 'date',
      seriesId: 'location',
      features: ['temp_max', 'temp_min', 'precipitation', 'wind'],
      targets: ['temp_max'],
      window: 28,
      horizon: 7,
      season: 7,
    },
  },
  {
    name: 'co2-monthly',
    about: 'monthly CO2 at Mauna Loa, a rising level (co2-concentration.csv, 741 months)',
    csv: () => file('co2-concentration.csv'),
    data: {
      time: 'Date',
      gaps: 'fill',
      missing: 'ffill',
      features: ['CO2'],
      targets: ['CO2'],
      window: 36,
      horizon: 12,
      season: 12,
    },
  },
  {
    name: 'unemployment-monthly',
    about: 'monthly unemployed by industry, US (unemployment-across-industries.json, 14 series × 122 months)',
    csv: unemploymentCsv,
    data: {
      time: 'date',
      seriesId: 'series',
      features: ['count'],
      targets: ['count'],
      window: 12,
      horizon: 6,
      season: 12,
      split: { train: 0.6, val: 0.2, test: 0.2 },
    },
  },
];

/** The variants scored, each a config overlay on the shared model; `default` is what lstm-train does by itself. */
export const VARIANTS: Record<string, { data?: object; model?: object; train?: object }> = {
  default: {},
  'no skip': { model: { linearSkip: false } },
  'ridge start': { model: { skipStart: 'ridge' } },
  cosine: { train: { schedule: { kind: 'cosine', warmupEpochs: 1 } } },
  onecycle: { train: { schedule: { kind: 'onecycle' } } },
  plateau: { train: { schedule: { kind: 'plateau' } } },
  'weight decay 0.01': { train: { weightDecay: 0.01 } },
  'level last': { data: { windowLevel: 'last' } },
  'level absolute': { data: { windowLevel: 'absolute' } },
  'ensemble 3': { model: { ensemble: 3 } },
};

interface Row extends TestMae {
  dataset: string;
  variant: string;
  seed: number;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '15' },
      seeds: { type: 'string', default: '2' },
      variants: {
        type: 'string',
        default: Object.keys(VARIANTS)
          .filter((v) => !v.startsWith('level') && !v.startsWith('ensemble') && v !== 'ridge start')
          .join(','),
      },
      datasets: { type: 'string', default: DATASETS.map((d) => d.name).join(',') },
    },
  });
  const variants = values.variants.split(',');
  const datasets = DATASETS.filter((d) => values.datasets.split(',').includes(d.name));
  for (const v of variants) if (!(v in VARIANTS)) throw new Error(`--variants: no variant ${v}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-real-'));
  const rows: Row[] = [];
  try {
    for (const d of datasets) {
      const path = d.csv(dir);
      for (let seed = 1; seed <= Number(values.seeds); seed++)
        for (const variant of variants) {
          const overlay = VARIANTS[variant];
          const config = {
            name: 'real',
            seed,
            backend: 'wasm',
            data: { task: 'forecast', path, ...d.data, ...overlay.data },
            model: { impl: 'hand', hiddenSize: 32, ...overlay.model },
            train: { epochs: Number(values.epochs), batchSize: 64, learningRate: 0.003, ...overlay.train },
          };
          const started = performance.now();
          const row = { dataset: d.name, variant, seed, ...trainAndEvaluate(join(dir, `${rows.length}`), config) };
          rows.push(row);
          const seconds = ((performance.now() - started) / 1000).toFixed(0);
          console.error(
            `${d.name}, ${variant}, seed ${seed}: MAE ${fmt(row.model)} (linear ${fmt(row.linear)}), ${seconds} s`,
          );
        }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`vega-datasets ${VERSION}; test MAE, the mean over the horizon and over ${values.seeds} seeds\n`);
  console.log(
    '| dataset | variant | test MAE | MASE | sMAPE % | × best peer | × linear | × seasonal naive | each seed |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---|');
  const bestPeer = (r: Row) => Math.min(...[r.theta, r.ets, r.arima].filter(Number.isFinite));
  const relative: Record<string, number[]> = {};
  for (const d of datasets)
    for (const variant of variants) {
      const mine = rows.filter((r) => r.dataset === d.name && r.variant === variant);
      const mean = (f: (r: Row) => number) => mine.reduce((a, r) => a + f(r), 0) / mine.length;
      const m = mean((r) => r.model);
      const seeds = mine.map((r) => fmt(r.model)).join(', ');
      (relative[variant] ??= []).push(m / mean(bestPeer));
      console.log(
        `| ${d.name} | ${variant} | ${fmt(m)} | ${fmt(mean((r) => r.mase.model))} | ${fmt(mean((r) => r.smape.model))} | ` +
          `${fmt(m / mean(bestPeer))} | ${fmt(m / mean((r) => r.linear))} | ${fmt(m / mean((r) => r.seasonal))} | ${seeds} |`,
      );
    }
  for (const [variant, ratios] of Object.entries(relative))
    console.log(
      `${variant}: geometric mean over datasets of MAE / best peer's ${fmt(Math.exp(ratios.reduce((a, x) => a + Math.log(x), 0) / ratios.length))}`,
    );
  console.log('\n| dataset | forecast | test MAE | MASE | sMAPE % |\n|---|---|---:|---:|---:|');
  for (const d of datasets) {
    const first = rows.find((r) => r.dataset === d.name)!;
    const baselines: [string, keyof Row][] = [
      ['persistence', 'persistence'],
      ['seasonal-naive', 'seasonal'],
      ['linear', 'linear'],
      ['theta', 'theta'],
      ['ets', 'ets'],
      ['arima', 'arima'],
    ];
    for (const [name, key] of baselines)
      console.log(
        `| ${d.name} | ${name} | ${fmt(first[key] as number)} | ${fmt(first.mase[name] ?? NaN)} | ${fmt(first.smape[name] ?? NaN)} |`,
      );
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const out = { source: `vega-datasets ${VERSION}`, epochs: Number(values.epochs), rows };
  writeFileSync(join(ROOT, 'bench', 'results', 'real-data.json'), JSON.stringify(out, null, 2) + '\n');
}

// bench/panel.ts reads DATASETS from here without running this bench.
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
