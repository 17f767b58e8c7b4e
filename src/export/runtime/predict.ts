// predict.js: an exported lstm-train model's predictions from raw rows, in a web page or in Node.
// Written beside model.json (or model.onnx) by lstm-export; preprocess.json beside it holds what the model was
// trained with (columns, scalers, window, classes). No dependency: @tensorflow/tfjs is passed in (or is the page's
// global `tf`), and any other runtime can be plugged in through createPredictor. The rows it returns are those of
// `lstm-predict --json`. Not done here (each is refused with a message): filling empty cells or gaps in the time
// column, and forecasting past the model's horizon.
//
// Built by `npm run build` (scripts/build-runtime.mjs) into one dependency-free ES module: the rules it shares with
// lstm-train (times, calendar phases, window levels, series names, known-future columns) are imported from src/data,
// not restated here.
import { futureColumns, futureNeeded } from '../../data/features.js';
import { compareSeriesNames, EMPTY_ID, seriesName } from '../../data/series-name.js';
import { isMissing, naSet, orderKeys, quoteCell, textOfValue } from '../../data/cells.js';
import {
  CellError,
  forecastInputs,
  jsonRows,
  numericEncoder,
  unscale,
  writeRows,
  type RowSource,
} from '../../data/encoders/index.js';
import { formatTime, parseTimeIn, sameKind, stepTime } from '../../data/time.js';
import { relativeTo, restoreLevel, windowLevels } from '../../data/window-level.js';
import { halfWidths, levelName } from '../../data/interval-bounds.js';
import type * as tfjs from '@tensorflow/tfjs';
import type { FeatureLayout, Scaler } from '../../data/types.js';
import type { ClassifyPreprocess, ForecastPreprocess, Preprocess } from '../preprocess.js';

/** A row as a CSV or a JSON body gives it: cells keyed by column, numbers or text. */
export type Row = Record<string, unknown>;
/** A model runner: the scaled inputs (mask undefined unless the model takes one) to its flat outputs. */
export type Run = (
  x: Float32Array,
  mask: Float32Array | undefined,
  shape: [number, number, number],
) => Promise<Float32Array>;
export interface Prediction {
  rows: Row[];
  notes: string[];
}

/** The tfjs the caller passes in (a type only: no tfjs is bundled). */
type Tf = typeof tfjs;

/** A problem with the rows given (a bad or missing cell, too few rows, a series the model does not know). */
export class InputError extends Error {
  override name = 'InputError';
}

/** Loads model.json and preprocess.json from `base` (a URL, or in Node a folder) and returns a predictor. */
export async function loadPredictor(base: string | URL, tf: Tf = (globalThis as { tf?: Tf }).tf!) {
  if (!tf) throw new Error('loadPredictor: pass @tensorflow/tfjs as the second argument, or load tf.min.js first');
  const { preprocess, model } = await loadExport(base, tf);
  return createPredictor(preprocess, tfjsRunner(tf, model));
}

/** An export's preprocess.json and tfjs model, for a caller that runs the model its own way (lstm-serve batches). */
export async function loadExport(
  base: string | URL,
  tf: Tf,
): Promise<{ preprocess: Preprocess; model: tfjs.LayersModel }> {
  const files = await filesAt(base);
  const preprocess = JSON.parse(await files.text('preprocess.json')) as Preprocess;
  return { preprocess, model: await files.model(tf) };
}

/** `run` for a tfjs LayersModel: inputs x [batch, steps, features] (and the mask [batch, steps]), flat outputs. */
export function tfjsRunner(tf: Tf, model: tfjs.LayersModel): Run {
  return async (x, mask, [batch, steps, features]) => {
    const inputs = [tf.tensor3d(x, [batch, steps, features]), ...(mask ? [tf.tensor2d(mask, [batch, steps])] : [])];
    const output = model.predict(inputs.length === 1 ? inputs[0] : inputs) as tfjs.Tensor;
    const values = (await output.data()) as Float32Array;
    tf.dispose([...inputs, output]);
    return values;
  };
}

/**
 * A predictor over any runtime: `run(x, mask, shape)` gets the model's scaled inputs (Float32Arrays, mask undefined
 * unless the model takes one) and resolves to its flat outputs. `predict(rows)`: rows are objects keyed by column
 * (numbers or the CSV's text); it resolves to { rows, notes } in original units, as lstm-predict --json prints them.
 */
export function createPredictor(preprocess: Preprocess, run: Run) {
  const problem = preprocessProblem(preprocess);
  if (problem !== undefined) throw new Error(`createPredictor: ${problem}`);
  const columns = inputColumns(preprocess);
  const predict = async (rows: Row[]): Promise<Prediction> => {
    if (rows.length === 0) throw new InputError('rows: expected at least one row, found none');
    rows.forEach((row, i) => {
      const missing = columns.find((c) => !Object.hasOwn(row, c) || row[c] === undefined);
      if (missing !== undefined)
        throw new InputError(
          `rows[${i}]: expected the column "${missing}", found none (the row has ${Object.keys(row).join(', ') || 'no columns'})`,
        );
    });
    try {
      return await (preprocess.forecast ? forecast(preprocess, run, rows) : classify(preprocess, run, rows));
    } catch (e) {
      // a cell the encoders could not read is the caller's mistake, as every other InputError
      throw e instanceof CellError ? new InputError(e.message) : e;
    }
  };
  return { preprocess, predict };
}

/** What is wrong with a parsed preprocess.json for this predict.js, or undefined. */
export function preprocessProblem(p: unknown): string | undefined {
  const { format, version } = (p ?? {}) as Partial<Preprocess>;
  if (format === 'lstm-train-preprocess' && version === 1) return undefined;
  return (
    'expected preprocess.json of lstm-export (format lstm-train-preprocess, version 1), ' +
    `found format ${JSON.stringify(format ?? null)}, version ${JSON.stringify(version ?? null)}`
  );
}

/**
 * The columns every row must have: the model's inputs, its time column, the ids of series or sequences, and a
 * target that is no input when the window's level is taken from it.
 */
export function inputColumns(p: Preprocess): string[] {
  if (p.forecast) {
    const f = p.forecast;
    const levels = f.targets.filter((_, j) => levelNeedsTarget(f, j));
    return [
      ...new Set([
        ...f.seriesId,
        ...(f.time ? [f.time.column] : []),
        ...f.numeric,
        ...f.categories.map((c) => c.column),
        ...levels,
        // the targets mark where the future rows start
        ...(f.future ? [...f.targets, ...futureColumns(f.future)] : []),
      ]),
    ];
  }
  const c = p.classify!;
  if (c.layout === 'wide') return Array.from({ length: c.steps }, (_, t) => c.features.map((f) => `${f}_${t}`)).flat();
  return [...(c.sequenceId ? [c.sequenceId] : []), ...(c.orderBy ? [c.orderBy] : []), ...c.features];
}

/** A CSV text's rows as objects keyed by its header (RFC 4180 quotes; cells stay text). */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  const endRecord = () => {
    record.push(cell);
    records.push(record);
    record = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) cell += ch;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else cell += ch;
  }
  if (cell !== '' || record.length > 0) endRecord();
  const [header, ...body] = records.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

async function filesAt(base: string | URL) {
  const node = typeof globalThis.process?.versions?.node === 'string' && !/^(https?|file):/.test(String(base));
  if (!node) {
    const root = new URL(String(base).replace(/\/?$/, '/'), globalThis.location?.href);
    const text = async (name: string) => {
      const response = await globalThis.fetch(new URL(name, root));
      if (!response.ok) throw new Error(`${new URL(name, root).href}: HTTP ${response.status}`);
      return response.text();
    };
    return { text, model: (tf: Tf) => tf.loadLayersModel(new URL('model.json', root).href) };
  }
  const { readFile } = await import('node:fs/promises');
  const path = await import('node:path');
  const join = (...parts: string[]) => path.join(...parts);
  const dir = String(base);
  const model = async (tf: Tf) => {
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tfjs.io.ModelJSON;
    const groups = json.weightsManifest;
    const parts = await Promise.all(groups.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
    const weightSpecs = groups.flatMap((g) => g.weights);
    return tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: bytes.buffer }),
    );
  };
  return { text: (name: string) => readFile(join(dir, name), 'utf8'), model };
}

// ---- cells ----

type Na = ReadonlySet<string>;

const textAt = (row: Row, column: string) => textOfValue(row[column]);

// ---- forecast ----

interface SeriesWindow {
  name: string;
  x: Float32Array;
  restore: { offset: Float32Array; scale: Float32Array };
  scaler: Scaler;
  time: number;
}

async function forecast(p: Preprocess, run: Run, rows: Row[]): Promise<Prediction> {
  const f = p.forecast!;
  const bySeries = new Map<string, Row[]>();
  rows.forEach((row, i) => {
    const empty = f.seriesId.find((c) => textAt(row, c) === '');
    if (empty !== undefined) throw new InputError(`rows[${i}]: column "${empty}": ${EMPTY_ID}`);
  });
  for (const row of rows) {
    const name = seriesName(f.seriesId.map((c) => textAt(row, c)));
    const group = bySeries.get(name);
    if (group) group.push(row);
    else bySeries.set(name, [row]);
  }
  const names = [...bySeries.keys()].sort(compareSeriesNames);
  const na = naSet(p.naValues);
  const windows = names.map((name) => seriesWindow(p, name, bySeries.get(name)!, na));
  const [steps, features] = [f.window, p.features.length];
  const x = new Float32Array(windows.length * steps * features);
  windows.forEach((w, b) => x.set(w.x, b * steps * features));
  const out = await run(x, undefined, [windows.length, steps, features]);
  const width = f.leads.length * f.targets.length;
  const many = names.length > 1;
  return {
    rows: windows.flatMap((w, b) => forecastRows(f, w, out.subarray(b * width, (b + 1) * width), many)),
    notes: p.notes,
  };
}

/** The window's level needs target j's own values: with 'last' always, with 'standardize' when it is no input. */
const levelNeedsTarget = (f: ForecastPreprocess, j: number) =>
  f.windowLevel === 'last' || (f.windowLevel === 'standardize' && f.targetFeature[j] < 0);

/** A time cell as ms since 1970 (dates, date-times) or the number itself, in the form the model was trained on. */
function timeAt(row: Row, time: NonNullable<ForecastPreprocess['time']>, where: string, na: Na): number {
  if (time.form.kind === 'number') return jsonRows([row], { na, where: () => where }).number(time.column)(0);
  const cell = textAt(row, time.column);
  const parsed = parseTimeIn(cell, time.form.pattern);
  if (!parsed || !sameKind(parsed.form, time.form))
    throw new InputError(
      `${where}: column "${time.column}": expected a ${time.form.kind} written as the model's training data were ` +
        `(${formatTime(0, time.form)}), found ${quoteCell(cell)}`,
    );
  return parsed.value;
}

/** The last window of one series' rows, scaled and taken relative to its level: x [window, features], restore. */
function seriesWindow(p: Preprocess, name: string, rows: Row[], na: Na): SeriesWindow {
  const f = p.forecast!;
  const where = name === '' ? 'rows' : `series ${JSON.stringify(name)}`;
  const own = f.seriesScalers
    ? Object.hasOwn(f.seriesScalers, name)
      ? f.seriesScalers[name]
      : undefined
    : { featureScaler: f.featureScaler, targetScaler: f.targetScaler };
  if (!own) throw new InputError(`${where}: not among the series the model was trained on (each has its own scalers)`);
  const time = f.time;
  const timed = time ? rows.map((row) => ({ row, t: timeAt(row, time, where, na) })).sort((a, b) => a.t - b.t) : [];
  const all = time ? timed.map((r) => r.row) : rows;
  // known-future columns: the rows after the last observed target hold their future values
  const observedEnd = f.future ? lastObserved(f, all, na) + 1 : all.length;
  if (observedEnd < f.window)
    throw new InputError(`${where}: expected a whole window (${f.window} rows), found ${observedEnd}`);
  if (f.future && all.length - observedEnd < f.future.shift)
    throw new InputError(
      `${where}: expected ${futureNeeded(f.future.shift, f.targets, futureColumns(f.future))}: the model reads ` +
        `them at the forecast's steps 1 … ${f.future.shift}; found ${all.length - observedEnd}`,
    );
  const first = observedEnd - f.window;
  const times = timed.map((r) => r.t);
  // the window's rows, and the future rows it reads, one step apart
  if (time)
    for (let r = 1; r < times.length; r++)
      if (times[r] === times[r - 1])
        throw new InputError(
          `${where}: column "${time.column}": ${formatTime(times[r], time.form)} appears again (one row per time)`,
        );
  if (time?.frequency && f.gaps !== 'ignore')
    for (let r = first + 1; r < observedEnd + (f.future?.shift ?? 0); r++)
      if (stepTime(times[r - 1], 1, time.frequency) !== times[r])
        throw new InputError(
          `${where}: column "${time.column}": rows are not one step apart at ${textAt(all[r], time.column)}: ` +
            'predict.js fills no gaps',
        );
  const src = jsonRows(all, {
    na,
    times,
    where: (r) =>
      r < observedEnd
        ? `${where}, window row ${r - first + 1}`
        : `${where}, the future row of step ${r - observedEnd + 1}`,
  });
  const width = p.features.length;
  const x = new Float32Array(f.window * width); // [window, features]
  const inputs = forecastInputs(layoutOf(f), own.featureScaler, time?.form);
  writeRows(inputs.bind(src), first, f.window, x, width);
  const y = windowTargets(f, own.targetScaler, src, first, all);
  const levelled = p.features.map((_, k) => k < f.numeric.length);
  const levels = windowLevels(
    { x, y, features: width, targets: f.targets.length, targetFeature: f.targetFeature, levelled },
    f.windowLevel,
    0,
    f.window - 1,
  );
  relativeTo(x, 0, f.window, width, levels.xOffset, levels.xScale);
  return { name, x, restore: levels, scaler: own.targetScaler, time: times[observedEnd - 1] ?? NaN };
}

/** The inputs' layout as the encoders take it. */
const layoutOf = (f: ForecastPreprocess): FeatureLayout => ({
  numeric: f.numeric,
  categories: f.categories,
  calendar: f.calendar,
  ...(f.future ? { future: f.future } : {}),
});

/** The window's targets, scaled [window, targets]: NaN where a target is absent and its level is not needed. */
function windowTargets(
  f: ForecastPreprocess,
  scaler: Scaler,
  src: RowSource,
  first: number,
  rows: Row[],
): Float32Array {
  const t = f.targets.length;
  const y = new Float32Array(f.window * t);
  f.targets.forEach((c, j) => {
    const read = src.number(c);
    for (let r = 0; r < f.window; r++)
      y[r * t + j] =
        levelNeedsTarget(f, j) || rows[first + r][c] !== undefined
          ? (read(first + r) - scaler.offset[j]) / scaler.scale[j]
          : NaN;
  });
  return y;
}

/** The index of the last row with a target, or -1. */
function lastObserved(f: ForecastPreprocess, rows: Row[], na: Na): number {
  // a target is observed unless it is a missing value (empty, or one of data.naValues), as the loader reads it
  for (let i = rows.length - 1; i >= 0; i--) if (f.targets.some((c) => !isMissing(rows[i][c], na))) return i;
  return -1;
}

function forecastRows(f: ForecastPreprocess, w: SeriesWindow, out: Float32Array, many: boolean): Row[] {
  const t = f.targets.length;
  return f.leads.map((step, k) => {
    const row: Row = { ...(many ? { series: w.name } : {}), step };
    if (f.time?.frequency) row.time = formatTime(stepTime(w.time, step, f.time.frequency), f.time.form);
    const widths = f.intervals && halfWidths(f.intervals, k, w.scaler.scale);
    f.targets.forEach((target, j) => {
      const value = unscale(w.scaler, j, restoreLevel(out[k * t + j], w.restore.offset[j], w.restore.scale[j]));
      row[target] = value;
      f.intervals?.levels.forEach((level, l) => {
        row[`${target}_lower_${levelName(level)}`] = value - widths![l][j];
        row[`${target}_upper_${levelName(level)}`] = value + widths![l][j];
      });
    });
    return row;
  });
}

// ---- classify ----

/** A sequence's rows, and for step t the row and the columns it is read from. */
interface Sequence {
  id: string | number;
  rows: Row[];
  steps: number;
  /** step t: its row in `rows` and its columns, in the features' order */
  at(t: number): { row: number; columns: string[] };
  where: string;
}

async function classify(p: Preprocess, run: Run, rows: Row[]): Promise<Prediction> {
  const c = p.classify!;
  const na = naSet(p.naValues);
  const sequences = c.layout === 'wide' ? wideSequences(c, rows) : longSequences(c, rows);
  const [steps, features] = [c.steps, c.features.length];
  const x = new Float32Array(sequences.length * steps * features); // [batch, steps, features]
  const mask = c.layout === 'long' ? new Float32Array(sequences.length * steps) : undefined; // [batch, steps]
  sequences.forEach((s, b) => {
    if (s.steps > steps)
      throw new InputError(`sequence ${JSON.stringify(s.id)} has ${s.steps} steps; expected at most ${steps}`);
    const src = jsonRows(s.rows, { na, where: () => s.where });
    for (let t = 0; t < s.steps; t++) {
      const { row, columns } = s.at(t);
      numericEncoder(c.featureScaler, columns).bind(src)(row, x, (b * steps + t) * features);
      if (mask) mask[b * steps + t] = 1;
    }
  });
  const out = await run(x, mask, [sequences.length, steps, features]);
  const k = c.classes.length;
  const result = sequences.map((s, b) => {
    const probabilities = Array.from(out.subarray(b * k, (b + 1) * k));
    const best = probabilities.indexOf(Math.max(...probabilities));
    return {
      sequence: s.id,
      label: c.classes[best],
      ...Object.fromEntries(c.classes.map((name, i) => [`p_${name}`, probabilities[i]])),
    };
  });
  return { rows: result, notes: p.notes };
}

/** Wide layout: one sequence per row, its columns <feature>_<step>. */
const wideSequences = (c: ClassifyPreprocess, rows: Row[]): Sequence[] =>
  rows.map((row, id) => ({
    id,
    rows: [row],
    steps: c.steps,
    at: (t) => ({ row: 0, columns: c.features.map((name) => `${name}_${t}`) }),
    where: `row ${id + 1}`,
  }));

/** Long layout: one step per row, grouped by the sequence id (first appearance), ordered by orderBy when set. */
function longSequences(c: ClassifyPreprocess, rows: Row[]): Sequence[] {
  const groups = new Map<string, Row[]>();
  for (const [i, row] of rows.entries()) {
    const id = textAt(row, c.sequenceId ?? '');
    if (c.sequenceId !== undefined && id === '')
      throw new InputError(`rows[${i}]: column "${c.sequenceId}": expected a value, found an empty cell`);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  const orderBy = c.orderBy ?? '';
  const values = orderKeys(rows.map((row) => textAt(row, orderBy)));
  const keys = new Map(rows.map((row, i) => [row, values[i]]));
  const key = (row: Row) => keys.get(row)!;
  return [...groups].map(([id, members]) => {
    const ordered =
      c.orderBy === undefined ? members : [...members].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return {
      id,
      rows: ordered,
      steps: ordered.length,
      at: (t) => ({ row: t, columns: c.features }),
      where: `sequence ${JSON.stringify(id)}`,
    };
  });
}
