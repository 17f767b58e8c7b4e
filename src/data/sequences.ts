// The classify data before scaling: labelled sequences of feature vectors, padded at the end to the longest.

/** Raw (unscaled) sequences, as read from either layout. */
export interface Sequences {
  featureNames: string[];
  /** the longest sequence's length */
  steps: number;
  /** [n, steps, features] row-major, original units; padding steps are 0 */
  x: Float64Array;
  /** real steps per sequence (the rest is padding) */
  lengths: Int32Array;
  labels: string[];
  /** where sequence k's label cell is (data row, 0-based column), for label errors */
  labelAt: (k: number) => { row: number; column: number };
  /** wide: 0-based data-row index in the file; long: the sequence id */
  ids: (number | string)[];
  /** data rows used, and data rows dropped by the missing policy */
  rows: number;
  droppedRows: number;
}

/** Packs per-sequence [length, features] matrices into one [n, steps, features] array padded with zeros at the end. */
export function padSequences(
  parts: Float64Array[],
  features: number,
): { x: Float64Array; lengths: Int32Array; steps: number } {
  const lengths = Int32Array.from(parts, (p) => p.length / Math.max(1, features));
  const steps = lengths.reduce((a, b) => Math.max(a, b), 0);
  const x = new Float64Array(parts.length * steps * features);
  parts.forEach((p, i) => x.set(p, i * steps * features));
  return { x, lengths, steps };
}
