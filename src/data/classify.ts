// Classify examples: class lists, label indices, and the split whose batches are sequences (with a mask if padded).
import { describeValue } from '../errors.js';
import { RowError } from './csv.js';
import { isNumberText } from './cells.js';
import type { Sequences } from './sequences.js';
import type { Batch, SplitData, SplitName } from './types.js';

/** Sorted unique labels; numerically when every label is a number ("2" before "10"), else by code point. */
export function classList(labels: string[]): string[] {
  const unique = [...new Set(labels)];
  if (unique.every(isNumberText)) return unique.sort((a, b) => Number(a) - Number(b));
  return unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Each label's index in `classes`; a label not among them (e.g. unseen in training) is an error at its cell. */
export function labelIndices(
  labels: string[],
  classes: string[],
  at: (k: number) => { row: number; column: number },
): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(labels, (label, k) => {
    const i = index.get(label);
    if (i === undefined) {
      const known = classes.map((c) => describeValue(c)).join(', ');
      throw new RowError(
        [at(k).row],
        at(k).column,
        () => `expected a label the model was trained on (${known}), found ${describeValue(label)}`,
      );
    }
    return i;
  });
}

/**
 * Feature j over the real (non-padding) steps of the given sequences: what a scaler is fitted on, one column at a
 * time, so no second copy of every training step exists at once (a wide file's would be most of its size again).
 */
export function realStepColumn(seqs: Sequences, members: number[], j: number): Float64Array {
  const f = seqs.featureNames.length;
  const stride = seqs.steps * f;
  const out = new Float64Array(members.reduce((a, i) => a + seqs.lengths[i], 0));
  let k = 0;
  for (const i of members) for (let t = 0; t < seqs.lengths[i]; t++) out[k++] = seqs.x[i * stride + t * f + j];
  return out;
}

/** Scaled sequences [n, steps, features] with padding steps set back to 0 (scaling would have moved them). */
export function zeroPadding(x: Float32Array, lengths: Int32Array, steps: number, features: number): Float32Array {
  lengths.forEach((len, i) => x.fill(0, (i * steps + len) * features, (i + 1) * steps * features));
  return x;
}

export interface ScaledSequences {
  /** scaled [n, steps, features], padding 0 */
  x: Float32Array;
  lengths: Int32Array;
  steps: number;
  features: number;
  /** class index per sequence */
  y: Int32Array;
  ids: (number | string)[];
}

/** A split over the sequences `members` (indices into `data`); batches carry a mask when `masked`. */
export function classifySplit(name: SplitName, data: ScaledSequences, members: number[], masked: boolean): SplitData {
  const { steps, features: f } = data;
  return {
    name,
    size: members.length,
    ids: members.map((i) => data.ids[i]),
    batch(indices: number[]): Batch {
      const x = new Float32Array(indices.length * steps * f); // [batch, steps, features]
      const y = new Int32Array(indices.length); // [batch]
      const mask = masked ? new Float32Array(indices.length * steps) : undefined; // [batch, steps]
      indices.forEach((idx, b) => {
        const i = members[idx];
        if (i === undefined) throw new RangeError(`example index ${idx} outside 0..${members.length - 1}`);
        x.set(data.x.subarray(i * steps * f, (i + 1) * steps * f), b * steps * f);
        y[b] = data.y[i];
        mask?.fill(1, b * steps, b * steps + data.lengths[i]);
      });
      return { batchSize: indices.length, steps, features: f, x, y, ...(mask ? { mask } : {}) };
    },
  };
}
