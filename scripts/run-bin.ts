// The README scripts' way to run a CLI of this checkout (bin/*.js over dist/) and take its output.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export function run(bin: string, args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} failed:\n${r.stderr}`);
  return r.stdout;
}
