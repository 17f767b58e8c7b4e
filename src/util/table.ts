// Plain-text tables for the terminal and CSV text for history.csv, compare.csv and predictions.csv.

export type Cell = string | number | boolean | null | undefined;

/**
 * About 4 significant digits, without noise: integers as they are, very large or small magnitudes in
 * exponent form, trailing zeros dropped (0.1 not 0.1000).
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-3)
    return x
      .toExponential(3)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  if (Number.isInteger(x)) return String(x);
  if (abs >= 1000) return x.toFixed(0);
  return stripZeros(x.toPrecision(4));
}

/** A float32 value written as float32 precision: 0.6147 rather than 0.6147000193595886. */
export const f32 = (x: number) => Number(x.toPrecision(7));

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'number' ? formatNumber(cell) : String(cell);
}

/** Display width: code points, so 'é' and '—' count as one column. */
function width(s: string): number {
  return [...s].length;
}

export interface TableOptions {
  /** per column; by default a column whose cells are all numbers (or empty) is right-aligned */
  align?: ('left' | 'right')[];
  /** spaces between columns (default 2) */
  gap?: number;
  /** prefixed to every line (default none) */
  indent?: string;
}

function defaultAlign(rows: Cell[][], column: number): 'left' | 'right' {
  const cells = rows.map((r) => r[column]).filter((c) => c !== null && c !== undefined && c !== '');
  return cells.length > 0 && cells.every((c) => typeof c === 'number') ? 'right' : 'left';
}

/** An aligned table: a header line, a rule of dashes, one line per row; no trailing spaces, no final newline. */
export function formatTable(headers: string[], rows: Cell[][], opts: TableOptions = {}): string {
  const texts = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const widths = headers.map((h, i) => Math.max(width(h), ...texts.map((row) => width(row[i]))));
  const align = headers.map((_, i) => opts.align?.[i] ?? defaultAlign(rows, i));
  const gap = ' '.repeat(opts.gap ?? 2);
  const line = (cells: string[]) =>
    (opts.indent ?? '') +
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i] - width(c));
        return align[i] === 'right' ? pad + c : c + pad;
      })
      .join(gap)
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w));
  return [line(headers), line(rule), ...texts.map(line)].join('\n');
}

/** RFC 4180: quote a field holding a comma, quote, line break or edge whitespace; double the quotes inside. */
function csvField(cell: Cell): string {
  const s = cell === null || cell === undefined ? '' : String(cell);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV text with a header line and a final newline. Numbers keep full precision (String(x)) so the file can
 * be read back exactly; empty cells for null/undefined.
 */
export function toCsv(headers: string[], rows: Cell[][]): string {
  const lines = [headers, ...rows].map((row) => row.map(csvField).join(','));
  return lines.join('\n') + '\n';
}
