// A plain CSV's records straight from its bytes: no string per cell, for files with no quotes (most numeric data).
import { createReadStream } from 'node:fs';
import type { OnProgress } from '../util/progress.js';

/** The file has a quote or a lone carriage return: csv-parse reads it instead. */
export class NotPlain extends Error {
  constructor() {
    super('not a plain CSV');
  }
}

export interface PlainSink {
  /** the first non-blank line's cells; returns which columns to hand to `cell` (by index) */
  header(cells: string[]): ArrayLike<boolean>;
  /** a kept cell of data row `row`: bytes [start, end) of `bytes` */
  cell(column: number, bytes: Buffer, start: number, end: number, row: number): void;
  /** the end of data row `row`, which had `fields` cells */
  endRow(fields: number, row: number): void;
}

const [COMMA, LF, CR, QUOTE, SPACE, TAB] = [44, 10, 13, 34, 32, 9];

/**
 * Reads `absPath` as csv-parse does with skip_empty_lines and bom (lines of blanks skipped too), as long as it has
 * no quote: throws NotPlain at the first one. Cells are split at commas, rows at LF or CRLF; returns the data rows.
 * `onProgress` hears the bytes read of `size`.
 */
export async function readPlain(
  absPath: string,
  size: number,
  sink: PlainSink,
  onProgress?: OnProgress,
): Promise<number> {
  let keep: ArrayLike<boolean> | undefined;
  let rows = 0;
  let rest: Buffer | undefined;
  let bytes = 0;
  let first = true;
  const lines = (buf: Buffer, start: number, end: number) => {
    let i = start;
    while (i < end) {
      let j = i;
      while (j < end && (buf[j] === SPACE || buf[j] === TAB)) j++;
      if (j === end || buf[j] === LF || buf[j] === CR) {
        i = endOfLine(buf, j, end); // a blank line
        continue;
      }
      if (keep === undefined) {
        const stop = lineEnd(buf, i, end);
        keep = sink.header(buf.toString('utf8', i, stop).split(','));
        i = endOfLine(buf, stop, end);
        continue;
      }
      i = row(buf, i, end, keep, rows);
      rows++;
    }
  };
  const row = (buf: Buffer, i: number, end: number, keep: ArrayLike<boolean>, r: number): number => {
    let field = 0;
    for (;;) {
      const s = i;
      let b = 0;
      while (i < end && (b = buf[i]) !== COMMA && b !== LF && b !== CR) i++;
      if (keep[field]) sink.cell(field, buf, s, i, r);
      field++;
      if (i < end && b === COMMA) i++;
      else break;
    }
    sink.endRow(field, r);
    return endOfLine(buf, i, end);
  };
  for await (const chunk of createReadStream(absPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (chunk.indexOf(QUOTE) >= 0) throw new NotPlain();
    bytes += chunk.length;
    let buf = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3); // the BOM
    }
    const last = buf.lastIndexOf(LF);
    if (last < 0) rest = buf;
    else {
      lines(buf, 0, last + 1);
      rest = last + 1 < buf.length ? buf.subarray(last + 1) : undefined;
    }
    onProgress?.(bytes, size);
  }
  if (rest !== undefined) lines(rest, 0, rest.length);
  return rows;
}

/** Where the line that has reached `at` (a LF, a CR or `end`) ends; a CR not followed by LF is not plain. */
function endOfLine(buf: Buffer, at: number, end: number): number {
  if (at === end) return end;
  if (buf[at] === LF) return at + 1;
  if (at + 1 === end) return end; // a CR ending the file
  if (buf[at + 1] !== LF) throw new NotPlain();
  return at + 2;
}

function lineEnd(buf: Buffer, i: number, end: number): number {
  while (i < end && buf[i] !== LF && buf[i] !== CR) i++;
  return i;
}

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * Bytes [start, end) as a number when they are a plain decimal, -?\d+(\.\d+)? of at most 15 digits: the exact
 * integer over an exact power of ten, one correctly rounded division (the value parseNumber gives the same text).
 * undefined for anything else, which the caller hands to parseNumber as text.
 */
export function plainDecimal(buf: Buffer, start: number, end: number): number | undefined {
  let i = start;
  const negative = buf[i] === 45;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < end; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15 || decimals === 0) return undefined;
  const v = decimals > 0 ? mantissa / POW10[decimals] : mantissa;
  return negative ? -v : v;
}
