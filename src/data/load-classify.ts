// Builds a classify Dataset from a parsed CSV: read sequences (wide or long), map labels, split, scale.
import { DataError, describeValue } from '../errors.js';
import type { ClassifyDataConfig } from '../config/schema.js';
import {
  classifySplit,
  classList,
  labelIndices,
  realStepColumn,
  zeroPadding,
  type ScaledSequences,
} from './classify.js';
import type { ReadPlan, Table } from './csv.js';
import { longPlan, readLong, type LongOptions } from './long.js';
import { applyScaler, fitScalerOfColumns } from './scaler.js';
import type { Sequences } from './sequences.js';
import { stratifiedSplit } from './split.js';
import { countClasses, splitSizes } from './summary.js';
import type { ClassifyDataset, FittedTransforms } from './types.js';
import { readWide, widePlan, type WideOptions } from './wide.js';

/**
 * With `fitted`, its feature names, scaler and classes are used as stored (a label outside them is an error), and
 * the seeded split is computed exactly as in training but without the class-size checks (new data may be small).
 */
export function loadClassify(
  table: Table,
  cfg: ClassifyDataConfig,
  absPath: string,
  seed: number,
  fitted?: FittedTransforms,
  inputsOnly = false,
): ClassifyDataset {
  const read = readSequences(table, cfg, fitted?.featureScaler.columns ?? cfg.features, inputsOnly);
  if (read.lengths.length === 0)
    throw new DataError(
      table.file,
      `expected at least one sequence, found none (all ${read.droppedRows} rows were dropped for empty cells)`,
    );
  const seqs = fitted?.steps === undefined ? read : padTo(read, fitted.steps, table.file);
  const classes = fitted?.classes ?? classList(seqs.labels);
  // data to predict from is not split and its labels, if any, are not read: every sequence goes into `all`
  const y = inputsOnly ? new Int32Array(seqs.labels.length) : labelIndices(seqs.labels, classes, seqs.labelAt);
  const none = { train: [], val: [], test: [] };
  const parts = inputsOnly ? none : stratifiedSplit(y, classes, cfg.split, seed, { file: table.file, strict: !fitted });
  const featureScaler =
    fitted?.featureScaler ??
    fitScalerOfColumns(cfg.normalize, seqs.featureNames, (j) => realStepColumn(seqs, parts.train, j));
  const f = seqs.featureNames.length;
  const data: ScaledSequences = {
    x: zeroPadding(applyScaler(featureScaler, seqs.x), seqs.lengths, seqs.steps, f),
    lengths: seqs.lengths,
    steps: seqs.steps,
    features: f,
    y,
    ids: seqs.ids,
  };
  const masked = cfg.layout === 'long'; // always, so a model trained on long data gets a mask on any new long data too
  const splits = {
    train: classifySplit('train', data, parts.train, masked),
    val: classifySplit('val', data, parts.val, masked),
    test: classifySplit('test', data, parts.test, masked),
    all: classifySplit(
      'all',
      data,
      Array.from(y, (_, i) => i),
      masked,
    ),
  };
  const countsIn = (members: number[]) => countClasses(y, members, classes);
  const summary = {
    file: table.file,
    task: 'classify' as const,
    rows: seqs.rows,
    droppedRows: seqs.droppedRows,
    features: seqs.featureNames,
    targets: [],
    classes,
    sizes: splitSizes(splits),
    classCounts: { train: countsIn(parts.train), val: countsIn(parts.val), test: countsIn(parts.test) },
    steps: seqs.steps,
  };
  return {
    task: 'classify',
    file: absPath,
    featureNames: seqs.featureNames,
    targetNames: [],
    steps: seqs.steps,
    outputSize: classes.length,
    masked,
    fitted: { featureScaler, classes },
    splits,
    summary,
  };
}

/** The sequences on the model's time axis: padded to `steps`; a sequence longer than the model's is an error. */
function padTo(seqs: Sequences, steps: number, file: string): Sequences {
  if (seqs.steps === steps) return seqs;
  const longest = seqs.lengths.indexOf(Math.max(...seqs.lengths));
  if (seqs.steps > steps)
    throw new DataError(
      file,
      `sequence ${describeValue(seqs.ids[longest])} has ${seqs.lengths[longest]} ` +
        `steps; expected at most ${steps}, the longest the model was trained on`,
      'leave out or cut the longer sequences',
    );
  const f = seqs.featureNames.length;
  const x = new Float64Array(seqs.lengths.length * steps * f);
  seqs.lengths.forEach((_, i) => x.set(seqs.x.subarray(i * seqs.steps * f, (i + 1) * seqs.steps * f), i * steps * f));
  return { ...seqs, x, steps };
}

type Layout = { wide: WideOptions; long?: undefined } | { long: LongOptions; wide?: undefined };

function layoutOf(cfg: ClassifyDataConfig, features?: string[], labelOptional = false): Layout {
  const { label, missing } = cfg;
  if (cfg.layout === 'wide') {
    // The schema requires steps for the wide layout; a config that skipped validation is a programmer error.
    if (cfg.steps === undefined) throw new Error('wide layout without steps: the config was not validated');
    return { wide: { label, steps: cfg.steps, features, missing, labelOptional } };
  }
  if (cfg.sequenceId === undefined) throw new Error('long layout without sequenceId: the config was not validated');
  return { long: { label, sequenceId: cfg.sequenceId, orderBy: cfg.orderBy, features, missing, labelOptional } };
}

/** The columns a classify file is read for (see loadClassify for `fitted` and `inputsOnly`). */
export function classifyPlan(cfg: ClassifyDataConfig, file: string, fitted?: FittedTransforms, inputsOnly = false) {
  const layout = layoutOf(cfg, fitted?.featureScaler.columns ?? cfg.features, inputsOnly);
  return (header: string[]): ReadPlan =>
    layout.wide ? widePlan(layout.wide, file)(header) : longPlan(layout.long, file)(header);
}

function readSequences(table: Table, cfg: ClassifyDataConfig, features?: string[], labelOptional = false): Sequences {
  const layout = layoutOf(cfg, features, labelOptional);
  return layout.wide ? readWide(table, layout.wide) : readLong(table, layout.long);
}
