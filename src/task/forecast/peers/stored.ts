// The peers fitted once, at training, for the checkpoint (as the scalers are), and found again at evaluation: a
// stored fit is used only for the very values it was fitted on (same length and hash), else the peer is refitted.
import type { PeerFits, SeriesPeerFits, Skipped } from '../../../data/peer-fits.js';
import { arima } from './arima.js';
import { ets } from './ets.js';
import { theta } from './theta.js';
import type { Peer, PeerFit, PeerName, PeerState } from './types.js';

/** FNV-1a over the values' float64 bytes, 8 hex digits: recognises a training part without storing it. */
export function valuesHash(y: Float64Array): string {
  const bytes = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function stateOf<N extends PeerName>(peer: Peer<N>, y: Float64Array, m: number): PeerState[N] | Skipped {
  const fit = peer.fit(y, m);
  if ('skipped' in fit) return fit;
  fit.dispose?.();
  return fit.state;
}

/** Each peer fitted on one training part, with what recognises it. */
export function fitAll(series: string, target: string, y: Float64Array, m: number): SeriesPeerFits {
  const [t, e, a] = [stateOf(theta, y, m), stateOf(ets, y, m), stateOf(arima, y, m)];
  return { series, target, rows: y.length, hash: valuesHash(y), theta: t, ets: e, arima: a };
}

/** Where stored fits are looked up: by training series and target. */
export class StoredFits {
  private readonly byKey: Map<string, SeriesPeerFits>;

  constructor(private readonly stored: PeerFits | undefined) {
    this.byKey = new Map((stored?.fits ?? []).map((f) => [JSON.stringify([f.series, f.target]), f]));
  }

  /** The stored fits of this series and target, if they were made on exactly `y` with season `m`. */
  madeOn(series: string, target: string, y: Float64Array, m: number): SeriesPeerFits | undefined {
    const found = this.byKey.get(JSON.stringify([series, target]));
    const same = found !== undefined && this.stored?.season === m && found.rows === y.length;
    return same && found.hash === valuesHash(y) ? found : undefined;
  }

  /** The peer's forecaster from the stored fit made on exactly `y`, or a fresh fit (`refitted`: none matched). */
  fit<N extends PeerName>(peer: Peer<N>, series: string, target: string, y: Float64Array, m: number) {
    const found = this.madeOn(series, target, y, m);
    if (found === undefined) return { fit: peer.fit(y, m), stored: false };
    const state = found[peer.name] as PeerState[N] | Skipped;
    const fit: PeerFit<N> = 'skipped' in state ? state : peer.restore(state, y, m);
    return { fit, stored: true };
  }
}
