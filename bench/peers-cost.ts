// `npm run build --silent && tsx bench/peers-cost.ts <checkpoint> [--repeats 3] [--split test]`: what the
// statistical peers add to lstm-eval, beside the LSTM's own evaluation of the same split, in one process, side by
// side, medians over the repeats. Speed, not accuracy: the figures go into bench/README.md.
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
  const lstm = median(times.lstm);
  console.log('| forecast | seconds (median) | × the LSTM’s evaluation |\n|---|---:|---:|');
  for (const [name, xs] of Object.entries(times))
    console.log(`| ${name} | ${median(xs).toFixed(2)} | ${(median(xs) / lstm).toFixed(2)} |`);
  const peers = PEER_NAMES.reduce((a, n) => a + median(times[n]), 0);
  console.log(`| all three peers | ${peers.toFixed(2)} | ${(peers / lstm).toFixed(2)} |`);
  model.dispose();
}

await main();
