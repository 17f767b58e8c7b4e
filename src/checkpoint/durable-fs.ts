// File writes that reach the disk before we rely on them: fsync the file, then the directory that names it.
import { open, stat } from 'node:fs/promises';

/** Writes `data` to `path` (replacing it) and fsyncs it, so a rename that follows never exposes a short file. */
export async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Fsyncs a directory so the names created or renamed in it survive a power cut. Some platforms (Windows)
 * cannot open a directory for syncing; there the rename is as durable as the OS makes it anyway.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!isErrno(error, 'EISDIR', 'EPERM', 'EINVAL', 'EBADF')) throw error;
  } finally {
    await handle?.close();
  }
}

export function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

/** `stat` that answers undefined for a missing path instead of throwing. */
export async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}
