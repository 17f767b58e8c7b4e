// Small pieces every command shares: flag parsers and how paths are shown.
import { isAbsolute, relative } from 'node:path';
import { InvalidArgumentError } from 'commander';

/** Parser for flags that take a positive integer (--epochs); commander reports the error with the flag's name. */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** A path relative to the working directory when it lies below it: what a user would type. */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
