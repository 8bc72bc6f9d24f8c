/** Temporary folders for a test file, removed when its tests are done. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const made: string[] = [];
let registered = false;

export function tempDir(prefix: string): string {
  if (!registered) {
    after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
    registered = true;
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
