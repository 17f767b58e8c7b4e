// AutoARIMA: the npm package arima (a wasm build of ctsa's auto_arima, a stepwise search over (p,d,q)(P,D,Q) by AICc
// as R's auto.arima) chooses and estimates the model. From an origin with n to 2n values before it (n: the fit's
// length) ctsa's exact filter over the last n forecasts; with more, the conditional-sum-of-squares recursion over the
// whole history (arima-model.ts: one pass serves every origin, and that long a history has forgotten its start), as
// with fewer than n, or for a model without AR or MA terms (ctsa's forecasts of those are garbage). A fit is stored as
// its order, coefficients and n; ctsa cannot be given coefficients, so a stored fit remakes its model (the same search
// on the same values) only if an origin needs the filter. ctsa's printing goes to a buffer: library code never prints.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { arimaForecasts } from './arima-model.js';
import type { ArimaCoefficients, ArimaFit, Skipped } from '../../../data/peer-fits.js';
import type { FittedPeer, Peer } from './types.js';

/** The model is fitted on at most the last this many training values (the search slows with the length)… */
const MAX_FIT = 500;
/** …and this many with a season over 12, whose search also looks at P, Q ≤ 1 only (R's: 2). */
const MAX_FIT_LONG_SEASON = 300;
/** Above this period the seasonal search takes too long to be a baseline (R's ets stops at 24 as well). */
const MAX_SEASON = 24;

interface ArimaModel {
  train(ts: number[]): ArimaModel;
  predict(h: number): [number[], number[]];
  destroy(): void;
  /** the series predict() filters, as float64 bytes: set to forecast from another origin without refitting */
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
  // the package's own wasm file: its wrapper/native.bin.js holds the same bytes in base64, decoded a char at a time
  const wasmBinary = new Uint8Array(readFileSync(join(root, 'wasm', 'native.wasm')));
  const collect = (s: string) => printed.push(s);
  const load = require(join(root, 'load.js')) as (m: unknown) => ArimaClass;
  loaded = load(createModule({ wasmBinary, print: collect, printErr: collect }));
  return loaded;
}

/** The model from ctsa's summary: "Order : ( 1, 1, 0) * (0, 1, 0)", then "AR1  -0.24", "SMA1  0.5", "MEAN  0". */
function modelOf(text: string, m: number): ArimaCoefficients | undefined {
  const order = /Order\s*:\s*\(\s*(\d+),\s*(\d+),\s*(\d+)\)\s*\*\s*\((\d+),\s*(\d+),\s*(\d+)\)/.exec(text);
  if (!order) return undefined;
  const [p, d, q, P, D, Q] = order.slice(1).map(Number);
  const number = '(-?\\d+(?:\\.\\d*)?(?:e[+-]?\\d+)?)';
  const terms = (name: string, count: number) =>
    Array.from({ length: count }, (_, i) => Number(new RegExp(`^${name}${i + 1}\\s+${number}`, 'm').exec(text)?.[1]));
  const mean = Number(new RegExp(`^MEAN\\s+${number}`, 'm').exec(text)?.[1] ?? 0);
  const c = { ar: terms('AR', p), ma: terms('MA', q), sar: terms('SAR', P), sma: terms('SMA', Q), d, D, m, mean };
  const all = [...c.ar, ...c.ma, ...c.sar, ...c.sma, mean];
  return all.every(Number.isFinite) ? c : undefined;
}

const named = (c: ArimaCoefficients) => {
  const seasonal = c.sar.length + c.D + c.sma.length > 0 ? `(${c.sar.length},${c.D},${c.sma.length})[${c.m}]` : '';
  return `ARIMA(${c.ar.length},${c.d},${c.ma.length})${seasonal}${c.mean !== 0 ? ' with a mean' : ''}`;
};

/** ctsa's search on the training part's last values: the model object and what it chose, or why it cannot. */
function search(y: Float64Array, m: number): { ctsa: ArimaModel; fit: ArimaFit } | Skipped {
  if (m > MAX_SEASON)
    return { skipped: `its seasonal search is too slow for a season of ${m} (at most ${MAX_SEASON})` };
  const s = m > 1 ? m : 0;
  const narrow = s > 12;
  const values = Array.from(y.subarray(Math.max(0, y.length - (narrow ? MAX_FIT_LONG_SEASON : MAX_FIT))));
  const needed = Math.max(2 * s + 2, 20); // the package refuses shorter series (its wasm would crash)
  if (values.length < needed) return { skipped: `the training part has ${values.length} values, fewer than ${needed}` };
  const ARIMA = arimaClass();
  printed = [];
  let ctsa: ArimaModel;
  try {
    ctsa = new ARIMA({ auto: true, s, verbose: true, ...(narrow ? { P: 1, Q: 1 } : {}) }).train(values);
  } catch (e) {
    return { skipped: `ctsa's auto_arima failed: ${(e as Error).message}` };
  }
  const model = modelOf(printed.join('\n'), Math.max(1, m));
  printed = [];
  if (model === undefined) {
    ctsa.destroy();
    return { skipped: "ctsa's auto_arima gave no model" };
  }
  return { ctsa, fit: { ...model, n: values.length } };
}

/**
 * The forecaster of a fit on the training part `y`. ctsa's filter needs ctsa's model object: a fresh fit passes its
 * own; one restored from the checkpoint makes it again, by the same search on the same values, only when an origin
 * is in the filter's range (a history of n to 2n values: a short series; a long one's origins all take the recursion).
 */
function forecaster(fit: ArimaFit, y: Float64Array, m: number, made?: ArimaModel): FittedPeer<'arima'> {
  let ctsa = made;
  const { n } = fit;
  const pure = fit.ar.length + fit.ma.length + fit.sar.length + fit.sma.length === 0;
  return {
    state: fit,
    describe: [
      named(fit),
      ...(n < y.length ? [`fitted on the last ${n} values`] : []),
      ...(m > 12 ? ['seasonal search P, Q ≤ 1'] : []),
    ].join(', '),
    forecast(series, origins, h) {
      const recursion = arimaForecasts(fit, series, origins, h);
      for (const [i, t] of origins.entries()) {
        if (pure || t + 1 < n || t + 1 > 2 * n) continue;
        if (ctsa === undefined) {
          const again = search(y, m);
          if ('skipped' in again) break; // it fitted before on these values: not expected
          ctsa = again.ctsa;
        }
        ctsa.ts = new Uint8Array(Float64Array.from(series.subarray(t + 1 - n, t + 1)).buffer);
        recursion.values.set(ctsa.predict(h)[0], i * h);
      }
      printed = [];
      return recursion;
    },
    dispose: () => ctsa?.destroy(),
  };
}

export const arima: Peer<'arima'> = {
  name: 'arima',
  applied:
    "order and coefficients from the training part; ctsa's filter, or over a long history the recursion, to each origin",
  fit(y, m) {
    const found = search(y, m);
    return 'skipped' in found ? found : forecaster(found.fit, y, m, found.ctsa);
  },
  restore: (fit, y, m) => forecaster(fit, y, m),
};
