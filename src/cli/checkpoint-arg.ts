// A command's <checkpoint> argument: a run directory stands for its best checkpoint (no tfjs here: export and
// serve read it before loading any).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { shortPath } from './common.js';

const CARD = 'meta.json'; // a checkpoint's card (checkpoint.ts's META_JSON, which loads tfjs to import)
const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/**
 * The checkpoint `arg` names: a run directory, as lstm-train prints it, stands for its checkpoints/best and `note`
 * says so; anything else is passed on as it is, for the loader to judge and explain.
 */
export function checkpointArg(arg: string): { path: string; note?: string } {
  const best = join(arg, 'checkpoints', 'best');
  if (!isDir(arg) || existsSync(join(arg, CARD)) || !existsSync(join(best, CARD))) return { path: arg };
  return { path: best, note: `using ${shortPath(resolve(best))}, the run's best checkpoint` };
}

/** lstm-report's <dir>: a run's checkpoint (runs/<run>/checkpoints/best) stands for its run directory. */
export function runDirArg(arg: string): { path: string; note?: string } {
  const checkpoints = dirname(resolve(arg));
  const run = dirname(checkpoints);
  if (!existsSync(join(arg, CARD)) || basename(checkpoints) !== 'checkpoints' || !existsSync(join(run, 'summary.json')))
    return { path: arg };
  return { path: run, note: `using ${shortPath(run)}, the run directory of that checkpoint` };
}

/** `pick`'s path, its note on stderr (stdout may carry --json). */
export function announced(pick: { path: string; note?: string }): string {
  if (pick.note) process.stderr.write(`note: ${pick.note}\n`);
  return pick.path;
}
