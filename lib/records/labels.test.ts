import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';
import { readCountLabels, readLabelledRecordings } from './labels.ts';

const write = (dir: string, name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('the sample labels: counts and calls of the excerpt, calls without scores', () => {
  const labels = readCountLabels(SAMPLE_DATA_DIR)!;
  assert.deepEqual(labels.counts, [{ recording: 'recording_46_excerpt.mp3', capuchin_calls: 3 }]);
  assert.deepEqual(labels.calls!.map((c) => c.start_s), [2.57, 12.47, 19.81]);
  assert.ok(labels.calls!.every((c) => !('score' in c)));
  assert.equal(readCountLabels(tmpdir() + '/no-such-labels'), null);
});

test('labelled recordings: every recording named, empty rows and labels_counts.csv zeros included, calls sorted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-labels-'));
  const calls = write(dir, 'labels_calls.csv', 'recording,call_index,start_s,end_s\nr1.mp3,1,40,44.1\nr1.mp3,0,3,7.1\nr2.mp3,,,\n');
  let map = readLabelledRecordings(calls);
  assert.deepEqual([...map.keys()].sort(), ['r1.mp3', 'r2.mp3']);
  assert.deepEqual(map.get('r1.mp3'), [{ start_s: 3, end_s: 7.1 }, { start_s: 40, end_s: 44.1 }]);
  assert.deepEqual(map.get('r2.mp3'), []);
  // a labels_counts.csv beside it adds the recordings it gives 0 calls, and must agree on the rest
  write(dir, 'labels_counts.csv', 'recording,capuchin_calls\nr1.mp3,2\nr2.mp3,0\nr3.mp3,0\n');
  map = readLabelledRecordings(calls);
  assert.deepEqual(map.get('r3.mp3'), []);
  write(dir, 'labels_counts.csv', 'recording,capuchin_calls\nr1.mp3,3\n');
  assert.throws(() => readLabelledRecordings(calls), /gives r1\.mp3 3 call\(s\) but .*labels_calls\.csv lists 2/);
  const bad = write(dir, 'bad.csv', 'recording,call_index,start_s,end_s\nr1.mp3,0,9,4\n');
  assert.throws(() => readLabelledRecordings(bad), /r1\.mp3 call 0 has start_s 9, end_s 4/);
});
