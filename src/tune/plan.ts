// What a study tries and in what order: seeded parameter draws, and the rungs of successive halving. Pure functions.
import type { ParamSpec, Space } from '../config/space.js';
import { Rng } from '../util/rng.js';

export type Params = Record<string, unknown>;

/** Three significant digits: a drawn learning rate reads 0.00231, not 0.0023094817. */
const readable = (x: number) => Number(x.toPrecision(3));

export function draw(spec: ParamSpec, rng: Rng): unknown {
  if ('choice' in spec) return spec.choice[Math.floor(rng.next() * spec.choice.length)];
  const [low, high] = spec.range;
  if (spec.int) {
    const [a, b] = spec.log ? [Math.log(low), Math.log(high + 1)] : [low, high + 1];
    const x = Math.floor(spec.log ? Math.exp(rng.uniform(a, b)) : rng.uniform(a, b));
    return Math.min(high, Math.max(low, x));
  }
  const x = spec.log ? Math.exp(rng.uniform(Math.log(low), Math.log(high))) : rng.uniform(low, high);
  return Math.min(high, Math.max(low, readable(x)));
}

/**
 * The parameters of trials 2 … n (trial 1 is the base config): each from its own generator, so trial k is the same
 * whatever was run before it; a draw equal to an earlier trial's is drawn again (a few times) when the space allows.
 */
export function drawTrials(space: Space): Params[] {
  const out: Params[] = [];
  const key = (p: Params) => JSON.stringify(p);
  for (let t = 2; t <= space.trials; t++) {
    const rng = new Rng((space.seed * 1000003 + t * 7919) >>> 0);
    let params: Params = {};
    for (let attempt = 0; attempt < 20; attempt++) {
      params = Object.fromEntries(Object.entries(space.params).map(([path, spec]) => [path, draw(spec, rng)]));
      if (!out.some((p) => key(p) === key(params))) break;
    }
    out.push(params);
  }
  return out;
}

/** Epochs at the end of each rung: minEpochs, × eta, … below maxEpochs, then maxEpochs. Random search: one rung. */
export function rungEpochs(space: Space, maxEpochs: number): number[] {
  if (space.method === 'random') return [maxEpochs];
  const rungs: number[] = [];
  for (let e = space.minEpochs; e < maxEpochs; e *= space.eta) rungs.push(e);
  return [...rungs, maxEpochs];
}

/** How many of `n` trials go on from a rung: the best 1/eta, at least one. */
export const survivors = (n: number, eta: number) => Math.max(1, Math.floor(n / eta));

/** Trial rungs a full study runs: every trial's first, then the survivors' of each rung after. */
export function plannedRuns(trials: number, rungs: number, eta: number): number {
  let total = 0;
  for (let r = 0, n = trials; r < rungs; r++, n = survivors(n, eta)) total += n;
  return total;
}

export interface Scored {
  trial: number;
  score: number;
  valLoss: number;
}

/** Best first: by score (lower is better, or higher with `higher`), then val loss, then the earlier trial. */
export function rank<T extends Scored>(trials: T[], higher: boolean): T[] {
  const sign = higher ? -1 : 1;
  return [...trials].sort((a, b) => sign * (a.score - b.score) || a.valLoss - b.valLoss || a.trial - b.trial);
}
