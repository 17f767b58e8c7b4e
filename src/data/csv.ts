// Reads a CSV into typed columns: only the columns a loader asks for, as numbers, text codes or times.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError, type Options } from 'csv-parse';
import { DataError, describeValue } from '../errors.js';
import { parseTime, sameKind, TIME_FORMS, type TimeForm } from './time.js';
import type { OnProgress } from '../util/progress.js';
import { NotPlain, plainDecimal, readPlain } from './csv-plain.js';

/**
 * How a loader wants a column: `number` (empty cells NaN, anything but a plain decimal an error), `text` (codes
 * into the column's distinct values), `time` (a time column: see time.ts).
 */
export type ColumnKind = 'number' | 'text' | 'time';

/** What a loader asks of a file once it has seen its header. */
export interface ReadPlan {
  columns: { name: string; kind: ColumnKind }[];
  /** columns read as numbers for as long as they hold only numbers (what default features are chosen from) */
  candidates?: string[];
}

export interface TextColumn {
  /** per row, an index into levels */
  codes: Int32Array;
  /** the distinct values, trimmed, in order of first appearance ('' for an empty cell) */
  levels: string[];
}

export interface TimeColumn {
  values: Float64Array;
  /** how the file writes them (a date-time's zone: the last row's) */
  form: TimeForm;
}

/** A CSV's columns, as the plan asked for them; rows are data rows, 0-based, in file order. */
export interface Table {
  /** the file as shown in messages, and where it is */
  file: string;
  path: string;
  header: string[];
  rows: number;
  numbers(name: string): Float64Array;
  /** hands over a number column: the table forgets it, so a copy made of it is the only one left (memory) */
  takeNumbers(name: string): Float64Array;
  text(name: string): TextColumn;
  times(name: string): TimeColumn;
  /** the candidates that held only numbers, and at least one */
  numeric: string[];
}

/**
 * An error about data rows (and a column), whose lines are found only when it is reported: the reader does not
 * track lines, which would halve csv-parse's speed. loadDataset turns it into a DataError at file:line:column.
 */
export class RowError extends Error {
  constructor(
    /** the data rows it is about (-1: the header); the first is where it points */
    readonly rows: number[],
    /** 0-based column index, when it is about a cell */
    readonly column: number | undefined,
    readonly describe: (lines: number[]) => string,
    readonly suggestion?: string,
  ) {
    super('a data error whose line is not known yet');
  }
}

// skip_empty_lines and relax_column_count as before; no `info` (lines are found on demand) and no `trim` (the
// cells kept are trimmed here): together they are most of csv-parse's time (bench/README.md).
const OPTIONS: Options = { relax_column_count: true, skip_empty_lines: true, bom: true };

/** A cell as a number: NaN for an empty cell, undefined when it is not a plain decimal number. */
export function parseNumber(cell: string): number | undefined {
  const s = trimmed(cell);
  return s === '' ? NaN : decimal(s);
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles up to 1e22

/**
 * `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?` as a number, else undefined. Up to 15 digits and 22 decimals the value is
 * an exact integer over an exact power of ten, one correctly rounded division: the very double Number() gives
 * (Clinger's fast path), without a regular expression and a second pass over the text. Anything else: Number().
 */
function decimal(s: string): number | undefined {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let dot = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) decimals++;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digits === 0) return undefined;
  if (i < n) {
    if (c !== 101 && c !== 69) return undefined; // e, E
    let j = i + 1;
    if (j < n && (s.charCodeAt(j) === 43 || s.charCodeAt(j) === 45)) j++;
    if (j === n) return undefined;
    for (; j < n; j++) if (s.charCodeAt(j) < 48 || s.charCodeAt(j) > 57) return undefined;
    return Number(s);
  }
  if (digits > 15) return Number(s);
  const v = mantissa / POW10[decimals];
  return negative ? -v : v;
}

/** The cell without surrounding white space; most cells have none, and trimming every one is a measurable cost. */
function trimmed(cell: string): string {
  if (cell.length === 0) return cell;
  const [first, last] = [cell.charCodeAt(0), cell.charCodeAt(cell.length - 1)];
  return first > 32 && first < 127 && last > 32 && last < 127 ? cell : cell.trim();
}

/** A line of nothing but blanks is as empty as an empty line (the record csv-parse gives it is ['   ']). */
const isBlank = (record: string[]) => record.length === 1 && record[0].trim() === '';

/** A growing column: fixed-size chunks, joined once at the end, so no copy doubles the memory on the way. */
class Chunked<T extends Float64Array | Int32Array> {
  private chunks: T[] = [];
  private current: T;
  private at = 0;
  constructor(private readonly make: (n: number) => T) {
    this.current = make(CHUNK);
  }
  push(v: number): void {
    if (this.at === CHUNK) {
      this.chunks.push(this.current);
      this.current = this.make(CHUNK);
      this.at = 0;
    }
    this.current[this.at++] = v;
  }
  done(): T {
    // one chunk (a column of up to CHUNK rows, e.g. each of a wide file's): no copy, whose memory GC frees late
    if (this.chunks.length === 0) return this.current.subarray(0, this.at) as T;
    const all = this.make(this.chunks.length * CHUNK + this.at);
    this.chunks.forEach((c, k) => all.set(c, k * CHUNK));
    all.set(this.current.subarray(0, this.at), this.chunks.length * CHUNK);
    this.chunks = [];
    return all;
  }
}
const CHUNK = 1 << 16;

interface Reader {
  index: number;
  add(cell: string, row: number): void;
  /** the cell as bytes [start, end) of a plain file (csv-plain.ts), when the reader has a way faster than `add` */
  addBytes?(bytes: Buffer, start: number, end: number, row: number): void;
}

function numberReader(index: number, name: string): Reader & { values: Chunked<Float64Array> } {
  const values = new Chunked((n) => new Float64Array(n));
  const reader: Reader & { values: Chunked<Float64Array> } = {
    index,
    values,
    add(cell, row) {
      const v = parseNumber(cell);
      if (v === undefined)
        throw new RowError(
          [row],
          index,
          () => `column "${name}": expected a number, got ${describeValue(cell.trim())}`,
        );
      values.push(v);
    },
    // a plain decimal straight from the bytes; any other cell (empty, spaced, 1e5, NA) as text to parseNumber
    addBytes(bytes, start, end, row) {
      const v = plainDecimal(bytes, start, end);
      if (v === undefined) reader.add(bytes.toString('utf8', start, end), row);
      else values.push(v);
    },
  };
  return reader;
}

function textReader(index: number): Reader & { codes: Chunked<Int32Array>; levels: string[] } {
  const codes = new Chunked((n) => new Int32Array(n));
  const ids = new Map<string, number>();
  const levels: string[] = [];
  return {
    index,
    codes,
    levels,
    add(cell) {
      const s = trimmed(cell);
      let code = ids.get(s);
      if (code === undefined) {
        code = levels.length;
        ids.set(s, code);
        levels.push(s);
      }
      codes.push(code);
    },
  };
}

function timeReader(index: number, name: string): Reader & { values: Chunked<Float64Array>; form?: TimeForm } {
  const values = new Chunked((n) => new Float64Array(n));
  let firstRow = 0;
  const reader: Reader & { values: Chunked<Float64Array>; form?: TimeForm } = {
    index,
    values,
    add(cell, row) {
      const text = cell.trim();
      const parsed = parseTime(text);
      const got = text === '' ? 'an empty cell' : describeValue(text);
      if (parsed === undefined)
        throw new RowError([row], index, () => `column "${name}": expected ${TIME_FORMS}, got ${got}`);
      if (reader.form === undefined) [reader.form, firstRow] = [parsed.form, row];
      else if (!sameKind(reader.form, parsed.form)) {
        const kind = reader.form.kind;
        throw new RowError(
          [row, firstRow],
          index,
          ([, first]) => `column "${name}": expected a ${kind} like the first row's (line ${first}), got ${got}`,
        );
      }
      if (parsed.form.kind === 'datetime') reader.form = parsed.form; // the last row's zone is the one times to come keep
      values.push(parsed.value);
    },
  };
  return reader;
}

/** A candidate column: numbers until a cell is not one, then nothing. */
function candidateReader(index: number): Reader & { values?: Chunked<Float64Array>; any: boolean } {
  const reader: Reader & { values?: Chunked<Float64Array>; any: boolean } = {
    index,
    values: new Chunked((n) => new Float64Array(n)),
    any: false,
    add(cell) {
      if (reader.values === undefined) return;
      const v = parseNumber(cell);
      if (v === undefined) reader.values = undefined;
      else {
        if (!Number.isNaN(v)) reader.any = true;
        reader.values.push(v);
      }
    },
    addBytes(bytes, start, end, row) {
      if (reader.values === undefined) return;
      const v = plainDecimal(bytes, start, end);
      if (v === undefined) reader.add(bytes.toString('utf8', start, end), row);
      else {
        reader.any = true;
        reader.values.push(v);
      }
    },
  };
  return reader;
}

/** The file's size in bytes, once it is known to be a readable file. */
async function assertReadableFile(absPath: string, file: string): Promise<number> {
  try {
    const s = await stat(absPath);
    if (!s.isFile()) throw new DataError(file, 'expected a CSV file, found a directory or other non-file');
    return s.size;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(
      file,
      `expected a CSV file, found none (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
}

function checkHeader(record: string[]): string[] {
  const header = record.map((name) => name.trim());
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') throw new RowError([-1], i, () => 'expected a column name in the header, found an empty cell');
    const first = seen.get(name);
    if (first !== undefined)
      throw new RowError(
        [-1],
        i,
        () => `expected unique column names, found "${name}" again (first in column ${first + 1})`,
      );
    seen.set(name, i);
  });
  return header;
}

/**
 * Streams `absPath` through csv-parse; `plan` sees the header and names the columns to keep. Throws DataError for a
 * missing or empty file, a header with no rows and a malformed CSV, and RowError for a ragged row or a bad cell.
 * `onProgress` hears the bytes read of the file's size.
 */
export async function readTable(
  absPath: string,
  file: string,
  plan: (header: string[]) => ReadPlan,
  onProgress?: OnProgress,
): Promise<Table> {
  const size = await assertReadableFile(absPath, file);
  try {
    return await readPlainTable(absPath, file, size, plan, onProgress);
  } catch (err) {
    if (!(err instanceof NotPlain)) throw err;
  }
  let header: string[] | undefined;
  let readers: Reader[] = [];
  let asked: Map<string, Reader> = new Map();
  let candidates: (Reader & { values?: Chunked<Float64Array>; any: boolean })[] = [];
  let rows = 0;
  const onRecord = (record: string[]) => {
    if (isBlank(record)) return;
    if (header === undefined) {
      header = checkHeader(record);
      ({ readers, asked, candidates } = readersFor(header, plan(header), file));
      return;
    }
    if (record.length !== header.length) {
      const [expected, found] = [header.length, record.length];
      throw new RowError([rows], undefined, () => `expected ${expected} columns (as in the header), found ${found}`);
    }
    for (const reader of readers) reader.add(record[reader.index], rows);
    rows++;
  };
  const source = createReadStream(absPath, { highWaterMark: 1 << 20 });
  if (onProgress) {
    let bytes = 0;
    source.on('data', (chunk) => onProgress((bytes += chunk.length), size));
  }
  const parser = source.pipe(parse(OPTIONS));
  try {
    // 'data' events rather than `for await`: an async iterator's promise per record is a tenth of the read time
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      parser.on('data', (record: string[]) => {
        if (failed) return; // records already parsed still arrive after destroy()
        try {
          onRecord(record);
        } catch (err) {
          failed = true;
          reject(err instanceof Error ? err : new Error(String(err)));
          source.destroy();
          parser.destroy();
        }
      });
      parser.on('end', resolve);
      parser.on('error', reject);
      source.on('error', reject);
    });
  } catch (err) {
    source.destroy();
    parser.destroy();
    if (err instanceof DataError || err instanceof RowError) throw err;
    const e = err as CsvError & { lines?: number };
    throw new DataError(`${file}:${e.lines ?? '?'}`, `expected valid CSV, found: ${e.message}`);
  }
  if (header === undefined) throw new DataError(file, 'expected a header line and data rows, found an empty file');
  if (rows === 0) throw new DataError(`${file}:1`, 'expected data rows after the header, found only the header');
  return tableOf(file, absPath, header, rows, asked, candidates);
}

/** readTable for a file with no quotes, from its bytes (csv-plain.ts); throws NotPlain at the first quote. */
async function readPlainTable(
  absPath: string,
  file: string,
  size: number,
  plan: (header: string[]) => ReadPlan,
  onProgress?: OnProgress,
): Promise<Table> {
  let header: string[] | undefined;
  let columns: Reader[][] = [];
  let found: ReturnType<typeof readersFor> | undefined;
  const rows = await readPlain(
    absPath,
    size,
    {
      header(cells) {
        header = checkHeader(cells);
        found = readersFor(header, plan(header), file);
        columns = header.map((_, i) => found!.readers.filter((r) => r.index === i));
        return columns.map((c) => c.length > 0);
      },
      cell(column, bytes, start, end, row) {
        for (const r of columns[column])
          if (r.addBytes) r.addBytes(bytes, start, end, row);
          else r.add(bytes.toString('utf8', start, end), row);
      },
      endRow(fields, row) {
        if (fields !== header!.length) {
          const expected = header!.length;
          throw new RowError(
            [row],
            undefined,
            () => `expected ${expected} columns (as in the header), found ${fields}`,
          );
        }
      },
    },
    onProgress,
  );
  if (header === undefined || found === undefined)
    throw new DataError(file, 'expected a header line and data rows, found an empty file');
  if (rows === 0) throw new DataError(`${file}:1`, 'expected data rows after the header, found only the header');
  return tableOf(file, absPath, header, rows, found.asked, found.candidates);
}

function readersFor(header: string[], plan: ReadPlan, file: string) {
  const asked = new Map<string, Reader>();
  for (const { name, kind } of plan.columns) {
    if (asked.has(`${kind} ${name}`)) continue;
    const i = header.indexOf(name);
    if (i < 0) throw new DataError(`${file}:1`, `expected a column "${name}", found none`); // loaders check names first
    asked.set(
      `${kind} ${name}`,
      kind === 'number' ? numberReader(i, name) : kind === 'text' ? textReader(i) : timeReader(i, name),
    );
  }
  const wanted = new Set(plan.columns.filter((c) => c.kind === 'number').map((c) => c.name));
  const candidates = (plan.candidates ?? [])
    .filter((name) => !wanted.has(name) && header.includes(name))
    .map((name) => Object.assign(candidateReader(header.indexOf(name)), { name }));
  return { readers: [...asked.values(), ...candidates], asked, candidates };
}

function tableOf(
  file: string,
  path: string,
  header: string[],
  rows: number,
  asked: Map<string, Reader>,
  candidates: (Reader & { values?: Chunked<Float64Array>; any: boolean })[],
): Table {
  const numbers = new Map<string, Float64Array>();
  const texts = new Map<string, TextColumn>();
  const times = new Map<string, TimeColumn>();
  for (const [key, reader] of asked) {
    const [kind, ...rest] = key.split(' ');
    const name = rest.join(' ');
    if (kind === 'number') numbers.set(name, (reader as ReturnType<typeof numberReader>).values.done());
    else if (kind === 'text') {
      const r = reader as ReturnType<typeof textReader>;
      texts.set(name, { codes: r.codes.done(), levels: r.levels });
    } else {
      const r = reader as ReturnType<typeof timeReader>;
      times.set(name, { values: r.values.done(), form: r.form ?? { kind: 'number' } });
    }
  }
  const numeric: string[] = [];
  for (const c of candidates)
    if (c.values !== undefined && c.any) {
      numbers.set(header[c.index], c.values.done());
      numeric.push(header[c.index]);
    }
  for (const name of numbers.keys()) if (!numeric.includes(name) && isAllNumbers(numbers.get(name))) numeric.push(name);
  numeric.sort((a, b) => header.indexOf(a) - header.indexOf(b));
  const get = <T>(map: Map<string, T>, name: string, kind: string): T => {
    const v = map.get(name);
    if (v === undefined) throw new Error(`readTable: column "${name}" was not asked for as ${kind}`);
    return v;
  };
  return {
    file,
    path,
    header,
    rows,
    numbers: (name) => get(numbers, name, 'number'),
    takeNumbers: (name) => {
      const v = get(numbers, name, 'number');
      numbers.delete(name);
      return v;
    },
    text: (name) => get(texts, name, 'text'),
    times: (name) => get(times, name, 'time'),
    numeric,
  };
}

/** A column asked for as numbers counts as numeric when it holds at least one (empty cells are NaN). */
const isAllNumbers = (values: Float64Array | undefined) => values !== undefined && values.some((v) => !Number.isNaN(v));

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
