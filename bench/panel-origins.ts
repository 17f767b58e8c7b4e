// `npm run build --silent && npx tsx bench/panel-origins.ts [--origins 3] [--variant name=json …]`: the default
// LSTM (and variants) on the panel's classic series (R's and statsmodels') at several test origins each, not one:
// the series cut back by 0, h/2, h, … rows, split as bench/panel.ts splits them. Scores are MAE relative to seasonal
// naive's (persistence's without a season) at the same origin, from lstm-eval's report, and their geometric mean:
// what a default is chosen on, since one origin per series moves with the origin. And each LSTM's MAE relative to
// the best of our peers (ETS, ARIMA, Theta, from the same report) at each origin, as bench/panel.ts's geometric mean
// takes it; each peer's own is scored the same way, so the LSTM stands beside the one method a user would pick
// instead, not only beside the best of them at each origin.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, patched, trainAndEvaluate } from './accuracy.js';
import { classicPanel } from './panel-series.js';

const PEERS = ['ets', 'arima', 'theta'] as const;
const geoMean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

function main(): void {
  const { values } = parseArgs({
    options: {
      origins: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      variant: { type: 'string', multiple: true, default: [] },
    },
  });
  const variants: [string, Record<string, unknown>][] = [
    ['LSTM', {}],
    ...values.variant.map((v): [string, Record<string, unknown>] => {
      const at = v.indexOf('=');
      if (at < 1) throw new Error(`--variant: expected name={json config sections}, got ${v}`);
      return [`LSTM ${v.slice(0, at)}`, JSON.parse(v.slice(at + 1)) as Record<string, unknown>];
    }),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'bench-origins-'));
  try {
    const r = classicPanel(dir);
    for (const m of r.missing) console.error(`left out: ${m}`);
    if (r.series.length === 0) {
      console.log('skipped: no classic series (R and statsmodels are both absent)');
      return;
    }
    const columns = [...variants.map(([name]) => name), ...PEERS];
    const ratios = new Map(columns.map((name) => [name, [] as number[]]));
    const toPeers = new Map(columns.map((name) => [name, [] as number[]]));
    const lines = [
      `| series | rows cut | ${columns.join(' | ')} |`,
      `|---|---:|${columns.map(() => '---:').join('|')}|`,
    ];
    const score = (name: string, mae: number, naive: number, best: number) => {
      ratios.get(name)!.push(mae / naive);
      toPeers.get(name)!.push(mae / best);
      return `${fmt(mae / naive)} (${fmt(mae / best)})`;
    };
    for (const s of r.series) {
      const rows = readFileSync(s.path, 'utf8').trim().split('\n');
      for (let k = 0; k < Number(values.origins); k++) {
        const cut = Math.round((k * s.horizon) / 2);
        const path = join(dir, `${s.name}-${cut}.csv`);
        writeFileSync(path, rows.slice(0, rows.length - cut).join('\n') + '\n');
        const runs = variants.map(([name, patch]) => {
          const config = { name: 'origins', seed: Number(values.seed), data: { task: 'forecast', path, ...s.data } };
          return trainAndEvaluate(join(dir, `${s.name}-${cut}-${name}`), patched(config, patch));
        });
        // the peers are fitted on the same data in every variant's report: the first's are theirs
        const t = runs[0];
        const naive = Number.isFinite(t.seasonal) ? t.seasonal : t.persistence;
        const best = Math.min(...PEERS.map((p) => t[p]).filter(Number.isFinite));
        if (!Number.isFinite(best)) {
          console.error(`${s.name} cut by ${cut}: no peer could fit it, left out`);
          continue;
        }
        const cells = [
          ...variants.map(([name], i) => score(name, runs[i].model, naive, best)),
          ...PEERS.map((p) => (Number.isFinite(t[p]) ? score(p, t[p], naive, best) : '')),
        ];
        lines.push(`| ${s.name} | ${cut} | ${cells.join(' | ')} |`);
        console.error(lines.at(-1));
      }
    }
    const all = ratios.get('LSTM')!.length;
    const means = columns.map((name) => {
      const [xs, ys] = [ratios.get(name)!, toPeers.get(name)!];
      return `${fmt(geoMean(xs))} (${fmt(geoMean(ys))})${xs.length < all ? ` of ${xs.length}` : ''}`;
    });
    lines.push(`| geometric mean of ${all} | | ${means.join(' | ')} |`);
    console.log(
      "MAE / seasonal naive's (persistence's without a season) at each origin, and in brackets MAE / the best of our " +
        `ETS, ARIMA and Theta's\n\n${lines.join('\n')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
