/**
 * Replacing a directory so that a crash at any instant leaves a complete one to load.
 *
 * The scheme, for `dir` = parent/name (every temporary lives in the same parent, so renames stay atomic):
 *   1. write everything into `.name.tmp-<pid>-<rand>`, fsync each file and the directory;
 *   2. rename `name` → `.name.old-<pid>-<rand>` (if there is one);
 *   3. rename the tmp directory → `name`, fsync the parent;
 *   4. delete the old directory.
 * A crash during 1 leaves `name` untouched (plus a partial tmp, garbage). During 4, `name` is already the new
 * one (plus a partial old, garbage). Only between 2 and 3 is `name` missing: then both the complete new
 * tmp and the complete old exist, and `recoverDir` renames one back (the new one if it passes the caller's
 * completeness check, else the old). Every reader calls `recoverDir` first; every writer also removes the
 * garbage of dead processes first, so at most one tmp and one old exist per name. Siblings of a process that
 * is still alive are never touched: a reader that finds `name` missing while its writer lives waits for step 3.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isErrno, statOrUndefined, syncDir } from './durable-fs.js';

const SIBLING = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-f]+$/;
/** How long a reader waits for a live writer to finish its two renames. */
const LIVE_WRITER_WAIT_MS = 2000;

interface Sibling {
  path: string;
  kind: 'tmp' | 'old';
  pid: number;
}

function siblingPath(dir: string, kind: 'tmp' | 'old'): string {
  return join(dirname(dir), `.${basename(dir)}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** The temporaries of `dir` left in its parent by this or other processes. */
function parseSiblings(dir: string, names: string[]): Sibling[] {
  const base = basename(dir);
  return names.flatMap((name) => {
    const m = SIBLING.exec(name);
    if (m === null || m[1] !== base) return [];
    return [{ path: join(dirname(dir), name), kind: m[2] as 'tmp' | 'old', pid: Number(m[3]) }];
  });
}

async function listSiblings(dir: string): Promise<Sibling[]> {
  try {
    return parseSiblings(dir, await readdir(dirname(dir)));
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}

/** Signal 0 probes a pid without touching it; EPERM means it exists but is someone else's. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, 'EPERM');
  }
}

/** Another process (or another save in this one) may be mid-write: its temporaries are not garbage. */
function mayBeInUse(s: Sibling): boolean {
  return s.pid === process.pid || isAlive(s.pid);
}

/**
 * If `dir` is missing because a save died between its two renames, renames a complete temporary back to `dir`.
 * `isComplete` checks a candidate directory (all files present and consistent). Returns whether it recovered.
 */
export async function recoverDir(dir: string, isComplete: (candidate: string) => Promise<boolean>): Promise<boolean> {
  if ((await statOrUndefined(dir)) !== undefined) return false;
  let siblings = await listSiblings(dir);
  if (siblings.some((s) => s.pid !== process.pid && isAlive(s.pid))) {
    const deadline = Date.now() + LIVE_WRITER_WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if ((await statOrUndefined(dir)) !== undefined) return false;
    }
    siblings = await listSiblings(dir);
  }
  const newestFirst = async (kind: 'tmp' | 'old') => {
    const found = siblings.filter((s) => s.kind === kind);
    const times = await Promise.all(found.map(async (s) => (await statOrUndefined(s.path))?.mtimeMs ?? 0));
    return found
      .map((s, i) => ({ s, t: times[i] }))
      .sort((a, b) => b.t - a.t)
      .map((x) => x.s);
  };
  for (const candidate of [...(await newestFirst('tmp')), ...(await newestFirst('old'))]) {
    if (!(await isComplete(candidate.path))) continue;
    try {
      await rename(candidate.path, dir);
    } catch (error) {
      // someone else recovered it first (or the writer finished): fine as long as dir is there now
      if ((await statOrUndefined(dir)) !== undefined) return false;
      throw error;
    }
    await syncDir(dirname(dir));
    return true;
  }
  return false;
}

/** Deletes the temporaries of `dir` that no live process owns. Only call while `dir` itself exists. */
export async function removeStale(dir: string): Promise<void> {
  for (const s of await listSiblings(dir)) {
    if (!mayBeInUse(s)) await rm(s.path, { recursive: true, force: true });
  }
}

/** `removeStale` for synchronous callers (pruning). */
export function removeStaleSync(dir: string): void {
  for (const s of parseSiblings(dir, readdirSync(dirname(dir)))) {
    if (!mayBeInUse(s)) rmSync(s.path, { recursive: true, force: true });
  }
}

/**
 * Replaces `dir` by what `write(tmp)` puts into a fresh temporary directory, by the scheme above. If `write`
 * throws, the temporary is removed and `dir` is left exactly as it was.
 */
export async function replaceDir(dir: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = siblingPath(dir, 'tmp');
  await mkdir(tmp);
  try {
    await write(tmp);
    await syncDir(tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  let old: string | undefined;
  if ((await statOrUndefined(dir)) !== undefined) {
    old = siblingPath(dir, 'old');
    await rename(dir, old);
  }
  try {
    await rename(tmp, dir);
  } catch (error) {
    if (old !== undefined) await rename(old, dir);
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  await syncDir(parent);
  if (old !== undefined) await rm(old, { recursive: true, force: true });
}

/** True when `path` is an existing directory. */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
