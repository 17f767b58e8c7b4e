// Numeric columns by a fitted scaler: (value − offset) / scale per column, and back. Dependency-free.
import type { Scaler } from '../types.js';
import type { RowSource } from './row-source.js';
import type { Encoder } from './encoder.js';

/** Scaled numeric inputs: each column of `scaler` (the input names are the columns). */
export function numericEncoder(scaler: Scaler, columns: string[] = scaler.columns): Encoder {
  return {
    names: [...columns],
    bind(src: RowSource) {
      const read = columns.map((c) => src.number(c));
      const { offset, scale } = scaler;
      return (row, out, at) => {
        for (let k = 0; k < read.length; k++) out[at + k] = (read[k](row) - offset[k]) / scale[k];
      };
    },
  };
}

/** A scaled value back in original units, float32 after each step as lstm-train computes it. */
export const unscale = (scaler: Scaler, j: number, scaled: number) =>
  Math.fround(scaled * scaler.scale[j] + scaler.offset[j]);
