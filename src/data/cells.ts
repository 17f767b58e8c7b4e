// One cell as a number, a text or a missing value: the rule lstm-train's CSV reader and predict.js both read by.
// Dependency-free: predict.js bundles it.
import { DEFAULT_NA_VALUES } from '../util/na-values.js';

/** The largest finite float32: a model input beyond it is no number the model can read. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** The missing-value tokens to read by (the empty cell always among them). */
export const naSet = (values: readonly string[] = DEFAULT_NA_VALUES): ReadonlySet<string> => new Set(['', ...values]);
const DEFAULT_NA = naSet();

/**
 * A text cell as a number: NaN for a missing value (empty, or one of `na` once trimmed), undefined when it is not
 * a plain decimal number within float32's range (`0x1A`, `1e400`, `Infinity` are refused).
 */
export function parseNumber(cell: string, na: ReadonlySet<string> = DEFAULT_NA): number | undefined {
  const s = trimmed(cell);
  if (s === '' || (na.size > 1 && na.has(s))) return NaN;
  const v = decimal(s);
  return v === undefined || Math.abs(v) > FLOAT32_MAX ? undefined : v;
}

/** Whether a text is a number (no missing value): what makes class labels and order values sort as numbers. */
export function isNumberText(cell: string): boolean {
  const v = decimal(trimmed(cell));
  return v !== undefined && Math.abs(v) <= FLOAT32_MAX;
}

/** Order values as sort keys: numbers when every one is a number, else the texts (ISO timestamps sort as text). */
export const orderKeys = (values: string[]): (number | string)[] =>
  values.every(isNumberText) ? values.map(Number) : values;

/**
 * A JSON value as a number, by the same rule: a number as it is (undefined outside float32's range), a string as
 * parseNumber reads it, null as missing (NaN); anything else is undefined.
 */
export function numberOfValue(cell: unknown, na: ReadonlySet<string> = DEFAULT_NA): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) && Math.abs(cell) <= FLOAT32_MAX ? cell : undefined;
  if (typeof cell === 'string') return parseNumber(cell, na);
  return cell === null ? NaN : undefined;
}

/** Whether a cell holds a missing value (empty, null, or one of `na`): what ends a series' observed targets. */
export const isMissing = (cell: unknown, na: ReadonlySet<string> = DEFAULT_NA) =>
  Number.isNaN(numberOfValue(cell, na) ?? 0);

/** A JSON value as a text cell: a string trimmed, null or undefined '', a number or boolean as JSON writes it. */
export function textOfValue(cell: unknown): string {
  if (typeof cell === 'string') return trimmed(cell);
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return '[object]';
}

/** Why a cell that parseNumber refused is no number, for a message: "expected …, found …". */
export function notANumber(cell: unknown): string {
  const v = typeof cell === 'number' ? cell : typeof cell === 'string' ? decimal(trimmed(cell)) : undefined;
  const expected = v !== undefined && !Number.isNaN(v) ? 'a number within float32 range (±3.4e38)' : 'a number';
  return `expected ${expected}, found ${quoteCell(typeof cell === 'string' ? trimmed(cell) : cell)}`;
}

/** A short quotation of a cell for a message: at most 40 characters of it (and its length), however large. */
export function quoteCell(cell: unknown): string {
  if (cell === undefined || cell === null || cell === '') return 'an empty cell';
  if (typeof cell !== 'string' && typeof cell !== 'number' && typeof cell !== 'boolean')
    return Array.isArray(cell) ? 'an array' : 'an object';
  const s = String(cell);
  if (s.length <= 40) return typeof cell === 'string' ? JSON.stringify(s) : s;
  const short = `${s.slice(0, 37)}…`;
  return `${typeof cell === 'string' ? JSON.stringify(short) : short} (${s.length} characters)`;
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
export function trimmed(cell: string): string {
  if (cell.length === 0) return cell;
  const [first, last] = [cell.charCodeAt(0), cell.charCodeAt(cell.length - 1)];
  return first > 32 && first < 127 && last > 32 && last < 127 ? cell : cell.trim();
}
