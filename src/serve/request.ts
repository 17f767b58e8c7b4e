// A prediction request's body, checked: JSON rows keyed by column ({"rows": [...]}, or the bare array), JSON with the
// CSV as text ({"csv": "..."}), or a text/csv body. Problems are the config's kind of message, with the body's path.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { formatIssues } from '../config/format-issues.js';
import type { Row } from '../export/runtime/predict.js';

// each row an object keyed by column; its cells are predict.js's to check (it names the column and the value)
const rows = z.array(z.looseObject({})).min(1).describe('rows, each an object keyed by column');

export const requestSchema = z.union([
  z.object({ rows }).strict(),
  z.object({ csv: z.string().min(1).describe('the CSV text, its header first') }).strict(),
]);

/** A body that cannot be used: the problems, one line each (`rows[2]: expected an object, got 5`). */
export class BodyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid request body:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BodyError';
  }
}

const JSON_SCHEMA = z.toJSONSchema(requestSchema, { io: 'input', unrepresentable: 'any' });

/** A JSON body's rows. */
export function jsonRows(body: unknown): Row[] {
  const given = Array.isArray(body) ? { rows: body } : body;
  // a union's issue says little: check against the branch the body's keys choose
  const branch = given !== null && typeof given === 'object' && 'csv' in given ? 1 : 0;
  const parsed = requestSchema.options[branch].safeParse(given);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, given, JSON_SCHEMA);
    throw new BodyError(problems.map((p) => p.replace('(config)', '(body)')));
  }
  return 'csv' in parsed.data ? csvRows(parsed.data.csv) : parsed.data.rows;
}

/** A CSV text's rows keyed by its header, read by csv-parse as lstm-predict reads a file (cells stay text). */
export function csvRows(text: string): Row[] {
  try {
    return parse<Row>(text, { columns: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (e) {
    throw new BodyError([`CSV: ${(e as Error).message}`]);
  }
}
