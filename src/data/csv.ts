// Reads a CSV file into a header and rows that remember their 1-based line in the file (for error messages).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse';
import { DataError } from '../errors.js';

export interface CsvRow {
  /** 1-based line in the file where the row starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  /** The file as shown in messages. */
  file: string;
  header: string[];
  rows: CsvRow[];
}

/** csv-parse's per-record info (only the fields we use). */
interface RecordInfo {
  lines: number;
  empty_lines: number;
  comment_lines: number;
}

/**
 * Streams `absPath` through csv-parse. `file` is the name used in messages.
 * Throws DataError for a missing file, an empty file, a header with no rows, a malformed CSV or a ragged row.
 */
export async function readCsv(absPath: string, file: string): Promise<CsvTable> {
  await assertReadableFile(absPath, file);
  const parser = createReadStream(absPath).pipe(
    // relax_column_count: we check row widths ourselves so the message can name the line and both counts.
    parse({ info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }),
  );
  let header: string[] | undefined;
  const rows: CsvRow[] = [];
  let prev: RecordInfo = { lines: 0, empty_lines: 0, comment_lines: 0 };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: RecordInfo }>) {
      // A record can span lines (quoted newlines), and csv-parse reports where it ends: count forward from the previous one.
      const line = prev.lines + 1 + (info.empty_lines - prev.empty_lines) + (info.comment_lines - prev.comment_lines);
      prev = info;
      if (record.length === 1 && record[0] === '') continue; // a line of blanks: as empty as an empty line
      if (header === undefined) header = checkHeader(record, file, line);
      else if (record.length !== header.length)
        throw new DataError(
          `${file}:${line}`,
          `expected ${header.length} columns (as in the header), found ${record.length}`,
        );
      else rows.push({ line, cells: record });
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    const e = err as CsvError & { lines?: number };
    throw new DataError(`${file}:${e.lines ?? '?'}`, `expected valid CSV, found: ${e.message}`);
  }
  if (header === undefined) throw new DataError(file, 'expected a header line and data rows, found an empty file');
  if (rows.length === 0) throw new DataError(`${file}:1`, 'expected data rows after the header, found only the header');
  return { file, header, rows };
}

async function assertReadableFile(absPath: string, file: string): Promise<void> {
  try {
    const s = await stat(absPath);
    if (!s.isFile()) throw new DataError(file, 'expected a CSV file, found a directory or other non-file');
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(
      file,
      `expected a CSV file, found none (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
}

function checkHeader(record: string[], file: string, line: number): string[] {
  const seen = new Map<string, number>();
  record.forEach((name, i) => {
    if (name === '')
      throw new DataError(`${file}:${line}:${i + 1}`, 'expected a column name in the header, found an empty cell');
    const first = seen.get(name);
    if (first !== undefined)
      throw new DataError(
        `${file}:${line}:${i + 1}`,
        `expected unique column names, found "${name}" again (first in column ${first + 1})`,
      );
    seen.set(name, i);
  });
  return record;
}
