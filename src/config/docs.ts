// The README's config field table, generated from the JSON Schema that the zod schema derives (never by hand).
import { propertiesOf, schemaNode, type JsonSchema } from './json-schema.js';
import { configJsonSchema } from './load.js';

interface Row {
  field: string;
  type: string;
  default: string;
  description: string;
}

const bound = (b: number | boolean | undefined) => (typeof b === 'number' ? b : undefined);

function typeOf(node: JsonSchema): string {
  const branches = node.anyOf ?? node.oneOf;
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (branches) return branches.map(typeOf).join(' \\| ');
  if (node.type === 'array') return `${typeOf(Array.isArray(node.items) ? {} : schemaNode(node.items))}[]`;
  if (node.type === 'integer' && node.minimum !== undefined && (node.maximum ?? Infinity) < Number.MAX_SAFE_INTEGER)
    return `integer ${node.minimum}…${node.maximum}`;
  if (node.type === 'integer')
    return node.exclusiveMinimum === 0 ? 'integer > 0' : node.minimum === 0 ? 'integer ≥ 0' : 'integer';
  if (node.type === 'number') {
    const [exLo, exHi] = [bound(node.exclusiveMinimum), bound(node.exclusiveMaximum)];
    const lo = node.minimum ?? (exLo !== undefined ? `>${exLo}` : undefined);
    const hi = node.maximum ?? (exHi !== undefined ? `<${exHi}` : undefined);
    return lo !== undefined && hi !== undefined
      ? `number ${lo}…${hi}`
      : lo !== undefined
        ? `number ≥ ${lo}`.replace('≥ >', '> ')
        : 'number';
  }
  return typeof node.type === 'string' ? node.type : 'object';
}

/** The task a branch of the data union is for: its `task` property's constant. */
const taskConst = (b: JsonSchema) => schemaNode(b.properties?.task).const;

function walk(node: JsonSchema, path: string, rows: Row[], note = ''): void {
  const branches = node.oneOf ?? node.anyOf;
  if (branches) {
    for (const b of branches) walk(b, path, rows, taskConst(b) ? ` (task ${JSON.stringify(taskConst(b))})` : note);
    return;
  }
  for (const [key, child] of propertiesOf(node)) {
    const field = path ? `${path}.${key}` : key;
    const required = (node.required ?? []).includes(key) && child.default === undefined;
    const objects = (child.oneOf ?? child.anyOf)?.some((b) => b.type === 'object');
    if (child.type === 'object' || objects) {
      if (child.description) rows.push({ field, type: 'object', default: '', description: child.description + note });
      walk(child, field, rows, note);
      continue;
    }
    rows.push({
      field,
      type: typeOf(child),
      default: child.default !== undefined ? `\`${JSON.stringify(child.default)}\`` : required ? 'required' : '—',
      description: (child.description ?? '') + note,
    });
  }
}

/** Fields both tasks share appear once, without the task note. */
function mergeTasks(rows: Row[]): Row[] {
  const note = / \(task "\w+"\)$/;
  const keyOf = (r: Row) => r.field + r.description.replace(note, '');
  const count = new Map<string, number>();
  for (const r of rows) count.set(keyOf(r), (count.get(keyOf(r)) ?? 0) + 1);
  const seen = new Set<string>();
  return rows.flatMap((r) => {
    if (seen.has(keyOf(r))) return [];
    seen.add(keyOf(r));
    return [(count.get(keyOf(r)) ?? 0) > 1 ? { ...r, description: r.description.replace(note, '') } : r];
  });
}

export function configFieldTable(): string {
  const rows: Row[] = [];
  walk(configJsonSchema(), '', rows);
  // the discriminator: one row naming both tasks
  const tasks = rows.filter((r) => r.field === 'data.task');
  const task = {
    field: 'data.task',
    type: tasks.map((r) => r.type).join(' \\| '),
    default: 'required',
    description: tasks.map((r) => r.description.replace(/ \(task "\w+"\)$/, '')).join('; '),
  };
  const unique = mergeTasks(rows).flatMap((r, i, all) =>
    r.field !== 'data.task' ? [r] : all.findIndex((x) => x.field === 'data.task') === i ? [task] : [],
  );
  const lines = ['| field | type | default | meaning |', '| --- | --- | --- | --- |'];
  for (const r of unique)
    lines.push(`| \`${r.field}\` | ${r.type} | ${r.default} | ${r.description.replace(/\|/g, '\\|')} |`);
  return lines.join('\n');
}
