import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from './__fixtures__/testAudio.ts';
import { listAudioFiles, recordingIdOf, scanAudioFolder } from './listing.ts';

test('--recursive: subfolders scanned, ids are relative paths, hidden folders and link loops skipped', () => {
  const { dir, cleanup } = tempFolder('capuchin-listing-');
  try {
    for (const d of ['siteA/sd1', 'siteA/sd2', 'siteB', '.siteB.partial', 'siteC/.ipynb_checkpoints']) mkdirSync(join(dir, d), { recursive: true });
    const files = ['top.wav', 'siteA/sd1/20240301_050000.WAV', 'siteA/sd2/20240301_050000.WAV', 'siteB/SMA_20240301_050000.flac', 'siteB/notes.txt', 'siteB/old.m4a', '.siteB.partial/x.wav', 'siteC/.ipynb_checkpoints/y.wav'];
    for (const f of files) writeFileSync(join(dir, f), 'x');
    symlinkSync('..', join(dir, 'siteB', 'loop')); // a link back up the tree is not walked twice
    symlinkSync(join(dir, 'missing.wav'), join(dir, 'siteB', 'gone.wav'));

    const flat = scanAudioFolder(dir);
    assert.deepEqual(flat.files.map((f) => recordingIdOf(flat.root, f)), ['top.wav']);

    const deep = scanAudioFolder(dir, { recursive: true });
    assert.deepEqual(deep.files.map((f) => recordingIdOf(deep.root, f)), ['siteA/sd1/20240301_050000.WAV', 'siteA/sd2/20240301_050000.WAV', 'siteB/SMA_20240301_050000.flac', 'top.wav']);
    assert.deepEqual(deep.skipped.map((k) => [recordingIdOf(deep.root, k.file), k.reason]), [['siteB/gone.wav', 'dangling-link'], ['siteB/old.m4a', 'unsupported-codec']]);

    // a folder of folders, counted without --recursive, says how to count it
    const parent = join(dir, 'siteA');
    assert.throws(() => listAudioFiles(parent), /holds no \.wav.*count its subfolders with --recursive/);
    assert.equal(listAudioFiles(parent, { recursive: true }).length, 2);
  } finally {
    cleanup();
  }
});
