// Train/val/test splits: chronological row ranges for forecasting, a seeded stratified shuffle for classification.
import { DataError } from '../errors.js';
import { Rng } from '../util/rng.js';

export interface SplitFractions {
  train: number;
  val: number;
  test: number;
}

/** A forecast split by rows: the last `test` rows of each series, the `val` rows before them, training the rest. */
export interface SplitCounts {
  train?: undefined;
  val: number;
  test: number;
}

/** data.split as a forecast takes it: fractions of each series' rows, or counts of its last rows. */
export type SplitSpec = SplitFractions | SplitCounts;

/** Whether a split is by rows: then val and test windows read the history before them (the forecasting protocol). */
export const isCountSplit = (s: SplitSpec): s is SplitCounts => s.train === undefined;

/** [start, end) row ranges per split. */
export type Segments = Record<'train' | 'val' | 'test', [number, number]>;

/**
 * Chronological segments: the first `train` fraction of rows, then `val`, then the rest; or by counts, the last
 * `test` rows, the `val` rows before them and the rest for training (none left: train and val start at 0).
 */
export function chronologicalSegments(rows: number, f: SplitSpec): Segments {
  if (isCountSplit(f)) {
    const testStart = Math.max(0, rows - f.test);
    const valStart = Math.max(0, testStart - f.val);
    return { train: [0, valStart], val: [valStart, testStart], test: [testStart, rows] };
  }
  // Cumulative rounding, so the three parts always add up to `rows` and test = 0 leaves nothing over.
  const trainEnd = Math.round(rows * f.train);
  const valEnd = Math.min(rows, Math.round(rows * (f.train + f.val)));
  return { train: [0, trainEnd], val: [trainEnd, valEnd], test: [valEnd, rows] };
}

export interface StratifiedSplit {
  train: number[];
  val: number[];
  test: number[];
}

/**
 * Splits example indices by class: each class is shuffled with one Rng(seed) (classes in index order) and cut in
 * the train/val/test proportions, with at least one example in train and one in val. Each split lists its indices
 * in data order. `strict` (when fitting) turns a class too small for that, or a single class, into a DataError;
 * without it (data for a trained model) small classes simply fill train, then val, then test.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  classes: string[],
  f: SplitFractions,
  seed: number,
  opts: { file: string; strict: boolean },
): StratifiedSplit {
  const byClass: number[][] = classes.map(() => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  if (opts.strict) checkClasses(byClass, classes, opts.file);
  const rng = new Rng(seed);
  const out: StratifiedSplit = { train: [], val: [], test: [] };
  for (const members of byClass) {
    rng.shuffle(members);
    const [nTrain, nVal] = classCounts(members.length, f);
    out.train.push(...members.slice(0, nTrain));
    out.val.push(...members.slice(nTrain, nTrain + nVal));
    out.test.push(...members.slice(nTrain + nVal));
  }
  for (const part of [out.train, out.val, out.test]) part.sort((a, b) => a - b);
  return out;
}

/** How many of a class's n examples go to train and val (the rest to test). */
function classCounts(n: number, f: SplitFractions): [number, number] {
  let nTrain = Math.max(1, Math.round(n * f.train));
  let nVal = Math.max(1, Math.round(n * (f.train + f.val)) - nTrain);
  if (nTrain + nVal > n) nTrain = Math.max(1, n - nVal);
  nVal = Math.min(nVal, n - Math.min(nTrain, n));
  return [Math.min(nTrain, n), nVal];
}

function checkClasses(byClass: number[][], classes: string[], file: string): void {
  const present = classes.filter((_, c) => byClass[c].length > 0);
  if (present.length < 2)
    throw new DataError(
      file,
      `expected at least 2 classes in the label column, found ${present.length}${present.length ? ` ("${present[0]}")` : ''}`,
    );
  byClass.forEach((members, c) => {
    if (members.length < 2)
      throw new DataError(
        file,
        `class "${classes[c]}" has ${members.length} example${members.length === 1 ? '' : 's'}; ` +
          `expected at least 2 so that train and val each get one`,
        'add examples of this class or remove its rows',
      );
  });
}
