/**
 * Annotations meet audio: every recording a table names is found in the folder (by path, name or stem) or refused
 * with the table's file and line; a call past the end of its recording is refused the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeAudio } from '../audio/probe.ts';
import { readAnnotations } from '../records/annotations/index.ts';
import { checkAnnotationsWithin, matchAnnotations } from './annotated.ts';
import { REPO_ROOT } from './paths.ts';

const PIHA = join(REPO_ROOT, 'data', 'species-sample', 'screaming-piha');
const RECORDINGS = join(PIHA, 'recordings');

test('the PyHa table of the sample names both recordings by file name; each is fully labelled', async () => {
  const matched = matchAnnotations(readAnnotations(join(PIHA, 'annotations.csv')), RECORDINGS);
  assert.deepEqual(matched.recordings.map((r) => r.name), ['ScreamingPiha3.wav', 'ScreamingPiha4.wav']);
  assert.deepEqual([...matched.labels.values()].map((c) => c.length), [6, 8]);
  assert.deepEqual(matched.unannotated, []);
  // every call lies inside its recording
  const durations = new Map<string, number>();
  for (const r of matched.recordings) durations.set(r.name, (await probeAudio(r.file)).durationSec);
  checkAnnotationsWithin(matched.labels, durations);
});

test('a table named after a recording matches it by stem; a missing or ambiguous recording, or a call past the end, is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-annotated-'));
  try {
    const audacity = join(dir, 'ScreamingPiha3.labels.txt');
    writeFileSync(audacity, '1.2209\t1.4704\tnote\n4.094\t5.9297\tnote\n');
    const byStem = matchAnnotations(readAnnotations(audacity), RECORDINGS);
    assert.deepEqual(byStem.recordings.map((r) => r.name), ['ScreamingPiha3.wav']);
    assert.deepEqual(byStem.unannotated.map((f) => f.endsWith('ScreamingPiha4.wav')), [true]);

    const missing = join(dir, 'missing.csv');
    writeFileSync(missing, 'IN FILE,OFFSET,DURATION\nScreamingPiha3.wav,1.2,0.3\nScreamingPiha9.wav,2.0,0.5\n');
    assert.throws(() => matchAnnotations(readAnnotations(missing), RECORDINGS), /missing\.csv line 3 names recording 'ScreamingPiha9\.wav', which is not in .*recordings\. Fix: put the recording in that folder/);

    const past = join(dir, 'past.csv');
    writeFileSync(past, 'IN FILE,OFFSET,DURATION\nScreamingPiha3.wav,1.2,0.3\nScreamingPiha3.wav,6.5,1.0\n');
    const matched = matchAnnotations(readAnnotations(past), RECORDINGS);
    const length = (await probeAudio(join(RECORDINGS, 'ScreamingPiha3.wav'))).durationSec;
    assert.throws(() => checkAnnotationsWithin(matched.labels, new Map([['ScreamingPiha3.wav', length]])), new RegExp(`past\\.csv line 3: the call 6\\.500–7\\.500 s runs past the end of ScreamingPiha3\\.wav \\(${length.toFixed(3)} s long\\)\\. Fix: check that the row belongs`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
