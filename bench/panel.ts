// `npm run build --silent && npx tsx bench/panel.ts [--seed N] [--series a,b] [--variant name=json …]`: the accuracy panel (issue 33): the
// default LSTM (lstm-train with no model or train settings), the baselines and our statistical peers (lstm-eval's
// report), and R's ets, auto.arima and thetaf as references, on vega-datasets' series, R's (written by Rscript) and
// statsmodels' (by Python; each left out with a message where it is absent). Each series splits by rows: val and test one horizon each, so its
// test is the one origin before the last horizon. Prints MAE, MASE and sMAPE tables for bench/README.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, patched, ROOT, trainAndEvaluate } from './accuracy.js';
import { classicPanel, type PanelSeries } from './panel-series.js';
import { DATASETS } from './real-data.js';
import { smapeOf, tables, type Score } from './panel-table.js';

const OURS: [string, string][] = [
  ['LSTM', 'model'],
  ['persistence', 'persistence'],
  ['seasonal-naive', 'seasonal-naive'],
  ['linear', 'linear'],
  ['theta', 'theta'],
  ['ets', 'ets'],
  ['arima', 'arima'],
];

/** The vega-datasets series, split by rows as R's are. */
function vegaSeries(dir: string): PanelSeries[] {
  return DATASETS.map((d) => {
    const horizon = d.data.horizon as number;
    return {
      name: d.name,
      about: d.about,
      path: d.csv(dir),
      horizon,
      data: { ...d.data, split: { val: horizon, test: horizon } },
    };
  });
}

/** `--variant name={"model": {…}, "train": {…}}`: the default LSTM with these config sections, in its own column. */
function variantOf(arg: string): { name: string; patch: Record<string, unknown> } {
  const at = arg.indexOf('=');
  if (at < 1) throw new Error(`--variant: expected name={json config sections}, got ${arg}`);
  return { name: arg.slice(0, at), patch: JSON.parse(arg.slice(at + 1)) as Record<string, unknown> };
}

/** The last `h` values of a date,value CSV: the test window's truth. */
function lastValues(path: string, h: number): number[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return lines.slice(-h).map((l) => Number(l.split(',')[1]));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      series: { type: 'string' },
      variant: { type: 'string', multiple: true, default: [] },
    },
  });
  const variants = values.variant.map(variantOf);
  const dir = mkdtempSync(join(tmpdir(), 'bench-panel-'));
  const scores = new Map<string, Record<string, Score>>();
  try {
    const r = classicPanel(dir);
    for (const m of r.missing) console.error(`left out: ${m}`);
    const all = [...r.series, ...vegaSeries(dir)].filter(
      (s) => values.series === undefined || values.series.split(',').includes(s.name),
    );
    for (const s of all) {
      const started = performance.now();
      const config = { name: 'panel', seed: Number(values.seed), data: { task: 'forecast', path: s.path, ...s.data } };
      const t = trainAndEvaluate(join(dir, s.name), config);
      const { mase: _m, smape: _s, ...maes } = t;
      const mae: Record<string, number> = { ...maes, 'seasonal-naive': t.seasonal };
      const row: Record<string, Score> = {};
      for (const [label, key] of OURS)
        row[label] = { mae: mae[key], mase: t.mase[key] ?? NaN, smape: t.smape[key] ?? NaN };
      const scale = t.model / t.mase.model; // MASE's denominator: seasonal naive's in-sample MAE on the training part
      const theirs = r.forecasts.get(s.name);
      if (theirs) {
        const truth = lastValues(s.path, s.horizon);
        for (const [method, f] of Object.entries(theirs)) {
          const m = f.reduce((a, v, k) => a + Math.abs(v - truth[k]), 0) / truth.length;
          row[method] = { mae: m, mase: m / scale, smape: smapeOf(truth, f) };
        }
      }
      for (const v of variants) {
        const u = trainAndEvaluate(join(dir, `${s.name}-${v.name}`), patched(config, v.patch));
        row[`LSTM ${v.name}`] = { mae: u.model, mase: u.mase.model ?? NaN, smape: u.smape.model ?? NaN };
      }
      scores.set(s.name, row);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.error(
        `${s.name}: LSTM MAE ${fmt(t.model)}, best peer ${fmt(Math.min(...[t.theta, t.ets, t.arima].filter(Number.isFinite)))}, ${seconds} s`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const out = { seed: Number(values.seed), series: Object.fromEntries(scores) };
  writeFileSync(join(ROOT, 'bench', 'results', 'panel.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(tables(scores));
}

main();
