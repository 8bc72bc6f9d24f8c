import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAVEN_TABLE_HEADER, ravenFileName, ravenTable, readRavenTable, writeRavenTable } from './raven.ts';

test('file names follow <stem>.capuchin.selection.table.txt', () => {
  assert.equal(ravenFileName('recording_00.mp3'), 'recording_00.capuchin.selection.table.txt');
  assert.equal(ravenFileName('rec.2.wav'), 'rec.2.capuchin.selection.table.txt');
  // a recording id from a --recursive count keeps its folders: tables mirror the recordings' tree
  assert.equal(ravenFileName('siteA/sd1/20240301_050000.WAV'), 'siteA/sd1/20240301_050000.capuchin.selection.table.txt');
});

test('the table is tab-separated with the Raven header, selections numbered in time order', () => {
  const text = ravenTable([
    { begin_s: 19.81, end_s: 23.91, score: 0.5 },
    { begin_s: 2.57, end_s: 6.67, score: 0.98765 },
  ]);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], RAVEN_TABLE_HEADER.join('\t'));
  assert.equal(lines[1], '1\tSpectrogram 1\t1\t2.570\t6.670\t500.0\t2500.0\t0.9877');
  assert.equal(lines[2], '2\tSpectrogram 1\t1\t19.810\t23.910\t500.0\t2500.0\t0.5000');
  assert.throws(() => ravenTable([], { lowHz: 3000, highHz: 1000 }), /0 ≤ lowHz < highHz/);
});

test('write → read round trip keeps times, band and score', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-raven-'));
  const selections = [
    { begin_s: 2.57, end_s: 6.67, score: 0.91 },
    { begin_s: 12.47, end_s: 16.57, score: 0.62 },
  ];
  const path = writeRavenTable(dir, 'recording_46_excerpt.mp3', selections, { lowHz: 400, highHz: 3000 });
  assert.equal(path, join(dir, 'recording_46_excerpt.capuchin.selection.table.txt'));
  assert.deepEqual(readRavenTable(path), [
    { selection: 1, begin_s: 2.57, end_s: 6.67, lowHz: 400, highHz: 3000, score: 0.91 },
    { selection: 2, begin_s: 12.47, end_s: 16.57, lowHz: 400, highHz: 3000, score: 0.62 },
  ]);
  assert.ok(readFileSync(path, 'utf8').endsWith('\n'));
});

test('reading a table that is not Raven names the missing columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-raven-'));
  const path = join(dir, 'x.txt');
  writeFileSync(path, 'a\tb\n1\t2\n');
  assert.throws(() => readRavenTable(path), /lacks Raven column\(s\) Selection, Begin Time \(s\), End Time \(s\)/);
  writeFileSync(path, 'Selection\tBegin Time (s)\tEnd Time (s)\n1\tfoo\t2\n');
  assert.throws(() => readRavenTable(path), /line 2: 'Begin Time \(s\)' is 'foo'/);
});
