// The peers' contract (Darts' fit / historical forecasts): fitted on a series' training part, then asked for h-step
// forecasts from any origin, reading only the history up to it.

export const PEER_NAMES = ['theta', 'ets', 'arima'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** A statistical forecaster fitted on one series (one target of one series of a file). */
export interface FittedPeer {
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

export type PeerFit = FittedPeer | { skipped: string };

export interface Peer {
  name: PeerName;
  /** how it is applied at the evaluation origins, for the notes */
  applied: string;
  /** fits on the training part `y` with season `m` (1: none), or says why it cannot */
  fit(y: Float64Array, m: number): PeerFit;
}
