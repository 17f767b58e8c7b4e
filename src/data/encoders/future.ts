// Known-future columns: each row's inputs hold these columns' values `shift` rows later. Dependency-free.
import { futureNames } from '../features.js';
import type { FutureLayout } from '../types.js';
import type { Encoder } from './encoder.js';
import { oneHotEncoder } from './one-hot.js';

/**
 * `temp[t+24]`, `holiday[t+24]=yes`, …: row p writes row p + shift's values, scaled by the layout's own scaler
 * (never by a series' or the window's level). A row the source cannot give (NaN, past what it holds) is 0: no
 * window that is used reads it.
 */
export function futureEncoder(f: FutureLayout): Encoder {
  const names = futureNames(f);
  const oneHot = oneHotEncoder(f.categories, names.slice(f.numeric.length));
  return {
    names,
    bind(src) {
      const read = f.numeric.map((c) => src.number(c));
      const { offset, scale } = f.scaler;
      const categorical = oneHot.bind(src);
      return (row, out, at) => {
        const later = row + f.shift;
        for (let k = 0; k < read.length; k++) {
          const v = read[k](later);
          out[at + k] = Number.isNaN(v) ? 0 : (v - offset[k]) / scale[k];
        }
        categorical(later, out, at + read.length);
      };
    },
  };
}
