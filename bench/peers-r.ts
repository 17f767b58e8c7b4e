// `npx tsx bench/peers-r.ts`: our Theta, ETS and AutoARIMA beside R's thetaf, ets and auto.arima on series from R's
// datasets, each fitted on all but the last season and scored on it (MAE against the truth, and the largest gap
// between the two forecasts relative to the level). Needs Rscript with the forecast package; the table goes into
// bench/README.md.
import { PEER_NAMES, PEERS } from '../src/task/forecast/peers/index.js';
import { rForecasts } from './r-forecast.js';

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : '');

function main(): void {
  const reference = rForecasts();
  if (typeof reference === 'string') throw new Error(reference);
  console.log('| series | method | our model | R’s model | our MAE | R’s MAE | largest gap / level |');
  console.log('|---|---|---|---|---:|---:|---:|');
  for (const [name, r] of reference) {
    for (const method of PEER_NAMES) {
      const theirs = r.forecasts[method];
      const h = theirs.values.length;
      const n = r.y.length - h;
      const fit = PEERS[method].fit(r.y.subarray(0, n), r.m);
      if ('skipped' in fit) {
        console.log(`| ${name} | ${method} | left out: ${fit.skipped} | ${theirs.model} | | | |`);
        continue;
      }
      const ours = fit.forecast(r.y, Int32Array.of(n - 1), h).values;
      fit.dispose?.();
      const mae = (f: ArrayLike<number>) => Array.from(f).reduce((a, v, k) => a + Math.abs(v - r.y[n + k]), 0) / h;
      const level = theirs.values.reduce((a, v) => a + Math.abs(v), 0) / h;
      const gap = Math.max(...theirs.values.map((v, k) => Math.abs(ours[k] - v))) / level;
      const model = fit.describe.split(', ')[0];
      console.log(
        `| ${name} | ${method} | ${model} | ${theirs.model} | ${fmt(mae(ours))} | ${fmt(mae(theirs.values))} | ${gap.toExponential(1)} |`,
      );
    }
  }
}

main();
