// Where encoders read a row's cells: the loader's columns or the JSON rows predict.js gets, behind one interface.
// Dependency-free: predict.js bundles it.
import { notANumber, numberOfValue, quoteCell, textOfValue } from '../cells.js';

/**
 * Rows an encoder reads, by index. Each accessor is asked for once per column and then called per row, so a
 * source over typed columns costs an array read per cell.
 */
export interface RowSource {
  /** column's numbers: NaN for a missing cell where the source allows one */
  number(column: string): (row: number) => number;
  /** column's text, trimmed ('' for an empty cell or a row that has none) */
  text(column: string): (row: number) => string;
  /** the row's time, ms since 1970 or the number itself */
  time(): (row: number) => number;
}

/** A problem with a JSON row's cell: the caller turns it into its own error type. */
export class CellError extends Error {
  override name = 'CellError';
}

/** A cell of a JSON row (a number or the CSV's text), keyed by column. */
export type JsonRow = Record<string, unknown>;

/**
 * JSON rows as a source: numbers by the cell rule (a missing or non-number cell is a CellError naming `where(row)`
 * and the column), times from `times` (already parsed, one per row).
 */
export function jsonRows(
  rows: JsonRow[],
  o: { na: ReadonlySet<string>; where: (row: number) => string; times?: ArrayLike<number> },
): RowSource {
  return {
    number: (column) => (r) => {
      const cell = rows[r][column];
      const value = numberOfValue(cell, o.na);
      if (value === undefined) throw new CellError(`${o.where(r)}: column "${column}": ${notANumber(cell)}`);
      if (Number.isNaN(value))
        throw new CellError(`${o.where(r)}: column "${column}": expected a number, found ${quoteCell(cell)}`);
      return value;
    },
    text: (column) => (r) => textOfValue(rows[r][column]),
    time: () => (r) => o.times?.[r] ?? NaN,
  };
}

/** Times alone as a source (a rollout's appended rows): no cells. */
export const timesSource = (times: ArrayLike<number>): RowSource => ({
  number: () => () => NaN,
  text: () => () => '',
  time: () => (r) => times[r],
});

/** A row-major matrix [rows, columns.length] as a source (classify's sequences, read as one matrix). */
export function matrixSource(values: ArrayLike<number>, columns: string[]): RowSource {
  const width = columns.length;
  return {
    number(column) {
      const k = columns.indexOf(column);
      return (r) => (k < 0 ? NaN : values[r * width + k]);
    },
    text: () => () => '',
    time: () => () => NaN,
  };
}
