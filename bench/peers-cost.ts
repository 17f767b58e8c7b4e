// `npm run build --silent && tsx bench/peers-cost.ts <checkpoint> [--repeats 3] [--split test]`: what the
// statistical peers add to lstm-eval, beside the LSTM's own evaluation of the same split, in one process, side by
// side, medians over the repeats after the first. The first call is shown apart: lstm-eval makes one, in a fresh
// process, so it pays V8's compiling of the peers' loops and the ARIMA's wasm. Speed, not accuracy: the figures go
// into bench/README.md.
import { parseArgs } from 'node:util';
import { openCheckpoint } from '../src/cli/checkpoint.js';
import { describeBackend } from '../src/cli/common.js';
import type { SplitName } from '../src/data/types.js';
import { loadCardData } from '../src/task/dataset.js';
import { PEER_NAMES, peerForecasts } from '../src/task/forecast/peers/index.js';
import { predictSplit } from '../src/task/predict-split.js';
import { own } from '../src/task/types.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function seconds(f: () => void): number {
  const started = performance.now();
  f();
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { repeats: { type: 'string', default: '3' }, split: { type: 'string', default: 'test' } },
  });
  const { card, backend, model } = await openCheckpoint(positionals[0], {});
  const dataset = own(await loadCardData(card), 'forecast');
  const split = dataset.splits[values.split as SplitName];
  const times: Record<string, number[]> = { lstm: [], ...Object.fromEntries(PEER_NAMES.map((n) => [n, []])) };
  for (let r = 0; r < Number(values.repeats); r++) {
    times.lstm.push(seconds(() => predictSplit(model, dataset, split, 256)));
    for (const name of PEER_NAMES)
      times[name].push(seconds(() => peerForecasts(dataset, split, dataset, { names: [name], explicit: true })));
  }
  const rows = dataset.forecast.seriesBounds.map(([a, b]) => b - a).reduce((a, b) => a + b, 0);
  console.log(
    `${card.config.name}: ${rows} rows, ${split.size} ${values.split} windows, backend ${describeBackend(backend)}`,
  );
  const warm = (xs: number[]) => median(xs.length > 1 ? xs.slice(1) : xs);
  const [lstm, lstmFirst] = [warm(times.lstm), times.lstm[0]];
  const row = (name: string, m: number, first: number) =>
    `| ${name} | ${m.toFixed(3)} | ${(m / lstm).toFixed(2)} | ${first.toFixed(3)} | ${(first / lstmFirst).toFixed(2)} |`;
  console.log('| forecast | seconds (median) | × the LSTM’s | first call (s) | × the LSTM’s first |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, xs] of Object.entries(times)) console.log(row(name, warm(xs), xs[0]));
  const sum = (f: (xs: number[]) => number) => PEER_NAMES.reduce((a, n) => a + f(times[n]), 0);
  console.log(
    row(
      'all three peers',
      sum(warm),
      sum((xs) => xs[0]),
    ),
  );
  model.dispose();
}

await main();
