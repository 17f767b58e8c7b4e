// Keeps a run's checkpoints folder small: the newest epoch-NNNN checkpoints, plus best and last, always.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isAlive, removeStaleSync } from './swap.js';

const EPOCH_DIR = /^epoch-(\d+)$/;
/** A pruned checkpoint being deleted by process <pid>. */
const DELETING = /^\..+\.del-(\d+)-[0-9a-f]+$/;

/** The folder name of epoch `epoch`'s checkpoint: `epoch-0007`. */
export function epochCheckpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

/**
 * Deletes all but the newest `keep` `epoch-NNNN` checkpoints in `dir` (best, last and anything else stay), and
 * the temporaries that dead saves left behind. Each victim is first renamed to a hidden name, so a crash
 * mid-delete never leaves a half-deleted checkpoint under a name that looks loadable. Returns the removed paths.
 * Synchronous: it is a handful of renames, and the training loop calls it between epochs.
 */
export function pruneCheckpoints(dir: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 0)
    throw new RangeError(`pruneCheckpoints: keep must be a whole number >= 0, got ${keep}`);
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir);
  const epochs = names
    .map((name) => ({ name, m: EPOCH_DIR.exec(name) }))
    .filter((e) => e.m !== null && statSync(join(dir, e.name)).isDirectory())
    .sort((a, b) => Number(b.m![1]) - Number(a.m![1]));
  const removed: string[] = [];
  for (const { name } of epochs.slice(keep)) {
    const path = join(dir, name);
    const doomed = join(dir, `.${name}.del-${process.pid}-${randomBytes(4).toString('hex')}`);
    renameSync(path, doomed);
    rmSync(doomed, { recursive: true, force: true });
    removed.push(path);
  }
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const deleting = DELETING.exec(name);
    if (deleting !== null && !isAlive(Number(deleting[1]))) rmSync(path, { recursive: true, force: true });
    else if (!name.startsWith('.') && statSync(path).isDirectory()) removeStaleSync(path);
  }
  return removed;
}
