// The statistical peers on a forecast split: each fitted per series and target on the training data's train rows,
// then forecasting every lead from every window's end, laid out as the baselines are: [examples, leads, targets].
import type { ForecastDataset, ForecastSplit } from '../../../data/types.js';
import type { PeerFits } from '../../../data/peer-fits.js';
import { DataError } from '../../../errors.js';
import type { OnProgress } from '../../../util/progress.js';
import { arima } from './arima.js';
import { ets } from './ets.js';
import { fitAll, StoredFits } from './stored.js';
import { theta } from './theta.js';
import { PEER_NAMES, type Peer, type PeerName } from './types.js';

export { PEER_NAMES, type PeerName } from './types.js';

export const PEERS: { [N in PeerName]: Peer<N> } = { theta, ets, arima };

/** Which peers a report shows, and whether they were asked for by name (then one that cannot fit is an error). */
export interface PeerChoice {
  names: readonly PeerName[];
  explicit: boolean;
}

export const DEFAULT_PEERS: PeerChoice = { names: PEER_NAMES, explicit: false };

/** Each series' training part in `training`: rows [start, end) up to the last target a train window reads. */
export function trainingRows(training: ForecastDataset): [number, number][] {
  const info = training.forecast;
  const reach = Math.max(...info.leads);
  const rows = info.seriesBounds.map(([start]): [number, number] => [start, start]);
  for (const end of training.splits.train.ends) {
    const s = info.seriesOf[end];
    rows[s][1] = Math.max(rows[s][1], end + reach + 1);
  }
  return rows;
}

/** The training series of each series of `dataset`, by name (-1: not in the training data). */
export function matchSeries(dataset: ForecastDataset, training: ForecastDataset): Int32Array {
  const names = training.forecast.seriesNames;
  return Int32Array.from(dataset.forecast.seriesNames, (name) => names.indexOf(name));
}

/** Target j of rows [start, end) in original units. */
function column(info: ForecastDataset['forecast'], j: number, [start, end]: [number, number]): Float64Array {
  const t = info.targetRaw.length / info.rowIds.length;
  return Float64Array.from({ length: end - start }, (_, r) => info.targetRaw[(start + r) * t + j]);
}

/** The split's examples grouped by series: each series' example indices, in time order. */
function examplesBySeries(dataset: ForecastDataset, split: ForecastSplit): number[][] {
  const groups = dataset.forecast.seriesNames.map((): number[] => []);
  for (let i = 0; i < split.size; i++) groups[dataset.forecast.seriesOf[split.ends[i]]].push(i);
  return groups.map((g) => g.sort((a, b) => split.ends[a] - split.ends[b]));
}

/**
 * Every peer fitted on each training series and target, for the checkpoint: what lstm-eval forecasts from. A fit in
 * `stored` (a checkpoint's) made on the very same values is taken as it is.
 */
export function fitPeerFits(training: ForecastDataset, stored?: PeerFits, onProgress?: OnProgress): PeerFits {
  const info = training.forecast;
  const m = info.season ?? 1;
  const rows = trainingRows(training);
  const known = new StoredFits(stored);
  const total = info.seriesNames.length * training.targetNames.length;
  let done = 0;
  const fits = info.seriesNames.flatMap((name, s) =>
    training.targetNames.map((target, j) => {
      const y = column(info, j, rows[s]);
      const fit = known.madeOn(name, target, y, m) ?? fitAll(name, target, y, m);
      onProgress?.(++done, total);
      return fit;
    }),
  );
  return { season: m, fits };
}

/**
 * The peers' fits on a training dataset, made once for the window level, the skip's prior and every checkpoint. They
 * depend on the training rows only, which the train split's window ends fix: keyed by those, which every copy of the
 * dataset shares (with other notes, or its windows cut again at another level). `stored` as fitPeerFits.
 */
const peerFitsMade = new WeakMap<Int32Array, PeerFits>();
export function peerFitsOf(d: ForecastDataset, stored?: PeerFits, onProgress?: OnProgress): PeerFits {
  const made = peerFitsMade.get(d.splits.train.ends) ?? fitPeerFits(d, stored, onProgress);
  peerFitsMade.set(d.splits.train.ends, made);
  return made;
}

interface PeerRun {
  values: Float32Array;
  /** what was fitted, per series and target */
  fitted: string[];
  fallbacks: number;
  /** how many series and targets took the checkpoint's stored fit, and how many were fitted now */
  stored: number;
  refitted: number;
}

/** One peer's forecasts for the split, or why it cannot give them. */
function runPeer(
  peer: Peer,
  dataset: ForecastDataset,
  split: ForecastSplit,
  training: ForecastDataset,
  stored: StoredFits,
): PeerRun | { skipped: string } {
  const info = dataset.forecast;
  const [L, T] = [info.leads.length, dataset.targetNames.length];
  const h = Math.max(...info.leads);
  const m = training.forecast.season ?? 1;
  const values = new Float32Array(split.size * L * T);
  const rows = trainingRows(training);
  const match = matchSeries(dataset, training);
  const fitted: string[] = [];
  const run = { fallbacks: 0, stored: 0, refitted: 0 };
  for (const [s, examples] of examplesBySeries(dataset, split).entries()) {
    if (examples.length === 0) continue;
    const where = info.seriesNames.length > 1 ? `series ${JSON.stringify(info.seriesNames[s])}` : '';
    if (match[s] < 0) return { skipped: `${where || 'the series'} is not in the training data` };
    const start = info.seriesBounds[s][0];
    const origins = Int32Array.from(examples, (i) => split.ends[i] - start);
    for (const [j, target] of dataset.targetNames.entries()) {
      const y = column(training.forecast, j, rows[match[s]]);
      const { fit, stored: restored } = stored.fit(peer, training.forecast.seriesNames[match[s]], target, y, m);
      run[restored ? 'stored' : 'refitted']++;
      const of = [where, T > 1 ? `target ${target}` : ''].filter(Boolean).join(', ');
      const on = (what: string) => (of ? `${of}: ${what}` : what);
      if ('skipped' in fit) return { skipped: on(fit.skipped) };
      const f = fit.forecast(column(info, j, info.seriesBounds[s]), origins, h);
      fit.dispose?.();
      run.fallbacks += f.fallbacks;
      fitted.push(on(fit.describe));
      examples.forEach((i, o) =>
        info.leads.forEach((lead, k) => (values[(i * L + k) * T + j] = f.values[o * h + lead - 1])),
      );
    }
  }
  return { values, fitted, ...run };
}

/** What to say of a peer that ran: its fit (the first few series), how it was applied, its fallbacks. */
function describeRun(peer: Peer, run: PeerRun): string {
  const shown = run.fitted.length > 3 ? [...run.fitted.slice(0, 3), `… ${run.fitted.length - 3} more`] : run.fitted;
  const early = run.fallbacks > 0 ? `; ${run.fallbacks} origins too early to forecast from repeat the last value` : '';
  const when = run.refitted === 0 ? ' at training, stored in the checkpoint' : '';
  return `${peer.name}: ${shown.join('; ')} (fitted on the train split's rows${when}; ${peer.applied})${early}`;
}

/**
 * The chosen peers' forecasts on the split, fitted on `training` (the data the model was trained on), or taken from
 * the checkpoint's `stored` fits where they were made on the same values. A peer that cannot fit is left out with a
 * note, or, asked for by name, is a DataError saying why.
 */
export function peerForecasts(
  dataset: ForecastDataset,
  split: ForecastSplit,
  training: ForecastDataset,
  choice: PeerChoice,
  stored?: PeerFits,
): { forecasts: Partial<Record<PeerName, Float32Array>>; notes: string[] } {
  const forecasts: Partial<Record<PeerName, Float32Array>> = {};
  const notes: string[] = [];
  const fits = new StoredFits(stored);
  let refitted = false;
  for (const name of choice.names) {
    const run = runPeer(PEERS[name], dataset, split, training, fits);
    if ('skipped' in run) {
      if (choice.explicit)
        throw new DataError(
          training.summary.file,
          `the ${name} baseline (asked for by --baselines) cannot be fitted: ${run.skipped}`,
          `leave ${name} out of --baselines`,
        );
      notes.push(`${name} baseline left out: ${run.skipped}`);
      continue;
    }
    forecasts[name] = run.values;
    notes.push(describeRun(PEERS[name], run));
    refitted ||= run.refitted > 0;
  }
  if (stored && refitted)
    notes.push("peers refitted: the training data's values differ from those the checkpoint's fits were made on");
  return { forecasts, notes };
}
