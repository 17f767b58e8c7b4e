// Classify, long layout: one time step per row, grouped by a sequence id, ordered by an optional order column.
import { DataError, describeValue } from '../errors.js';
import { labelColumn, numericColumnsExcept, numericMatrix, requireColumn } from './columns.js';
import { RowError, type ReadPlan, type Table } from './csv.js';
import { applyMissing, locateIn, previousRowInGroup, rowsWithKeys, type MissingPolicy } from './missing.js';
import { padSequences, type Sequences } from './sequences.js';
import { orderKeys } from './cells.js';

export interface LongOptions {
  label: string;
  sequenceId: string;
  orderBy?: string;
  features?: string[];
  missing: MissingPolicy;
  /** data to predict from: a file without the label column is fine (every label is then '') */
  labelOptional?: boolean;
}

/** What the long layout reads: label, id and order as text, the features (or every other column, for defaults). */
export function longPlan(o: LongOptions, file: string) {
  return (header: string[]): ReadPlan => {
    const labelCol = labelColumn(header, file, o.label, o.labelOptional);
    requireColumn(header, file, o.sequenceId, 'sequence id');
    if (o.orderBy !== undefined) requireColumn(header, file, o.orderBy, 'order');
    for (const f of o.features ?? []) requireColumn(header, file, f, 'feature');
    const keys = [...(labelCol < 0 ? [] : [o.label]), o.sequenceId, ...(o.orderBy === undefined ? [] : [o.orderBy])];
    return {
      columns: [
        ...keys.map((name) => ({ name, kind: 'text' as const })),
        ...(o.features ?? []).map((name) => ({ name, kind: 'number' as const })),
      ],
      candidates: o.features === undefined ? header.filter((h) => !keys.includes(h)) : undefined,
    };
  };
}

/** Groups rows into sequences (in order of first appearance), each sorted by `orderBy` (stable) or kept in file order. */
export function readLong(table: Table, opts: LongOptions): Sequences {
  const labelCol = labelColumn(table.header, table.file, opts.label, opts.labelOptional);
  const featureNames = opts.features ?? numericColumnsExcept(table, [opts.label, opts.sequenceId, opts.orderBy]);
  if (featureNames.length === 0)
    throw new DataError(
      `${table.file}:1`,
      `expected at least one numeric feature column, found none among: ${table.header.join(', ')}`,
    );
  const keys = [
    ...(labelCol < 0 ? [] : [opts.label]),
    opts.sequenceId,
    ...(opts.orderBy === undefined ? [] : [opts.orderBy]),
  ];
  const keyed = rowsWithKeys(table, keys, opts.missing);
  const ids = table.text(opts.sequenceId);
  const groups = groupRows(
    keyed,
    ids.codes,
    opts.orderBy === undefined ? undefined : orderKeysOf(table.text(opts.orderBy)),
  );
  if (labelCol >= 0) groups.forEach((g) => checkConstantLabel(table, g, opts, labelCol));

  const ordered = groups.flat();
  const groupOf = Int32Array.from(groups.flatMap((g, k) => g.map(() => k)));
  const f = featureNames.length;
  const values = numericMatrix(table, ordered, featureNames);
  const kept = applyMissing(values, f, opts.missing, {
    locate: locateIn(table, ordered, featureNames),
    previous: previousRowInGroup(f, groupOf),
  });
  const parts: number[][] = groups.map(() => []);
  for (const i of kept) parts[groupOf[i]].push(i);
  const live = groups.map((g, k) => k).filter((k) => parts[k].length > 0); // a sequence whose rows were all dropped is gone
  const padded = padSequences(
    live.map((k) => Float64Array.from(parts[k].flatMap((i) => Array.from(values.subarray(i * f, (i + 1) * f))))),
    f,
  );
  const first = live.map((k) => groups[k][0]);
  const label = labelCol < 0 ? undefined : table.text(opts.label);
  return {
    featureNames: [...featureNames],
    ...padded,
    labels: first.map((r) => (label ? label.levels[label.codes[r]] : '')),
    labelAt: (k) => ({ row: first[k], column: labelCol }),
    ids: first.map((r) => ids.levels[ids.codes[r]]),
    rows: kept.length,
    droppedRows: table.rows - kept.length,
  };
}

/** Rows per sequence id (ids in order of first appearance), each sorted by the order key if there is one. */
function groupRows(rows: number[], ids: Int32Array, key?: (r: number) => number | string): number[][] {
  const byId = new Map<number, number[]>();
  for (const r of rows) {
    const g = byId.get(ids[r]);
    if (g) g.push(r);
    else byId.set(ids[r], [r]);
  }
  const groups = [...byId.values()];
  if (key === undefined) return groups;
  // Array.prototype.sort is stable, so equal order values keep their file order.
  return groups.map((g) => g.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)));
}

/** Order values compare as numbers when every one is numeric, else as strings (ISO timestamps sort correctly). */
function orderKeysOf(order: { codes: Int32Array; levels: string[] }): (r: number) => number | string {
  const keys = orderKeys(order.levels);
  return (r) => keys[order.codes[r]];
}

function checkConstantLabel(table: Table, group: number[], opts: LongOptions, labelCol: number): void {
  const label = table.text(opts.label);
  const id = table.text(opts.sequenceId);
  const first = group[0];
  for (const r of group)
    if (label.codes[r] !== label.codes[first]) {
      const [was, now] = [label.levels[label.codes[first]], label.levels[label.codes[r]]];
      const seq = id.levels[id.codes[r]];
      throw new RowError(
        [r, first],
        labelCol,
        ([, line]) =>
          `sequence ${describeValue(seq)}: expected the same label on every row ` +
          `(${describeValue(was)}, as on line ${line}), found ${describeValue(now)}`,
      );
    }
}
