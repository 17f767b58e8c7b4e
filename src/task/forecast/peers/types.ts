// The peers' contract (Darts' fit / historical forecasts): fitted on a series' training part, then asked for h-step
// forecasts from any origin, reading only the history up to it. A fit is data (stored with the checkpoint), and a
// forecaster is made from it: a fresh fit and a stored one forecast alike.
import type { ArimaFit, EtsFit, Skipped, ThetaFit } from '../../../data/peer-fits.js';

export const PEER_NAMES = ['theta', 'ets', 'arima'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** A statistical forecaster fitted on one series (one target of one series of a file). */
export interface FittedPeer<N extends PeerName = PeerName> {
  /** what the fit stores: the checkpoint keeps it, restore() makes this forecaster again from it */
  state: PeerState[N];
  /** what was fitted, in words: "ETS(M,Ad,M)", "Theta, seasonal (m = 12), α 0.42" */
  describe: string;
  /**
   * Forecasts [origins, h] from each origin: the index in `y` of the last value it may read. `y` is the whole series
   * (history and beyond, in time order); a forecast from origin t reads y[0 … t] only. Origins ascend. `fallbacks`
   * counts origins it could not forecast from (too early in the series), whose forecasts repeat the last value.
   */
  forecast(y: Float64Array, origins: Int32Array, h: number): { values: Float64Array; fallbacks: number };
  /** frees what the fit holds outside JavaScript's heap (the wasm ARIMA) */
  dispose?(): void;
}

export type PeerFit<N extends PeerName = PeerName> = FittedPeer<N> | Skipped;

/** What each peer's fit stores. */
export interface PeerState {
  theta: ThetaFit;
  ets: EtsFit;
  arima: ArimaFit;
}

export interface Peer<N extends PeerName = PeerName> {
  name: N;
  /** how it is applied at the evaluation origins, for the notes */
  applied: string;
  /** fits on the training part `y` with season `m` (1: none), or says why it cannot */
  fit(y: Float64Array, m: number): PeerFit<N>;
  /** the forecaster of a fit made on the training part `y` with season `m` (as `fit` returned it) */
  restore(fit: PeerState[N], y: Float64Array, m: number): FittedPeer<N>;
}

/** A peer whose fit is `estimate`, then `restore`. */
export function definePeer<N extends PeerName>(
  peer: Omit<Peer<N>, 'fit'> & { estimate: (y: Float64Array, m: number) => PeerState[N] | Skipped },
): Peer<N> {
  const { estimate, ...rest } = peer;
  const fit = (y: Float64Array, m: number): PeerFit<N> => {
    const state = estimate(y, m);
    return 'skipped' in state ? state : peer.restore(state, y, m);
  };
  return { ...rest, fit };
}
