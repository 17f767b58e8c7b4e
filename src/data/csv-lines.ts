// Where a data error is: the file lines of data rows, found by a second pass only when an error is reported.
import { createReadStream } from 'node:fs';
import { parse, type Options } from 'csv-parse';
import { DataError } from '../errors.js';
import type { RowError } from './row-error.js';

// skip_empty_lines and relax_column_count as before; no `info` (lines are found on demand) and no `trim` (the
// cells kept are trimmed here): together they are most of csv-parse's time (bench/README.md).
export const OPTIONS: Options = { relax_column_count: true, skip_empty_lines: true, bom: true };

/** A line of nothing but blanks is as empty as an empty line (the record csv-parse gives it is ['   ']). */
export const isBlank = (record: string[]) => record.length === 1 && record[0].trim() === '';

/**
 * The 1-based lines of data rows `rows` (-1: the header), by a second pass with csv-parse's line tracking: slow,
 * and only ever needed to report an error.
 */
export async function locateRows(absPath: string, rows: number[]): Promise<number[]> {
  const wanted = new Map(rows.map((r) => [r, 0]));
  const last = Math.max(...rows);
  const parser = createReadStream(absPath).pipe(parse({ ...OPTIONS, info: true }));
  let row = -2; // the header is -1
  let prevLines = 0;
  let prevEmpty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: RecordInfo }>) {
      // a record can span lines (quoted newlines); csv-parse reports where it ends: count on from the previous one
      const line = prevLines + 1 + (info.empty_lines - prevEmpty);
      [prevLines, prevEmpty] = [info.lines, info.empty_lines];
      if (isBlank(record)) continue;
      row++;
      if (wanted.has(row)) wanted.set(row, line);
      if (row >= last) break;
    }
  } finally {
    parser.destroy();
  }
  return rows.map((r) => wanted.get(r) ?? 0);
}

interface RecordInfo {
  lines: number;
  empty_lines: number;
}

/** A RowError as the DataError a user reads: file:line(:column), with every line it mentions found. */
export async function located(e: RowError, absPath: string, file: string): Promise<DataError> {
  const lines = await locateRows(absPath, e.rows);
  const where = `${file}:${lines[0]}${e.column === undefined ? '' : `:${e.column + 1}`}`;
  return new DataError(where, e.describe(lines), e.suggestion);
}
