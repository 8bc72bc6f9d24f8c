import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { tagWritePath } from './diskFull.ts';

/**
 * Write a file atomically: write a temp file beside it, then rename over the target.
 * A crash mid-write leaves the previous version intact.
 */
let counter = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  makeDirs(dirname(path));
  // The temp name must fit where the final name fits (255 bytes): a short prefix of it, not all of it.
  const tmp = join(dirname(path), `.${basename(path).slice(0, 40)}.${process.pid}.${Date.now()}.${++counter}.tmp`);
  try {
    tagWritePath(path, () => writeFileSync(tmp, data));
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * mkdir -p one level at a time: Node's recursive mkdirSync never returns for some paths that cannot be
 * created (under /proc it retries ENOENT forever), so each level is created, or refused, on its own.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) mkdirSync(d);
}
