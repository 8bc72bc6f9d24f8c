import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupOf, listClips, summarizeClips } from './dataset.ts';
import { NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from './paths.ts';

test('groupOf: the name before the last "-", in lower case', () => {
  assert.equal(groupOf('XC3776-3.wav'), 'xc3776');
  assert.equal(groupOf('recording_08-2.wav'), 'recording_08');
  assert.equal(groupOf('crickets-chirping-7.wav'), 'crickets-chirping');
  assert.equal(groupOf('/data/Parsed_Not_Capuchinbird_Clips/afternoon-birds-song-in-forest-0.wav'), 'afternoon-birds-song-in-forest');
  assert.equal(groupOf('lonely.wav'), 'lonely');
  assert.equal(groupOf('-3.wav'), '-3');
  assert.equal(groupOf('XC-example-0'), 'xc-example');
  assert.equal(groupOf('Crickets-chirping-at-night-11.wav'), 'crickets-chirping-at-night');
  assert.equal(groupOf('Crickets-chirping-3.wav'), groupOf('crickets-chirping-3.wav'));
});

test('listClips reads the embedded sample: 11 positives then 9 negatives, absolute paths, groups', () => {
  const clips = listClips(SAMPLE_DATA_DIR);
  assert.equal(clips.length, 20);
  assert.ok(clips.slice(0, 11).every((c) => c.label === 1 && c.file.includes(POSITIVE_DIR)));
  assert.ok(clips.slice(11).every((c) => c.label === 0 && c.file.includes(NEGATIVE_DIR)));
  assert.ok(clips.every((c) => c.file.startsWith('/') && c.file.endsWith(c.name)));
  const xc = clips.find((c) => c.name === 'XC3776-5.wav');
  assert.equal(xc?.group, 'xc3776');
  assert.equal(clips.find((c) => c.name === 'Crickets-chirping-at-night-11.wav')?.group, 'crickets-chirping-at-night');
  assert.equal(clips.find((c) => c.name === 'dove-bird-sounds-9.wav')?.group, 'dove-bird-sounds');
  assert.deepEqual(summarizeClips(clips), { clips: 20, positives: 11, negatives: 9, groups: 20, positiveGroups: 11, negativeGroups: 9 });
});

test('a missing class folder names the folder and points at --data / CAPUCHIN_DATA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-data-'));
  try {
    mkdirSync(join(dir, POSITIVE_DIR));
    assert.throws(() => listClips(dir), (err: Error) => {
      assert.match(err.message, new RegExp(`${NEGATIVE_DIR} does not exist`));
      assert.match(err.message, /--data DIR \(or set CAPUCHIN_DATA\)/);
      return true;
    });
    assert.throws(() => listClips(join(dir, 'nowhere')), new RegExp(`nowhere/${POSITIVE_DIR} does not exist`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
