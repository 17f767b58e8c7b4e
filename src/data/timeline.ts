// Orders a series' rows by its time column: repeated times, the frequency, and gaps by the data.gaps policy.
import { DataError, describeValue } from '../errors.js';
import {
  describeFrequency,
  formatTime,
  inferFrequency,
  parseTime,
  sameKind,
  stepsBetween,
  stepTime,
  TIME_FORMS,
  type Frequency,
  type TimeForm,
} from './time.js';

export type GapPolicy = 'error' | 'fill' | 'ignore';

/** A time column's cells, as the loader sees them: the cell of row r, its line, and where to say it is. */
export interface TimeCells {
  file: string;
  column: string;
  /** 1-based column number in the file */
  columnNumber: number;
  count: number;
  cell(r: number): string;
  line(r: number): number;
}

export interface Timeline {
  /** per series row, in time order: the index of its row among the cells, or -1 for a row inserted in a gap */
  order: Int32Array;
  /** the time of each series row */
  values: Float64Array;
  form: TimeForm;
  frequency?: Frequency;
  /** gaps found (any policy), and the rows inserted for them (fill) */
  gaps: number;
  filled: number;
}

/** Every cell parsed; a cell of another form, or of another kind than the first row's, is a DataError at it. */
function parseAll(cells: TimeCells): { values: Float64Array; form: TimeForm } {
  const values = new Float64Array(cells.count);
  let form: TimeForm | undefined;
  let firstLine = 0;
  for (let r = 0; r < cells.count; r++) {
    const text = cells.cell(r);
    const parsed = parseTime(text);
    const where = `${cells.file}:${cells.line(r)}:${cells.columnNumber}`;
    if (parsed === undefined)
      throw new DataError(where, `column "${cells.column}": expected ${TIME_FORMS}, got ${describeValue(text)}`);
    if (form === undefined) [form, firstLine] = [parsed.form, cells.line(r)];
    else if (!sameKind(form, parsed.form))
      throw new DataError(
        where,
        `column "${cells.column}": expected a ${form.kind} like the first row's (line ${firstLine}), got ${describeValue(text)}`,
      );
    if (parsed.form.kind === 'datetime') form = parsed.form; // the last row's zone is the one times to come keep
    values[r] = parsed.value;
  }
  if (form === undefined) throw new DataError(cells.file, `column "${cells.column}": expected times, found no rows`);
  return { values, form };
}

/**
 * Orders the rows by time (a stable sort: the file need not be sorted), refuses a time that appears twice, infers
 * the frequency (or takes `frequency`, a trained model's), and applies `policy` to each gap: a step of k > 1
 * frequencies. A step that is not a whole number of frequencies is an error unless gaps are ignored.
 */
export function timeline(cells: TimeCells, policy: GapPolicy, frequency?: Frequency): Timeline {
  const { values: times, form } = parseAll(cells);
  const sorted = Int32Array.from({ length: cells.count }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const say = (r: number) => `${formatTime(times[r], form)} (line ${cells.line(r)})`;
  for (let k = 1; k < sorted.length; k++)
    if (times[sorted[k]] === times[sorted[k - 1]]) {
      const [first, again] = [sorted[k - 1], sorted[k]].sort((a, b) => a - b);
      throw new DataError(
        `${cells.file}:${cells.line(again)}:${cells.columnNumber}`,
        `column "${cells.column}": ${formatTime(times[again], form)} appears again (first on line ${cells.line(first)}); expected one row per time`,
      );
    }
  const f =
    frequency ??
    inferFrequency(
      Float64Array.from(sorted, (r) => times[r]),
      form,
    );
  const order: number[] = [];
  const values: number[] = [];
  let gaps = 0;
  for (let k = 0; k < sorted.length; k++) {
    const r = sorted[k];
    if (k > 0 && f !== undefined) {
      const prev = sorted[k - 1];
      const steps = stepsBetween(times[prev], times[r], f);
      if (steps !== 1 && policy !== 'ignore') {
        const where = `${cells.file}:${cells.line(r)}:${cells.columnNumber}`;
        const between = `between ${say(prev)} and ${say(r)}`;
        const freq = describeFrequency(f, form);
        if (Number.isNaN(steps))
          throw new DataError(
            where,
            `column "${cells.column}": the step ${between} is not a whole number of the frequency (${freq})`,
            'fix the time, or set data.gaps to "ignore" to take the rows as consecutive',
          );
        gaps++;
        if (policy === 'error') {
          const missing = `${formatTime(stepTime(times[prev], 1, f), form)} … ${formatTime(stepTime(times[r], -1, f), form)}`;
          throw new DataError(
            where,
            `column "${cells.column}": a gap of ${steps - 1} missing step${steps > 2 ? 's' : ''} (frequency ${freq}) ${between}: ${missing}`,
            'set data.gaps to "fill" (the missing times become rows of empty cells, which data.missing handles) or "ignore"',
          );
        }
        for (let j = 1; j < steps; j++) {
          order.push(-1);
          values.push(stepTime(times[prev], j, f));
        }
      } else if (steps !== 1) gaps++;
    }
    order.push(r);
    values.push(times[r]);
  }
  const filled = order.length - cells.count;
  if (filled > cells.count)
    throw new DataError(
      `${cells.file}:${cells.columnNumber}`,
      `column "${cells.column}": filling its gaps would insert ${filled} rows, more than the ${cells.count} it has; expected a regular time column (frequency ${f ? describeFrequency(f, form) : 'unknown'})`,
    );
  return { order: Int32Array.from(order), values: Float64Array.from(values), form, frequency: f, gaps, filled };
}
