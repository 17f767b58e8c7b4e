// Classify, long layout: one time step per row, grouped by a sequence id, ordered by an optional order column.
import { DataError, describeValue } from '../errors.js';
import { columnIndex, labelColumn, numericColumnsExcept, numericMatrix, parseCell } from './columns.js';
import type { CsvTable } from './csv.js';
import { applyMissing, locateIn, previousRowInGroup, rowsWithKeys, type MissingPolicy } from './missing.js';
import { padSequences, type Sequences } from './sequences.js';

export interface LongOptions {
  label: string;
  sequenceId: string;
  orderBy?: string;
  features?: string[];
  missing: MissingPolicy;
  /** data to predict from: a file without the label column is fine (every label is then '') */
  labelOptional?: boolean;
}

/** Groups rows into sequences (in order of first appearance), each sorted by `orderBy` (stable) or kept in file order. */
export function readLong(table: CsvTable, opts: LongOptions): Sequences {
  const labelCol = labelColumn(table, opts.label, opts.labelOptional);
  const idCol = columnIndex(table, opts.sequenceId, 'sequence id');
  const orderCol = opts.orderBy === undefined ? undefined : columnIndex(table, opts.orderBy, 'order');
  const featureNames = opts.features ?? numericColumnsExcept(table, [opts.label, opts.sequenceId, opts.orderBy]);
  if (featureNames.length === 0)
    throw new DataError(
      `${table.file}:1`,
      `expected at least one numeric feature column, found none among: ${table.header.join(', ')}`,
    );
  const featureCols = featureNames.map((n) => columnIndex(table, n, 'feature'));
  const keys = [...(labelCol < 0 ? [] : [labelCol]), idCol, ...(orderCol === undefined ? [] : [orderCol])];
  const keyed = rowsWithKeys(table, keys, opts.missing);
  const groups = groupRows(table, keyed, idCol, orderCol);
  if (labelCol >= 0) groups.forEach((g) => checkConstantLabel(table, g, labelCol, idCol));

  const ordered = groups.flat();
  const groupOf = Int32Array.from(groups.flatMap((g, k) => g.map(() => k)));
  const f = featureCols.length;
  const values = numericMatrix(table, ordered, featureCols);
  const kept = applyMissing(values, f, opts.missing, {
    locate: locateIn(table, ordered, featureCols),
    previous: previousRowInGroup(f, groupOf),
  });
  const parts: number[][] = groups.map(() => []);
  for (const i of kept) parts[groupOf[i]].push(i);
  const live = groups.map((g, k) => k).filter((k) => parts[k].length > 0); // a sequence whose rows were all dropped is gone
  const padded = padSequences(
    live.map((k) => Float64Array.from(parts[k].flatMap((i) => Array.from(values.subarray(i * f, (i + 1) * f))))),
    f,
  );
  const first = live.map((k) => table.rows[groups[k][0]]);
  return {
    featureNames: [...featureNames],
    ...padded,
    labels: first.map((row) => (labelCol < 0 ? '' : row.cells[labelCol])),
    labelWhere: (k) => `${table.file}:${first[k].line}:${labelCol + 1}`,
    ids: first.map((row) => row.cells[idCol]),
    rows: kept.length,
    droppedRows: table.rows.length - kept.length,
  };
}

/** Row indices per sequence id (ids in order of first appearance), each sorted by the order column if given. */
function groupRows(table: CsvTable, rows: number[], idCol: number, orderCol?: number): number[][] {
  const byId = new Map<string, number[]>();
  for (const r of rows) {
    const id = table.rows[r].cells[idCol];
    const g = byId.get(id);
    if (g) g.push(r);
    else byId.set(id, [r]);
  }
  const groups = [...byId.values()];
  if (orderCol === undefined) return groups;
  const key = orderKeys(table, rows, orderCol);
  // Array.prototype.sort is stable, so equal order values keep their file order.
  return groups.map((g) => g.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)));
}

/** Order values compare as numbers when every one is numeric, else as strings (ISO timestamps sort correctly). */
function orderKeys(table: CsvTable, rows: number[], orderCol: number): (r: number) => number | string {
  const numeric = rows.every((r) => parseCell(table.rows[r].cells[orderCol]) !== undefined);
  return numeric ? (r) => Number(table.rows[r].cells[orderCol]) : (r) => table.rows[r].cells[orderCol];
}

function checkConstantLabel(table: CsvTable, group: number[], labelCol: number, idCol: number): void {
  const first = table.rows[group[0]];
  for (const r of group) {
    const row = table.rows[r];
    if (row.cells[labelCol] !== first.cells[labelCol])
      throw new DataError(
        `${table.file}:${row.line}:${labelCol + 1}`,
        `sequence ${describeValue(row.cells[idCol])}: expected the same label on every row ` +
          `(${describeValue(first.cells[labelCol])}, as on line ${first.line}), found ${describeValue(row.cells[labelCol])}`,
      );
  }
}
