// Turns zod issues into one line each: `json.path: expected …, got …`, with did-you-mean for unknown keys.
import { z } from 'zod';
import { describeValue } from '../errors.js';
import { nearest } from '../util/did-you-mean.js';

type Issue = z.core.$ZodIssue;

/** `model.hiddenSize`, `data.features[2]`; the root is `(config)`. */
export function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(config)';
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/**
 * The keys the JSON Schema allows at `path`, for did-you-mean. In a union (data.task), only the branches whose
 * constant fields match the input count, so a forecast config is not offered classify's keys.
 */
function knownKeys(jsonSchema: any, path: PropertyKey[], value: unknown): string[] {
  let nodes: any[] = [jsonSchema];
  for (const key of path)
    nodes = nodes.flatMap(branches).flatMap((n) => (n.properties?.[key] ? [n.properties[key]] : []));
  const matching = nodes.flatMap(branches).filter((n) => n.properties && matchesConsts(n, value));
  return [...new Set(matching.flatMap((n) => Object.keys(n.properties)))];
}
const branches = (n: any): any[] => [n, ...[...(n.oneOf ?? []), ...(n.anyOf ?? [])].flatMap(branches)];
const matchesConsts = (n: any, value: unknown): boolean =>
  Object.entries(n.properties as Record<string, any>).every(
    ([k, p]) => p.const === undefined || (value as Record<string, unknown> | undefined)?.[k] === p.const,
  );

function describeIssue(issue: Issue, input: unknown, jsonSchema: unknown): string[] {
  const where = formatPath(issue.path);
  const found = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const known = knownKeys(jsonSchema, issue.path, found);
        const guess = nearest(key, known);
        const at = formatPath([...issue.path, key]);
        return `${at}: unknown key; ${guess ? `did you mean "${guess}"?` : `expected one of ${known.join(', ')}`}`;
      });
    case 'invalid_type':
      if (found === undefined) return [`${where}: missing; expected ${article(issue.expected)}`];
      if (issue.message.startsWith('expected')) return [`${where}: ${issue.message}`];
      return [`${where}: expected ${article(issue.expected)}, got ${describeValue(found)}`];
    case 'invalid_value':
      return [
        `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(found)}`,
      ];
    case 'invalid_union':
      if ((issue as any).note === 'No matching discriminator' || (issue as any).discriminator)
        return [`${where}: expected one of ${describeDiscriminator(issue)}, got ${describeValue(found)}`];
      return [`${where}: ${issue.message}, got ${describeValue(found)}`];
    case 'too_small':
    case 'too_big':
      if (issue.message.startsWith('expected')) return [`${where}: ${issue.message}`];
      return [
        `${where}: expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${issue.code === 'too_small' ? issue.minimum : issue.maximum}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}${issue.code === 'too_small' && !issue.inclusive ? ' (exclusive)' : ''}, got ${describeValue(found)}`,
      ];
    default:
      return [`${where}: ${issue.message}`];
  }
}

const article = (type: string) => (type === 'int' ? 'an integer' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function describeDiscriminator(issue: Issue): string {
  const values = (issue as any).options as unknown[] | undefined;
  return values ? values.map((v) => JSON.stringify(v)).join(', ') : 'a known value';
}

export function formatIssues(issues: Issue[], input: unknown, jsonSchema: unknown): string[] {
  return issues.flatMap((issue) => describeIssue(issue, input, jsonSchema));
}
