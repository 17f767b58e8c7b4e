// Reads a CSV into typed columns: only the columns a loader asks for, as numbers, text codes or times.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse';
import { DataError } from '../errors.js';
import type { OnProgress } from '../util/progress.js';
import { naSet } from './cells.js';
import { NotPlain, readPlain } from './csv-plain.js';
import { candidateReader, numberReader, textReader, timeReader, type Chunked, type Reader } from './csv-readers.js';
import { RowError } from './row-error.js';
import type { TimeForm } from './time.js';

export { RowError } from './row-error.js';
export { located, locateRows } from './csv-lines.js';
import { isBlank, OPTIONS } from './csv-lines.js';

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
  /** the cells read as missing values in number columns, beside the empty cell (data.naValues; pandas' by default) */
  naValues?: readonly string[];
  /** how the time column writes its times, when not as ISO 8601 or numbers (data.timeFormat, a Luxon format) */
  timeFormat?: string;
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
  const na = naSet(plan.naValues);
  for (const { name, kind } of plan.columns) {
    if (asked.has(`${kind} ${name}`)) continue;
    const i = header.indexOf(name);
    if (i < 0) throw new DataError(`${file}:1`, `expected a column "${name}", found none`); // loaders check names first
    asked.set(
      `${kind} ${name}`,
      kind === 'number'
        ? numberReader(i, name, na)
        : kind === 'text'
          ? textReader(i)
          : timeReader(i, name, plan.timeFormat),
    );
  }
  const wanted = new Set(plan.columns.filter((c) => c.kind === 'number').map((c) => c.name));
  const candidates = (plan.candidates ?? [])
    .filter((name) => !wanted.has(name) && header.includes(name))
    .map((name) => Object.assign(candidateReader(header.indexOf(name), na), { name }));
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
