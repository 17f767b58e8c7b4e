// Reads a config file, validates it against the schema and resolves its paths against the config's folder.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { configSchema, type Config } from './schema.js';
import { formatIssues } from './format-issues.js';

/** The JSON Schema derived from the zod schema (what `lstm-train --schema` prints). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}

/** Validates a parsed config object; `source` names it in errors. Paths are left as they are. */
export function parseConfig(input: unknown, source: string): Config {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(source, formatIssues(result.error.issues, input, configJsonSchema()));
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

export function readJsonFile(path: string, what = 'config'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(path, [`cannot read the ${what} file (${code === 'ENOENT' ? 'no such file' : code})`]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? `${path}:${lineColumn(text, Number(at[1]))}` : path;
    throw new ConfigError(where, [`expected valid JSON, ${message.replace(/ in JSON at position \d+.*$/, '')}`]);
  }
}

/**
 * Loads and validates `path`; `data.path` and `output.dir` are resolved against the config file's folder,
 * so the returned config works from any working directory and is what a run writes as config.json.
 */
export function loadConfig(path: string): Config {
  const config = parseConfig(readJsonFile(path), path);
  return resolvePaths(config, dirname(resolve(path)));
}

export function resolvePaths(config: Config, baseDir: string): Config {
  return {
    ...config,
    data: { ...config.data, path: resolve(baseDir, config.data.path) },
    output: { ...config.output, dir: resolve(baseDir, config.output.dir) },
  };
}
