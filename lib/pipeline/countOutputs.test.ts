import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDetectorConfig } from '../detect/config.ts';
import { readDetectionsCsv } from '../records/detections.ts';
import { readErrorsCsv } from '../records/errors.ts';
import { readRavenTable } from '../records/raven.ts';
import { readAudacityLabels } from '../records/audacity.ts';
import { defaultResultsFormat } from '../records/results.ts';
import { writeCountOutputs } from './countOutputs.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'capuchin-count-outputs-'));
const ev = (start_s: number, peak_score = 0.9) => ({ start_s, end_s: start_s + 4.1, peak_score, peak_s: start_s + 2 });

test('writeCountOutputs writes the whole set: results, detections, errors, config, Raven tables', () => {
  const dir = tmp();
  const detector = resolveDetectorConfig({ onThreshold: 0.6 });
  const written = writeCountOutputs({
    outDir: dir,
    recordings: ['r2.mp3', 'r1.mp3', 'broken.wav', 'quiet.mp3'],
    outcomes: [
      { recording: 'r1.mp3', count: 2, events: [ev(30), ev(3.5, 0.8)] },
      { recording: 'r2.mp3', count: 1, events: [ev(100)] },
      { recording: 'quiet.mp3', count: 0, events: [] },
      { recording: 'broken.wav', count: null, events: [], error: 'truncated: the data chunk ends early' },
    ],
    detector,
  });
  assert.equal(readFileSync(join(dir, 'results.csv'), 'utf8'), 'recording,capuchin_calls\nbroken.wav,\nquiet.mp3,0\nr1.mp3,2\nr2.mp3,1\n');
  const det = readDetectionsCsv(join(dir, 'detections.csv'));
  assert.deepEqual(det.map((d) => [d.recording, d.call_index, d.start_s, d.score]), [
    ['r1.mp3', 0, 3.5, 0.8],
    ['r1.mp3', 1, 30, 0.9],
    ['r2.mp3', 0, 100, 0.9],
  ]);
  assert.deepEqual(readErrorsCsv(join(dir, 'errors.csv')), [{ recording: 'broken.wav', error: 'truncated: the data chunk ends early' }]);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'detector_config.json'), 'utf8')), detector);
  assert.deepEqual(readdirSync(join(dir, 'raven')).sort(), [
    'quiet.capuchin.selection.table.txt',
    'r1.capuchin.selection.table.txt',
    'r2.capuchin.selection.table.txt',
  ]);
  assert.deepEqual(readRavenTable(join(dir, 'raven', 'r1.capuchin.selection.table.txt')).map((s) => s.begin_s), [3.5, 30]);
  assert.equal(readRavenTable(join(dir, 'raven', 'quiet.capuchin.selection.table.txt')).length, 0);
  assert.equal(written.length, 12); // results, detections, recordings, errors, warnings, detector_config, 3 Raven tables and 3 Audacity label tracks
  // recordings.csv: every recording once, failed ones without length; no site or start time was given
  assert.equal(readFileSync(join(dir, 'recordings.csv'), 'utf8'), 'recording,site,start_time,time_source,duration_s,count\nbroken.wav,,,,,\nquiet.mp3,,,,,0\nr1.mp3,,,,,2\nr2.mp3,,,,,1\n');
  // an Audacity label track beside each Raven table: the same calls, the Capuchinbird's band
  assert.equal(readFileSync(join(dir, 'audacity', 'r1.capuchin.labels.txt'), 'utf8'), '3.500000\t7.600000\tCapuchinbird\n\\\t500.000000\t2500.000000\n30.000000\t34.100000\tCapuchinbird\n\\\t500.000000\t2500.000000\n');
  assert.equal(readFileSync(join(dir, 'audacity', 'quiet.capuchin.labels.txt'), 'utf8'), '');
  // no temp files are left behind by the atomic writes
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
});

test('another target: results.csv recording,calls by default, Raven boxes and Audacity labels at its band, named after it', () => {
  const dir = tmp();
  const target = { name: 'Screaming Piha', lowHz: 700, highHz: 5600 };
  writeCountOutputs({
    outDir: dir,
    recordings: ['a.wav'],
    outcomes: [{ recording: 'a.wav', count: 2, events: [ev(1.2), ev(1.9, 0.7)] }],
    detector: resolveDetectorConfig(),
    target,
    format: defaultResultsFormat(target),
  });
  assert.equal(readFileSync(join(dir, 'results.csv'), 'utf8'), 'recording,calls\na.wav,2\n');
  assert.deepEqual(readRavenTable(join(dir, 'raven', 'a.capuchin.selection.table.txt')).map((r) => [r.begin_s, r.lowHz, r.highHz, r.score]), [[1.2, 700, 5600, 0.9], [1.9, 700, 5600, 0.7]]);
  assert.deepEqual(readAudacityLabels(join(dir, 'audacity', 'a.capuchin.labels.txt')).map((l) => [l.start_s, l.text, l.lowHz, l.highHz]), [[1.2, 'Screaming Piha', 700, 5600], [1.9, 'Screaming Piha', 700, 5600]]);
  assert.equal(defaultResultsFormat({ name: 'Capuchinbird' }), 'original');
});
