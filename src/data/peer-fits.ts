// The statistical peers' fits as a checkpoint stores them (fitted once on the training data, as the scalers are):
// per training series and target, each peer's chosen model, parameters and initial states, or why it could not fit.

/** Theta (thetaf): SES's α and starting level on the seasonally adjusted series, its drift, the seasonal indices. */
export interface ThetaFit {
  alpha: number;
  level0: number;
  drift: number;
  /** multiplicative seasonal indices, one per phase; [1]: non-seasonal */
  figure: number[];
}

/** ETS: the model, its parameters and initial states, at training row `from` (it is fitted on the rows after it). */
export interface EtsFit {
  model: { error: 'A' | 'M'; trend: 'N' | 'A'; damped: boolean; season: 'N' | 'A' | 'M'; m: number };
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  level: number;
  slope: number;
  /** the seasonal states, as EtsState's season */
  season: number[];
  from: number;
}

/**
 * A seasonal ARIMA's coefficients in ctsa's signs (src/task/forecast/peers/arima-model.ts has the equations):
 * φ(B) Φ(B^m) (w_t − μ) = θ(B) Θ(B^m) e_t with w_t = (1 − B)^d (1 − B^m)^D y_t.
 */
export interface ArimaCoefficients {
  ar: number[];
  ma: number[];
  sar: number[];
  sma: number[];
  d: number;
  D: number;
  /** the season's length (1 without one) */
  m: number;
  /** the mean of the differenced series */
  mean: number;
}

/** ARIMA: ctsa's chosen order and coefficients, fitted on the last `n` training values. */
export interface ArimaFit extends ArimaCoefficients {
  n: number;
}

export type Skipped = { skipped: string };

/** One target of one training series: which values it was fitted on (to recognise them), and each peer's fit. */
export interface SeriesPeerFits {
  series: string;
  target: string;
  /** the training part's length and an FNV-1a hash of its values as float64 */
  rows: number;
  hash: string;
  theta: ThetaFit | Skipped;
  ets: EtsFit | Skipped;
  arima: ArimaFit | Skipped;
}

export interface PeerFits {
  /** the season they were fitted with (1: none) */
  season: number;
  fits: SeriesPeerFits[];
}
