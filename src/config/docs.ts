// The README's config field table, generated from the JSON Schema that the zod schema derives (never by hand).
import { configJsonSchema } from './load.js';

interface Row {
  field: string;
  type: string;
  default: string;
  description: string;
}

function typeOf(node: any): string {
  if (node.enum) return node.enum.map((v: unknown) => JSON.stringify(v)).join(' \\| ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.anyOf ?? node.oneOf) return (node.anyOf ?? node.oneOf).map(typeOf).join(' \\| ');
  if (node.type === 'array') return `${typeOf(node.items ?? {})}[]`;
  if (node.type === 'integer' && node.minimum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER)
    return `integer ${node.minimum}…${node.maximum}`;
  if (node.type === 'integer')
    return node.exclusiveMinimum === 0 ? 'integer > 0' : node.minimum === 0 ? 'integer ≥ 0' : 'integer';
  if (node.type === 'number') {
    const lo = node.minimum ?? (node.exclusiveMinimum !== undefined ? `>${node.exclusiveMinimum}` : undefined);
    const hi = node.maximum ?? (node.exclusiveMaximum !== undefined ? `<${node.exclusiveMaximum}` : undefined);
    return lo !== undefined && hi !== undefined
      ? `number ${lo}…${hi}`
      : lo !== undefined
        ? `number ≥ ${lo}`.replace('≥ >', '> ')
        : 'number';
  }
  return node.type ?? 'object';
}

function walk(node: any, path: string, rows: Row[], note = ''): void {
  const branches = node.oneOf ?? node.anyOf;
  if (branches) {
    for (const b of branches)
      walk(b, path, rows, b.properties?.task?.const ? ` (task ${JSON.stringify(b.properties.task.const)})` : note);
    return;
  }
  for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
    const field = path ? `${path}.${key}` : key;
    const required = (node.required ?? []).includes(key) && child.default === undefined;
    const objects = (child.oneOf ?? child.anyOf)?.some((b: any) => b.type === 'object');
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
  const count = new Map<string, number>();
  for (const r of rows)
    count.set(
      r.field + r.description.replace(note, ''),
      (count.get(r.field + r.description.replace(note, '')) ?? 0) + 1,
    );
  const seen = new Set<string>();
  return rows.flatMap((r) => {
    const key = r.field + r.description.replace(note, '');
    if (seen.has(key)) return [];
    seen.add(key);
    return [count.get(key)! > 1 ? { ...r, description: r.description.replace(note, '') } : r];
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
