// Orders a series' rows by its time column: repeated times, the frequency, and gaps by the data.gaps policy.
import { DataError } from '../errors.js';
import { RowError } from './csv.js';
import {
  describeFrequency,
  formatTime,
  inferFrequency,
  stepsBetween,
  stepTime,
  type Frequency,
  type TimeForm,
} from './time.js';

export type GapPolicy = 'error' | 'fill' | 'ignore';

/** A time column as the loader has it: every data row's time (see csv.ts), and where to say it is. */
export interface TimeCells {
  file: string;
  column: string;
  /** 0-based column index in the file */
  index: number;
  values: Float64Array;
  form: TimeForm;
  /** the data row of each value (errors name their lines) */
  rows: ArrayLike<number>;
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

/**
 * Orders the rows by time (a stable sort: the file need not be sorted), refuses a time that appears twice, infers
 * the frequency (or takes `frequency`, a trained model's), and applies `policy` to each gap: a step of k > 1
 * frequencies. A step that is not a whole number of frequencies is an error unless gaps are ignored.
 */
export function timeline(cells: TimeCells, policy: GapPolicy, frequency?: Frequency): Timeline {
  const { values: times, form, index } = cells;
  const count = times.length;
  const sorted = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const say = (r: number, line: number) => `${formatTime(times[r], form)} (line ${line})`;
  for (let k = 1; k < sorted.length; k++)
    if (times[sorted[k]] === times[sorted[k - 1]]) {
      const [first, again] = [sorted[k - 1], sorted[k]].sort((a, b) => a - b);
      throw new RowError(
        [cells.rows[again], cells.rows[first]],
        index,
        ([, line]) =>
          `column "${cells.column}": ${formatTime(times[again], form)} appears again (first on line ${line}); expected one row per time`,
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
        const between = ([line, prevLine]: number[]) => `between ${say(prev, prevLine)} and ${say(r, line)}`;
        const freq = describeFrequency(f, form);
        if (Number.isNaN(steps))
          throw new RowError(
            [cells.rows[r], cells.rows[prev]],
            index,
            (lines) =>
              `column "${cells.column}": the step ${between(lines)} is not a whole number of the frequency (${freq})`,
            'fix the time, or set data.gaps to "ignore" to take the rows as consecutive',
          );
        gaps++;
        if (policy === 'error') {
          const missing = `${formatTime(stepTime(times[prev], 1, f), form)} … ${formatTime(stepTime(times[r], -1, f), form)}`;
          const many = steps > 2 ? 's' : '';
          throw new RowError(
            [cells.rows[r], cells.rows[prev]],
            index,
            (lines) =>
              `column "${cells.column}": a gap of ${steps - 1} missing step${many} (frequency ${freq}) ${between(lines)}: ${missing}`,
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
  const filled = order.length - count;
  if (filled > count)
    throw new DataError(
      cells.file,
      `column "${cells.column}": filling its gaps would insert ${filled} rows, more than the ${count} ` +
        `it has; expected a regular time column (frequency ${f ? describeFrequency(f, form) : 'unknown'})`,
    );
  return { order: Int32Array.from(order), values: Float64Array.from(values), form, frequency: f, gaps, filled };
}
