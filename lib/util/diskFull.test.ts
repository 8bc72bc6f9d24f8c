import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskFullError, diskFullMessage, tagWritePath } from './diskFull.ts';

const errno = (code: string, path?: string) => Object.assign(new Error(`${code}: no space left on device, write`), { code, ...(path ? { path } : {}) });

test('a full disk is told in one line: the folder, its free space, and the fix (with --resume where the command has it)', () => {
  const line = diskFullMessage(errno('ENOSPC', join(tmpdir(), 'x.csv')), '/elsewhere', true)!;
  assert.match(line, new RegExp(`^the disk is full while writing into ${tmpdir()} \\(ENOSPC, [\\d.]+ (bytes|KB|MB|GB|TB) free\\)\\. Fix: free space there`));
  assert.match(line, /run the same command with --resume/);
  // no path on the error (Node's write errors): the command's folder; no --resume: run again
  const quota = diskFullMessage(new Error('wrapped', { cause: errno('EDQUOT') }), '/no/such/folder', false)!;
  assert.equal(quota, 'the disk quota is used up while writing into /no/such/folder (EDQUOT). Fix: free space there (or write elsewhere with --out), then run the command again.');
  assert.equal(diskFullMessage(errno('EACCES'), '/x', true), null);
  assert.equal(diskFullMessage(new Error('plain'), '/x', true), null);
});

test('tagWritePath names the file on a write error that has no path, and leaves other errors alone', () => {
  const thrown = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      return err as Error & { path?: string };
    }
    assert.fail('no error');
  };
  assert.equal(thrown(() => tagWritePath('/out/a.csv', () => { throw errno('ENOSPC'); })).path, '/out/a.csv');
  assert.equal(thrown(() => tagWritePath('/out/a.csv', () => { throw errno('ENOSPC', '/first'); })).path, '/first');
  assert.equal(thrown(() => tagWritePath('/out/a.csv', () => { throw new Error('logic'); })).path, undefined);
  assert.equal(diskFullError(new Error('outer', { cause: new Error('mid', { cause: errno('ENOSPC') }) }))?.code, 'ENOSPC');
});
