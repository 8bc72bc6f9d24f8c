/**
 * A folder holding exactly some files, by link: what a command that reads "every recording of a folder" is given
 * when only some recordings may be read (review-curve's held-out set, reproduce's 00–49). Where links need
 * privileges (Windows without developer mode) each file is copied instead.
 */
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export function linkFolder(dir: string, files: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const target = join(dir, basename(f));
    try {
      symlinkSync(resolve(f), target);
    } catch {
      copyFileSync(f, target);
    }
  }
  return dir;
}
