// Turns zod issues into one line each: `json.path: expected …, got …`, with did-you-mean for unknown keys.
import { z } from 'zod';
import { describeValue } from '../errors.js';
import { nearest } from '../util/did-you-mean.js';
import { propertiesOf, schemaNode, type JsonSchema } from './json-schema.js';

type Issue = z.core.$ZodIssue;

/** `model.hiddenSize`, `data.features[2]`; the root is `(config)`. */
export function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(config)';
}

/** The value at a JSON path of `root`, or undefined where the path leaves it. */
export function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/**
 * The keys the JSON Schema allows at `path`, for did-you-mean. In a union (data.task), only the branches whose
 * constant fields match the input count, so a forecast config is not offered classify's keys.
 */
function knownKeys(jsonSchema: JsonSchema, path: PropertyKey[], value: unknown): string[] {
  let nodes: JsonSchema[] = [jsonSchema];
  for (const key of path)
    nodes = nodes.flatMap(branches).flatMap((n) => {
      const child = typeof key === 'string' ? n.properties?.[key] : undefined;
      return child === undefined ? [] : [schemaNode(child)];
    });
  const matching = nodes.flatMap(branches).filter((n) => n.properties && matchesConsts(n, value));
  return [...new Set(matching.flatMap((n) => Object.keys(n.properties ?? {})))];
}
const branches = (n: JsonSchema): JsonSchema[] => [n, ...[...(n.oneOf ?? []), ...(n.anyOf ?? [])].flatMap(branches)];
const matchesConsts = (n: JsonSchema, value: unknown): boolean =>
  propertiesOf(n).every(
    ([k, p]) => p.const === undefined || (value as Record<string, unknown> | undefined)?.[k] === p.const,
  );

function describeIssue(issue: Issue, input: unknown, jsonSchema: JsonSchema): string[] {
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
    case 'invalid_union': {
      // zod 4 marks a discriminated union's issue with these fields, which its issue type does not list
      const union = issue as typeof issue & { note?: string; discriminator?: string; options?: unknown[] };
      if (union.note === 'No matching discriminator' || union.discriminator) {
        const values = union.options ? union.options.map((v) => JSON.stringify(v)).join(', ') : 'a known value';
        return [`${where}: expected one of ${values}, got ${describeValue(found)}`];
      }
      return [`${where}: ${issue.message}, got ${describeValue(found)}`];
    }
    case 'too_small':
    case 'too_big': {
      if (issue.message.startsWith('expected')) return [`${where}: ${issue.message}`];
      const small = issue.code === 'too_small';
      const limit = `${small ? 'at least' : 'at most'} ${String(small ? issue.minimum : issue.maximum)}`;
      const unit = issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : '';
      const exclusive = small && !issue.inclusive ? ' (exclusive)' : '';
      return [`${where}: expected ${limit}${unit}${exclusive}, got ${describeValue(found)}`];
    }
    default:
      return [`${where}: ${issue.message}`];
  }
}

const article = (type: string) => (type === 'int' ? 'an integer' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

export function formatIssues(issues: Issue[], input: unknown, jsonSchema: JsonSchema): string[] {
  return issues.flatMap((issue) => describeIssue(issue, input, jsonSchema));
}
