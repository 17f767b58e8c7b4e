// The CSV reader's columns as they grow: numbers, text codes, times, and the candidates for default features.
import { describeValue } from '../errors.js';
import { isNumberText, notANumber, parseNumber, trimmed } from './cells.js';
import { plainDecimal } from './csv-plain.js';
import { RowError } from './row-error.js';
import { parseTimeIn, sameKind, TIME_FORMS, type TimeForm } from './time.js';

/** A growing column: fixed-size chunks, joined once at the end, so no copy doubles the memory on the way. */
export class Chunked<T extends Float64Array | Int32Array> {
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

export interface Reader {
  index: number;
  add(cell: string, row: number): void;
  /** the cell as bytes [start, end) of a plain file (csv-plain.ts), when the reader has a way faster than `add` */
  addBytes?(bytes: Buffer, start: number, end: number, row: number): void;
}

export function numberReader(
  index: number,
  name: string,
  na: ReadonlySet<string>,
): Reader & { values: Chunked<Float64Array> } {
  const values = new Chunked((n) => new Float64Array(n));
  const numberNa = hasNumberToken(na);
  const reader: Reader & { values: Chunked<Float64Array> } = {
    index,
    values,
    add(cell, row) {
      const v = parseNumber(cell, na);
      if (v === undefined) throw new RowError([row], index, () => `column "${name}": ${notANumber(cell)}`);
      values.push(v);
    },
    // a plain decimal straight from the bytes; any other cell (empty, spaced, 1e5, NA) as text to parseNumber
    addBytes(bytes, start, end, row) {
      const v = numberNa ? undefined : plainDecimal(bytes, start, end);
      if (v === undefined) reader.add(bytes.toString('utf8', start, end), row);
      else values.push(v);
    },
  };
  return reader;
}

export function textReader(index: number): Reader & { codes: Chunked<Int32Array>; levels: string[] } {
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

export function timeReader(
  index: number,
  name: string,
  pattern?: string,
): Reader & { values: Chunked<Float64Array>; form?: TimeForm } {
  const values = new Chunked((n) => new Float64Array(n));
  const expected =
    pattern === undefined ? TIME_FORMS : `a time written as ${JSON.stringify(pattern)} (data.timeFormat)`;
  let firstRow = 0;
  const reader: Reader & { values: Chunked<Float64Array>; form?: TimeForm } = {
    index,
    values,
    add(cell, row) {
      const text = cell.trim();
      const parsed = parseTimeIn(text, pattern);
      const got = text === '' ? 'an empty cell' : describeValue(text);
      if (parsed === undefined)
        throw new RowError([row], index, () => `column "${name}": expected ${expected}, got ${got}`);
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
export function candidateReader(
  index: number,
  na: ReadonlySet<string>,
): Reader & { values?: Chunked<Float64Array>; any: boolean } {
  const numberNa = hasNumberToken(na);
  const reader: Reader & { values?: Chunked<Float64Array>; any: boolean } = {
    index,
    values: new Chunked((n) => new Float64Array(n)),
    any: false,
    add(cell) {
      if (reader.values === undefined) return;
      const v = parseNumber(cell, na);
      if (v === undefined) reader.values = undefined;
      else {
        if (!Number.isNaN(v)) reader.any = true;
        reader.values.push(v);
      }
    },
    addBytes(bytes, start, end, row) {
      if (reader.values === undefined) return;
      const v = numberNa ? undefined : plainDecimal(bytes, start, end);
      if (v === undefined) reader.add(bytes.toString('utf8', start, end), row);
      else {
        reader.any = true;
        reader.values.push(v);
      }
    },
  };
  return reader;
}

/** Whether a missing-value token looks like a number (data.naValues ["-999"]): then no cell skips the token check. */
const hasNumberToken = (na: ReadonlySet<string>) => [...na].some(isNumberText);
