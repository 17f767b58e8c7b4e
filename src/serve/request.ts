// A prediction request's body, checked: JSON rows keyed by column ({"rows": [...]}, or the bare array), JSON with the
// CSV as text ({"csv": "..."}), or a text/csv body. Problems are the config's kind of message, with the body's path.
// The limits (nesting depth, columns) keep a hostile body from costing more than its size; reading yields to the
// event loop every chunk, so /health is answered while a large body is read.
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { formatIssues } from '../config/format-issues.js';
import { describeValue } from '../errors.js';
import type { Row } from '../export/runtime/predict.js';

/** JSON nesting at most: a body is an object of rows of cells (3 levels), so this leaves room and no more. */
export const MAX_DEPTH = 16;
/** Columns of a row at most: this many, or twice the model's columns when that is more. */
export const MIN_MAX_COLUMNS = 1000;
/** Problems listed in an answer at most (the rest are counted). */
export const MAX_PROBLEMS = 10;
/** Rows checked (or CSV characters parsed) between two yields to the event loop. */
const CHUNK_ROWS = 4096;
const CHUNK_CHARS = 32_768;

// rows are checked by hand below (bounded problems, no copy of each row); the schema names the keys
export const requestSchema = z.union([
  z.object({ rows: z.array(z.unknown()).min(1).describe('rows, each an object keyed by column') }).strict(),
  z.object({ csv: z.string().min(1).describe('the CSV text, its header first') }).strict(),
]);

/** A body that cannot be used: the problems, one line each (`rows[2]: expected an object, got 5`). */
export class BodyError extends Error {
  /** `omitted`: problems found past those listed (a body of a million bad rows lists a few) */
  constructor(
    readonly problems: string[],
    readonly omitted = 0,
  ) {
    super(`invalid request body:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BodyError';
  }
}

/** Too many columns: a 413 (the server's limit, not a mistake in the rows). */
export class TooWideError extends Error {
  readonly statusCode = 413;
  constructor(where: string, columns: number, max: number) {
    super(`${where}: expected at most ${max} columns (the model reads fewer), found ${columns}`);
    this.name = 'TooWideError';
  }
}

const JSON_SCHEMA = z.toJSONSchema(requestSchema, { io: 'input', unrepresentable: 'any' });

/** JSON text parsed, refused first if it nests deeper than MAX_DEPTH (a deep value overflows the stack later). */
export function parseJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > MAX_DEPTH)
        throw new BodyError([
          `(body): expected rows of cells (at most ${MAX_DEPTH} levels of nesting), found a value nested deeper at character ${i + 1}`,
        ]);
    } else if (ch === 93 || ch === 125) depth--;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BodyError([`JSON: ${(e as Error).message}`]);
  }
}

/** A JSON body's rows. */
export async function jsonRows(body: unknown, maxColumns: number): Promise<Row[]> {
  const given = Array.isArray(body) ? { rows: body } : body;
  const keyed = given !== null && typeof given === 'object';
  if (keyed && 'csv' in given && 'rows' in given)
    throw new BodyError(['(body): expected either "rows" (the rows as JSON) or "csv" (the CSV as text), got both']);
  // a union's issue says little: check against the branch the body's keys choose
  const parsed = requestSchema.options[keyed && 'csv' in given ? 1 : 0].safeParse(given);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, given, JSON_SCHEMA);
    throw new BodyError(problems.map((p) => p.replace('(config)', '(body)')));
  }
  if ('csv' in parsed.data) return csvRows(parsed.data.csv, maxColumns);
  return checkedRows(parsed.data.rows, maxColumns);
}

/** Each row an object keyed by column, of at most `maxColumns` keys; its cells are predict.js's to check. */
async function checkedRows(rows: unknown[], maxColumns: number): Promise<Row[]> {
  const problems: string[] = [];
  let omitted = 0;
  for (let i = 0; i < rows.length; i++) {
    if (i % CHUNK_ROWS === CHUNK_ROWS - 1) await yieldLoop();
    const row = rows[i];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      if (problems.length === MAX_PROBLEMS) omitted++;
      else problems.push(`rows[${i}]: expected an object, got ${Array.isArray(row) ? 'an array' : describeValue(row)}`);
    } else {
      const columns = Object.keys(row).length;
      if (columns > maxColumns) throw new TooWideError(`rows[${i}]`, columns, maxColumns);
    }
  }
  if (problems.length > 0) throw new BodyError(problems, omitted);
  return rows as Row[];
}

/** A CSV text's rows keyed by its header, read by csv-parse as lstm-predict reads a file (cells stay text). */
export async function csvRows(text: string, maxColumns: number): Promise<Row[]> {
  let wide: TooWideError | undefined;
  const header = (names: string[]) => {
    if (names.length > maxColumns) throw (wide = new TooWideError('CSV header', names.length, maxColumns));
    return names;
  };
  const parser = parse({ columns: header, skip_empty_lines: true, bom: true, trim: true });
  const rows: Row[] = [];
  parser.on('data', (row: Row) => rows.push(row));
  const ended = new Promise<void>((done, failed) => (parser.on('end', done), parser.on('error', failed)));
  ended.catch(() => undefined); // awaited below; a parse error must not count as unhandled meanwhile
  try {
    for (let at = 0; at < text.length && !parser.destroyed; at += CHUNK_CHARS) {
      parser.write(text.slice(at, at + CHUNK_CHARS));
      await yieldLoop();
    }
    parser.end();
    await ended;
  } catch (e) {
    throw wide ?? new BodyError([`CSV: ${(e as Error).message}`]);
  }
  return rows;
}
