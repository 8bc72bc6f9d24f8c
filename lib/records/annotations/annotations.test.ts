/**
 * Annotation layouts read from real files (__fixtures__/README.md credits them): Raven Pro tables with a waveform
 * and a spectrogram row per call, a per-recording Raven table of 17 species, an Audacity label track, PyHa's CSV;
 * capuchin's own exports; and every error naming the file, the line and the fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotationLayoutOf, readAnnotationFile, readAnnotations, ravenTableStem } from './index.ts';

const FIX = new URL('./__fixtures__/', import.meta.url).pathname;
const WHALE = join(FIX, 'raven', '20160802_202509.txt');
const COLORADO = join(FIX, 'raven', '05_28_21_colorado_refuge_30min.Table.1.selections_DPS1.txt');
const CANARY = join(FIX, 'audacity', '405_marron1_June_14_2016_69640887.audacity.txt');
const PYHA = join(FIX, 'pyha', 'ScreamingPiha_Manual_Labels.excerpt.csv');

/** The file's data lines split on tabs, read here without the parser under test. */
const tsvRows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'capuchin-annotations-'));
}

test('layouts are told apart by their first line', () => {
  assert.equal(annotationLayoutOf(readFileSync(WHALE, 'utf8')), 'raven');
  assert.equal(annotationLayoutOf(readFileSync(CANARY, 'utf8')), 'audacity');
  assert.equal(annotationLayoutOf(readFileSync(PYHA, 'utf8')), 'csv');
  assert.equal(annotationLayoutOf('recording,call_index,start_s,end_s\nr.wav,0,1,2\n'), 'labels-calls');
  assert.equal(annotationLayoutOf('audio_file,start_time,end_time,annotation\n'), 'csv');
  assert.equal(annotationLayoutOf('name,when\nx,1\n'), null);
});

test('a Raven table with Waveform and Spectrogram rows gives each call once, placed by File Offset in its Begin File', () => {
  const t = readAnnotationFile(WHALE);
  const spectrogramRows = tsvRows(WHALE).filter((r) => r[1] === 'Spectrogram 1');
  assert.equal(tsvRows(WHALE).length, 16, 'the file has two rows per call');
  assert.equal(t.annotations.length, spectrogramRows.length);
  assert.equal(t.annotations.length, 8);
  assert.deepEqual(t.recordings, ['20160802_202509.wav']);
  t.annotations.forEach((a, i) => {
    const row = spectrogramRows[i];
    assert.equal(a.recording, row[7]);
    assert.equal(a.start_s, Number(row[8]), 'File Offset (s) is the start in the file');
    assert.ok(Math.abs(a.end_s - a.start_s - (Number(row[4]) - Number(row[3]))) < 1e-9, 'the length is End − Begin');
    assert.equal(a.label, 'Killer Whale');
    assert.equal(a.lowHz, Number(row[5]));
    assert.equal(a.line, readFileSync(WHALE, 'utf8').split('\n').findIndex((l) => l === row.join('\t')) + 1, 'the spectrogram row’s line');
  });
  // a table with the same columns in another order reads the same way
  const other = readAnnotationFile(join(FIX, 'raven', '20180805_211330.txt'));
  assert.equal(other.annotations.length, 8);
  assert.equal(other.annotations[0].start_s, 146.8247);
});

test('a per-recording Raven table names its recording by its file name; several classes need --annotation-class', () => {
  assert.equal(ravenTableStem(COLORADO), '05_28_21_colorado_refuge_30min');
  assert.equal(ravenTableStem('/x/rec 1.Table.1.selections.txt'), 'rec 1');
  assert.equal(ravenTableStem('/x/20240301_053000.BirdNET.selection.table.txt'), '20240301_053000');
  assert.equal(ravenTableStem('/x/r2.capuchin.reviewed.selection.table.txt'), 'r2');
  assert.throws(() => readAnnotations(COLORADO), (err: Error) => /hold 16 classes: 'Red-winged Blackbird' \(34\)/.test(err.message) && /--annotation-class/.test(err.message));
  const red = readAnnotations(COLORADO, { annotationClass: 'red-winged blackbird' });
  const expected = tsvRows(COLORADO).filter((r) => r[7] === 'Red-winged Blackbird');
  assert.equal(red.calls, 34);
  assert.deepEqual([...red.byRecording.keys()], ['05_28_21_colorado_refuge_30min']);
  assert.deepEqual(red.byRecording.get('05_28_21_colorado_refuge_30min')!.map((a) => a.start_s), expected.map((r) => Number(r[3])).sort((a, b) => a - b));
  assert.equal(red.otherClasses.get('Common Yellowthroat'), 30);
  assert.throws(() => readAnnotations(COLORADO, { annotationClass: 'Dodo' }), new RegExp(`no usable annotation rows in .*05_28_21.*none of its ${tsvRows(COLORADO).length} row\\(s\\) has class 'Dodo' \\(classes: 'Common Yellowthroat'`));
});

test('an Audacity label track: its recording is its file name, its labels are classes', () => {
  const t = readAnnotationFile(CANARY);
  assert.equal(t.layout, 'audacity');
  assert.deepEqual(t.recordings, ['405_marron1_June_14_2016_69640887']);
  assert.equal(t.annotations.length, 61);
  assert.throws(() => readAnnotations(CANARY), /classes: 'SIL' \(/);
  const calls = readAnnotations(CANARY, { annotationClass: 'call' }).byRecording.get('405_marron1_June_14_2016_69640887')!;
  assert.deepEqual(calls.map((c) => [c.start_s, c.end_s, c.line]), [
    [0.7698181682, 1.1312740106, 2],
    [2.2184007427, 2.555023741, 4],
  ]);
});

test("PyHa's CSV: OFFSET is the start and DURATION the length of each call", () => {
  const set = readAnnotations(PYHA);
  assert.deepEqual(set.layouts, ['csv']);
  assert.equal(set.calls, 14);
  const rows = readFileSync(PYHA, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const piha4 = set.byRecording.get('ScreamingPiha4.wav')!;
  const expected = rows.filter((r) => r[1] === 'ScreamingPiha4.wav').map((r) => [Number(r[4]), Number(r[4]) + Number(r[5])]).sort((a, b) => a[0] - b[0]);
  assert.deepEqual(piha4.map((c) => [c.start_s, c.end_s]), expected);
  assert.ok(piha4.every((c) => c.label === 'bird'));
});

test("capuchin's own files come back: labels_calls.csv with a call-less recording, the review's Raven export", () => {
  const dir = tempDir();
  try {
    const calls = join(dir, 'reviewed_calls.csv');
    writeFileSync(calls, 'recording,call_index,start_s,end_s\nr1.wav,0,3,7.1\nr1.wav,1,20,24.1\nquiet.wav,,,\n');
    const set = readAnnotations(calls);
    assert.deepEqual(set.layouts, ['labels-calls']);
    assert.deepEqual([...set.byRecording.entries()].map(([r, c]) => [r, c.length]).sort(), [['quiet.wav', 0], ['r1.wav', 2]]);
    // the review page's combined Raven export: accepted and added calls are calls, rejected ones are not
    const raven = join(dir, 'review.capuchin.selection.table.txt');
    const head = 'Selection\tView\tChannel\tBegin File\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tScore\tVerdict\tFile Offset (s)';
    writeFileSync(raven, [head, '1\tSpectrogram 1\t1\ta.wav\t1.500\t5.600\t500.0\t2500.0\t\tadded\t1.500', '2\tSpectrogram 1\t1\ta.wav\t20.000\t24.100\t500.0\t2500.0\t0.6\treject\t20.000', '3\tSpectrogram 1\t1\tb.wav\t10.000\t14.100\t500.0\t2500.0\t0.9\taccept\t10.000'].join('\n') + '\n');
    const reviewed = readAnnotations(raven);
    assert.deepEqual([...reviewed.byRecording.entries()].map(([r, c]) => [r, c.map((x) => x.start_s)]), [['a.wav', [1.5]], ['b.wav', [10]]]);
    writeFileSync(raven, [head, '1\tSpectrogram 1\t1\ta.wav\t1.500\t5.600\t500.0\t2500.0\t0.7\t\t1.500'].join('\n') + '\n');
    assert.throws(() => readAnnotations(raven), /review\.capuchin\.selection\.table\.txt line 2: Verdict is '', so the call was not decided\. Fix: accept or reject it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad annotations are refused with the file, the line and the fix', () => {
  const dir = tempDir();
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  try {
    assert.throws(() => readAnnotations(file('a.csv', 'IN FILE,OFFSET,DURATION\nx.wav,1.5,0.4\nx.wav,abc,0.4\n')), /a\.csv line 3: 'OFFSET' is 'abc', expected a number of seconds/);
    assert.throws(() => readAnnotations(file('b.csv', 'file,begin\nx.wav,1\n')), /b\.csv line 1: no an end or duration column/);
    assert.throws(() => readAnnotations(file('c.txt', '1.0\t1.0\tpoint\n')), /c\.txt line 1: start 1 s, end 1 s; a call needs 0 ≤ start < end \(a point label has no extent\)/);
    assert.throws(() => readAnnotations(file('d.txt', '2.0\t1.0\tbackwards\n')), /d\.txt line 1: start 2 s and end 1 s; expected 0 ≤ start ≤ end/);
    assert.throws(() => readAnnotations(file('e.txt', 'hello there\n')), /e\.txt line 1 \('hello there'\) is not a header capuchin reads\. Fix: use one of: Raven Pro selection table/);
    const multi = 'Selection\tView\tBegin Time (s)\tEnd Time (s)\tBegin File\n1\tSpectrogram 1\t1\t2\ta.wav\n2\tSpectrogram 1\t301\t302\tb.wav\n';
    assert.throws(() => readAnnotations(file('f.txt', multi)), /f\.txt spans 2 recordings \(Begin File\) but has no 'File Offset \(s\)' column.*Fix: add the 'File Offset \(s\)' measurement/);
    assert.throws(() => readAnnotations(file('g.csv', 'IN FILE,OFFSET,DURATION\n')), /no usable annotation rows in .*g\.csv: they hold no calls/);
    assert.throws(() => readAnnotations(join(dir, 'missing.csv')), /annotations .*missing\.csv do not exist\. Fix: pass --annotations/);
    mkdirSync(join(dir, 'empty'));
    assert.throws(() => readAnnotations(join(dir, 'empty')), /holds no annotation files/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder of tables is read whole, recursively; companion files beside them are left to their readers', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'site-b'));
    writeFileSync(join(dir, 'r1.Table.1.selections.txt'), readFileSync(WHALE, 'utf8').split('\n').slice(0, 1).join('\n') + '\n');
    writeFileSync(join(dir, 'site-b', '20160802_202509.txt'), readFileSync(WHALE, 'utf8'));
    writeFileSync(join(dir, 'labels_counts.csv'), 'recording,capuchin_calls\nr1.wav,0\n');
    const set = readAnnotations(dir);
    assert.equal(set.sources.length, 2);
    // an empty per-recording table: its recording was annotated and holds no calls
    assert.deepEqual([...set.byRecording.entries()].map(([r, c]) => [r, c.length]), [['r1', 0], ['20160802_202509.wav', 8]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
