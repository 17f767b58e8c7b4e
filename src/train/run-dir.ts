// Creates a fresh run directory; mkdir is atomic, so two runs started at once never share one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/** 2026-11-27T02:20:30.123Z → 20261127-022030 */
export function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** `<parent>/<name>-<UTC stamp>`, or with -2, -3, … when that already exists. */
export function createRunDir(parent: string, name: string, now = new Date()): string {
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new ConfigError('output', [
      `output.dir (or --out): expected a folder that can be created and written, got ${parent} (${(e as NodeJS.ErrnoException).code})`,
    ]);
  }
  const base = join(parent, `${name}-${utcStamp(now)}`);
  for (let n = 1; ; n++) {
    const path = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
