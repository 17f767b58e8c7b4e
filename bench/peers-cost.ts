// `npm run build --silent && tsx bench/peers-cost.ts <checkpoint> [--repeats 3] [--split test] [--commands 0]`: what
// the statistical peers add to lstm-eval, beside the LSTM's own evaluation of the same split, in one process, side by
// side, medians over the repeats after the first. Each peer twice: forecasting from the fit stored in the checkpoint
// (what lstm-eval does now; made here first if the card has none) and fitted now (what it did before, and does for an
// old checkpoint). The first call is shown apart: lstm-eval makes one, in a fresh process, so it pays V8's compiling
// of the peers' loops (the stored calls come first, so theirs pay it). `--commands N` also times the whole lstm-eval
// command N times each, alternated: as it is, with the stored fits removed, and with --baselines none. Speed, not
// accuracy: the figures go into bench/README.md.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCheckpoint } from '../src/cli/checkpoint.js';
import { describeBackend } from '../src/cli/common.js';
import type { SplitName } from '../src/data/types.js';
import { loadCardData } from '../src/task/dataset.js';
import { fitPeerFits, PEER_NAMES, peerForecasts } from '../src/task/forecast/peers/index.js';
import { predictSplit } from '../src/task/predict-split.js';
import { own } from '../src/task/types.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const warm = (xs: number[]) => median(xs.length > 1 ? xs.slice(1) : xs);

function seconds(f: () => void): number {
  const started = performance.now();
  f();
  return (performance.now() - started) / 1000;
}

/** The whole lstm-eval command, alternated: stored fits, the same checkpoint without them, --baselines none. */
function timeCommands(checkpoint: string, repeats: number): void {
  const refit = join(mkdtempSync(join(tmpdir(), 'peers-cost-')), 'checkpoint');
  cpSync(checkpoint, refit, { recursive: true });
  const meta = JSON.parse(readFileSync(join(refit, 'meta.json'), 'utf8')) as { fitted: { forecast: object } };
  delete (meta.fitted.forecast as { peers?: unknown }).peers;
  writeFileSync(join(refit, 'meta.json'), JSON.stringify(meta));
  const bin = resolve(import.meta.dirname, '..', 'bin', 'lstm-eval.js');
  const runs = {
    stored: [checkpoint],
    'refitted (no stored fits)': [refit],
    'baselines none': [checkpoint, '--baselines', 'none'],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let r = 0; r < repeats; r++)
    for (const [name, args] of Object.entries(runs))
      times[name].push(seconds(() => spawnSync(process.execPath, [bin, ...args, '--json'], { stdio: 'ignore' })));
  const none = median(times['baselines none']);
  console.log(`\n| lstm-eval --json (${repeats} each, alternated) | seconds (median) | − --baselines none |`);
  console.log('|---|---:|---:|');
  for (const [name, xs] of Object.entries(times))
    console.log(`| ${name} | ${median(xs).toFixed(3)} | ${(median(xs) - none).toFixed(3)} |`);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      repeats: { type: 'string', default: '3' },
      split: { type: 'string', default: 'test' },
      commands: { type: 'string', default: '0' },
    },
  });
  const { card, backend, model } = await openCheckpoint(positionals[0], {});
  const dataset = own(await loadCardData(card), 'forecast');
  const split = dataset.splits[values.split as SplitName];
  const stored = card.fitted.forecast?.peers ?? fitPeerFits(dataset);
  const rowsOf = PEER_NAMES.flatMap((n) => [`${n} (stored fit)`, `${n} (fitted now)`]);
  const times: Record<string, number[]> = { lstm: [], ...Object.fromEntries(rowsOf.map((n) => [n, []])) };
  const peer = (name: (typeof PEER_NAMES)[number], fits?: typeof stored) => () =>
    peerForecasts(dataset, split, dataset, { names: [name], explicit: true }, fits);
  for (let r = 0; r < Number(values.repeats); r++) {
    times.lstm.push(seconds(() => predictSplit(model, dataset, split, 256)));
    for (const name of PEER_NAMES) times[`${name} (stored fit)`].push(seconds(peer(name, stored)));
    for (const name of PEER_NAMES) times[`${name} (fitted now)`].push(seconds(peer(name)));
  }
  const rows = dataset.forecast.seriesBounds.map(([a, b]) => b - a).reduce((a, b) => a + b, 0);
  console.log(
    `${card.config.name}: ${rows} rows, ${split.size} ${values.split} windows, backend ${describeBackend(backend)}, ` +
      `stored fits ${card.fitted.forecast?.peers ? 'in the card' : 'made here'}`,
  );
  const [lstm, lstmFirst] = [warm(times.lstm), times.lstm[0]];
  const row = (name: string, m: number, first: number) =>
    `| ${name} | ${m.toFixed(4)} | ${(m / lstm).toFixed(3)} | ${first.toFixed(4)} | ${(first / lstmFirst).toFixed(3)} |`;
  console.log('| forecast | seconds (median) | × the LSTM’s | first call (s) | × the LSTM’s first |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, xs] of Object.entries(times)) console.log(row(name, warm(xs), xs[0]));
  for (const how of ['stored fit', 'fitted now']) {
    const sum = (f: (xs: number[]) => number) => PEER_NAMES.reduce((a, n) => a + f(times[`${n} (${how})`]), 0);
    console.log(
      row(
        `all three peers (${how})`,
        sum(warm),
        sum((xs) => xs[0]),
      ),
    );
  }
  model.dispose();
  if (Number(values.commands) > 0) timeCommands(positionals[0], Number(values.commands));
}

await main();
