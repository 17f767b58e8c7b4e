// lstm-predict for a classifier: a label and every class's probability for each sequence of the file.
import type { Dataset } from '../data/types.js';
import { argmaxRows } from '../task/metrics.js';
import type { Forward } from '../task/forward.js';
import { predictSplitWith } from '../task/predict-split.js';
import { own } from '../task/types.js';

export interface Labelled {
  task: 'classify';
  classes: string[];
  /** one per sequence: its id (the sequence id, or the data row in the wide layout), label and probabilities */
  rows: { sequence: number | string; label: string; probabilities: number[] }[];
  notes: string[];
}

export async function labelSequences(forward: Forward, data: Dataset, batchSize: number): Promise<Labelled> {
  const split = data.splits.all;
  const p = own(await predictSplitWith(forward, data, split, batchSize), 'classify');
  const k = data.fitted.classes.length;
  const predicted = argmaxRows(p.probabilities, k);
  const rows = split.ids.map((sequence, i) => ({
    sequence,
    label: data.fitted.classes[predicted[i]],
    probabilities: Array.from(p.probabilities.subarray(i * k, (i + 1) * k)),
  }));
  return { task: 'classify', classes: data.fitted.classes, rows, notes: [] };
}
