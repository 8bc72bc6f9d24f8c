/**
 * A full disk (ENOSPC) or an exhausted quota (EDQUOT) while writing outputs: told as one line naming the folder,
 * the space left there and the fix, instead of a stack trace. Node's write errors carry no path, so writers tag
 * them (`tagWritePath`) and the command names its output folder as the fallback.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';

const CODES = new Set(['ENOSPC', 'EDQUOT']);

type ErrnoLike = Error & { code?: string; path?: string };

/** The ENOSPC / EDQUOT error in `err` or its causes, or null. */
export function diskFullError(err: unknown): ErrnoLike | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as ErrnoLike).code;
    if (code && CODES.has(code)) return e as ErrnoLike;
  }
  return null;
}

/** Run a write to `path`; an error from it that names no path gets this one (for the message above). */
export function tagWritePath<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (err instanceof Error && (err as ErrnoLike).code && !(err as ErrnoLike).path) (err as ErrnoLike).path = path;
    throw err;
  }
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * The line for a full disk, or null when `err` is something else. `folder`: where the command writes, when the
 * error does not say; `resume`: the command continues an interrupted run with --resume.
 */
export function diskFullMessage(err: unknown, folder: string | undefined, resume: boolean): string | null {
  const full = diskFullError(err);
  if (!full) return null;
  const where = full.path ? dirname(full.path) : (folder ?? process.cwd());
  let free = '';
  try {
    const fs = statfsSync(where);
    free = `, ${formatBytes(Number(fs.bavail) * Number(fs.bsize))} free`;
  } catch {
    // the folder may be gone; the line still names it
  }
  const what = full.code === 'EDQUOT' ? 'the disk quota is used up' : 'the disk is full';
  const again = resume
    ? 'then run the same command with --resume: what was finished is kept and not done again'
    : 'then run the command again';
  return `${what} while writing into ${where} (${full.code}${free}). Fix: free space there (or write elsewhere with --out), ${again}.`;
}
