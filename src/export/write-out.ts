// Writes an export all at once or not at all: into a temporary sibling of --out, then renamed over it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { syncDir, writeDurable } from '../checkpoint/durable-fs.js';
import { UsageError } from '../errors.js';

/** The files of an export, by name inside --out (a folder), or the one file --out names. */
export type ExportFiles = Map<string, string | Uint8Array>;

export interface OutTarget {
  path: string;
  /** a folder of files, or one file (an .onnx path) */
  kind: 'folder' | 'file';
  /** it exists and will be replaced (--force) */
  replaces: boolean;
}

const refuse = (problem: string, suggestion?: string) => new UsageError(problem, suggestion);
const inside = (parent: string, child: string) => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Checks --out before any work: its parent must be a folder that exists, and an existing --out (a non-empty folder,
 * or a file) is replaced only with --force; never the working folder, one above it, or one holding the checkpoint.
 */
export function outTarget(out: string, kind: OutTarget['kind'], force: boolean, checkpoint: string): OutTarget {
  const path = resolve(out);
  const parent = dirname(path);
  if (!existsSync(parent) || !statSync(parent).isDirectory())
    throw refuse(
      `--out: expected a path in an existing folder, got ${out} (${existsSync(parent) ? `${parent} is a file` : `no folder ${parent}`})`,
    );
  if (inside(path, process.cwd()) || inside(path, resolve(checkpoint)))
    throw refuse(
      `--out: expected a new folder for the export, got ${out}, which holds the working folder or the checkpoint`,
    );
  if (!existsSync(path)) return { path, kind, replaces: false };
  const isFolder = statSync(path).isDirectory();
  if (kind === 'file' && isFolder) throw refuse(`--out: expected a file path ending in .onnx, got ${out}, a folder`);
  if (kind === 'folder' && !isFolder) throw refuse(`--out: expected a folder, got ${out}, an existing file`);
  const empty = isFolder && readdirSync(path).length === 0;
  if (!empty && !force)
    throw refuse(
      `--out: expected a new or empty ${kind}, got ${out}, which exists${isFolder ? ` and holds ${readdirSync(path).length} entries` : ''}`,
      'add --force to replace it, or choose another --out',
    );
  return { path, kind, replaces: true };
}

/**
 * The files go into a fresh sibling (".<name>.export-XXXXXX"), fsynced; then an existing --out is moved aside,
 * the sibling renamed to --out and the old one removed. A crash leaves either the old --out or the new one (or,
 * between the two renames, the old one under its ".old" name beside the complete new sibling), never a mix.
 * A refused write becomes a ConfigError naming --out; the sibling is removed.
 */
export async function writeExport(target: OutTarget, files: ExportFiles): Promise<string[]> {
  const parent = dirname(target.path);
  const name = basename(target.path);
  let staging: string | undefined;
  let aside: string | undefined; // the old --out while it is moved aside
  try {
    staging = await mkdtemp(join(parent, `.${name}.export-`));
    const written: string[] = [];
    for (const [file, data] of files) {
      const at = target.kind === 'file' ? join(staging, name) : join(staging, file);
      await mkdir(dirname(at), { recursive: true });
      await writeDurable(at, data);
      written.push(target.kind === 'file' ? target.path : join(target.path, file));
    }
    await syncDir(staging);
    const from = target.kind === 'file' ? join(staging, name) : staging;
    const old = target.replaces ? `${staging}.old` : undefined;
    if (old) await rename(target.path, (aside = old));
    await rename(from, target.path);
    aside = undefined;
    await syncDir(parent);
    if (old) await rm(old, { recursive: true, force: true });
    if (target.kind === 'file') await rm(staging, { recursive: true, force: true });
    return written;
  } catch (e) {
    if (aside) await rename(aside, target.path).catch(() => undefined);
    if (staging) await rm(staging, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw e;
    throw refuse(`--out: expected a writable location, got ${target.path} (${code})`);
  }
}
