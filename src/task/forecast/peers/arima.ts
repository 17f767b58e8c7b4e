// AutoARIMA through the npm package arima (a wasm build of ctsa's auto_arima: a stepwise search over (p,d,q)(P,D,Q)
// by AICc, as R's auto.arima). Loaded once, with its printing sent to a buffer: library code never prints.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Peer, PeerFit } from './types.js';

/** The model is fitted on at most the last this many training values: ctsa's search slows with the length. */
export const ARIMA_MAX_FIT = 600;
/** Longer fits (and seasons over 12) search seasonal orders P, Q ≤ 1, not R's 2: the cost grows fast with both. */
const FULL_SEARCH_UP_TO = 500;
/** Above this period the seasonal search takes too long to be a baseline (R's ets stops at 24 as well). */
const MAX_SEASON = 24;

interface ArimaModel {
  train(ts: number[]): ArimaModel;
  predict(h: number): [number[], number[]];
  destroy(): void;
  /** the series predict() reads, as its float64 bytes: set to forecast from another origin without refitting */
  ts: Uint8Array;
}
type ArimaClass = new (options: Record<string, number | boolean>) => ArimaModel;

let printed: string[] = [];
let loaded: ArimaClass | undefined;

/** The package's own module, built with print and printErr that collect instead of writing to the terminal. */
function arimaClass(): ArimaClass {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('arima'));
  const createModule = require(join(root, 'wasm', 'native-sync.js')) as (o: object) => unknown;
  const wasmBinary = require(join(root, 'wrapper', 'native.bin.js')) as Uint8Array;
  const collect = (s: string) => printed.push(s);
  const load = require(join(root, 'load.js')) as (m: unknown) => ArimaClass;
  loaded = load(createModule({ wasmBinary, print: collect, printErr: collect }));
  return loaded;
}

const bytes = (values: ArrayLike<number>) => new Uint8Array(Float64Array.from(values).buffer);

interface Order {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** the differenced series' mean (ctsa's MEAN) */
  mean: number;
}

/** The order the search chose, from ctsa's summary ("Order : ( 1, 1, 0) * (0, 1, 0)", "MEAN   0"). */
function orderOf(lines: string[]): Order | undefined {
  const text = lines.join('\n');
  const order = /Order\s*:\s*\(\s*(\d+),\s*(\d+),\s*(\d+)\)\s*\*\s*\((\d+),\s*(\d+),\s*(\d+)\)/.exec(text);
  if (!order) return undefined;
  const [p, d, q, P, D, Q] = order.slice(1).map(Number);
  const mean = Number(/MEAN\s+(-?[\d.e+-]+)/.exec(text)?.[1] ?? 0);
  return { p, d, q, P, D, Q, mean: Number.isFinite(mean) ? mean : 0 };
}

const named = (o: Order, m: number) =>
  `ARIMA(${o.p},${o.d},${o.q})${m > 1 && o.P + o.D + o.Q > 0 ? `(${o.P},${o.D},${o.Q})[${m}]` : ''}`;

/**
 * Forecasts of a model without AR or MA terms, (1 − B)^d (1 − B^m)^D y_t = c + ε_t, by its difference equation
 * (ctsa's predict returns garbage for these). `lags[j]` is the coefficient of y_{t−j} once expanded.
 */
function integrated(o: Order, m: number, history: Float64Array, h: number): Float64Array {
  let poly = [1];
  const times = (factor: number[]) =>
    (poly = Array.from({ length: poly.length + factor.length - 1 }, (_, k) =>
      poly.reduce((sum, a, i) => sum + a * (factor[k - i] ?? 0), 0),
    ));
  for (let i = 0; i < o.d; i++) times([1, -1]);
  for (let i = 0; i < o.D; i++) times([1, ...new Array<number>(m - 1).fill(0), -1]);
  const lags = poly.map((a) => -a);
  const values = Array.from(history);
  for (let k = 0; k < h; k++) {
    let next = o.mean;
    for (let j = 1; j < lags.length; j++) next += lags[j] * values[values.length - j];
    values.push(next);
  }
  return Float64Array.from(values.slice(history.length));
}

function fitArima(y: Float64Array, m: number): PeerFit {
  if (m > MAX_SEASON)
    return { skipped: `its seasonal search is too slow for a season of ${m} (at most ${MAX_SEASON})` };
  const s = m > 1 ? m : 0;
  const values = Array.from(y.subarray(Math.max(0, y.length - ARIMA_MAX_FIT)));
  const needed = Math.max(2 * s + 2, 20); // the package refuses shorter series (its wasm would crash)
  if (values.length < needed) return { skipped: `the training part has ${values.length} values, fewer than ${needed}` };
  const n = values.length;
  const narrow = n > FULL_SEARCH_UP_TO || s > 12;
  const ARIMA = arimaClass();
  printed = [];
  let model: ArimaModel;
  try {
    model = new ARIMA({ auto: true, s, verbose: true, ...(narrow ? { P: 1, Q: 1 } : {}) }).train(values);
  } catch (e) {
    return { skipped: `ctsa's auto_arima failed: ${(e as Error).message}` };
  }
  const order = orderOf(printed);
  if (order === undefined) return { skipped: "ctsa's auto_arima gave no model" };
  const describe = named(order, m);
  const pure = order.p + order.q + order.P + order.Q === 0;
  return {
    describe: [
      describe,
      ...(n < y.length ? [`fitted on the last ${n} values`] : []),
      ...(s > 0 && narrow ? ['seasonal search P, Q ≤ 1'] : []),
    ].join(', '),
    forecast(series, origins, h) {
      const out = new Float64Array(origins.length * h);
      let fallbacks = 0;
      origins.forEach((t, i) => {
        // the model reads exactly n values, the n up to the origin: an earlier origin has fewer
        if (t + 1 < n) {
          out.fill(series[t], i * h, (i + 1) * h);
          fallbacks++;
          return;
        }
        const history = series.subarray(t + 1 - n, t + 1);
        if (pure) return out.set(integrated(order, m, history, h), i * h);
        model.ts = bytes(history);
        printed = [];
        out.set(model.predict(h)[0], i * h);
      });
      return { values: out, fallbacks };
    },
    dispose: () => model.destroy(),
  };
}

export const arima: Peer = {
  name: 'arima',
  applied: 'order and coefficients from the training part (its last values); the filter run over each origin’s history',
  fit: fitArima,
};
