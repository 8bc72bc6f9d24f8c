import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCounts, matchStarts, type CallLabel, type CountLabel } from './countEval.ts';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';

// the embedded sample's labels: recording_46_excerpt.mp3 has calls at 2.57, 12.47, 19.81 s (data/sample/labels_calls.csv)
function sampleLabels(): { counts: CountLabel[]; calls: CallLabel[] } {
  const rows = (f: string) => readFileSync(join(SAMPLE_DATA_DIR, f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  return {
    counts: rows('labels_counts.csv').map(([recording, n]) => ({ recording, capuchin_calls: Number(n) })),
    calls: rows('labels_calls.csv').map(([recording, i, s, e]) => ({ recording, call_index: +i, start_s: +s, end_s: +e })),
  };
}

test('matching is one-to-one and greedy by distance, within the tolerance', () => {
  // detection 0 (10.4) is closest to label 1 (10.5); label 0 (9.6) then takes detection 1 (9.0)
  assert.deepEqual(
    matchStarts([10.4, 9.0], [9.6, 10.5], 1.0).map(([d, l]) => [d, l]),
    [[0, 1], [1, 0]],
  );
  // one detection cannot match two labels
  assert.equal(matchStarts([5], [4.5, 5.5], 1.0).length, 1);
  // just outside the tolerance
  assert.equal(matchStarts([5], [6.01], 1.0).length, 0);
  assert.equal(matchStarts([5], [6.0], 1.0).length, 1);
});

test('perfect results on the embedded sample', () => {
  const { counts, calls } = sampleLabels();
  const report = evaluateCounts(
    [{ recording: 'recording_46_excerpt.mp3', count: 3 }],
    counts,
    calls,
    [2.91, 12.11, 20.51].map((start_s) => ({ recording: 'recording_46_excerpt.mp3', start_s })),
  );
  assert.equal(report.mae, 0);
  assert.equal(report.exactRate, 1);
  assert.deepEqual(
    { tp: report.events!.tp, fp: report.events!.fp, fn: report.events!.fn, f1: report.events!.f1 },
    { tp: 3, fp: 0, fn: 0, f1: 1 },
  );
  // |2.91 − 2.57| = 0.34, |12.11 − 12.47| = 0.36, |20.51 − 19.81| = 0.70
  assert.ok(Math.abs(report.events!.meanStartErrorSec! - (0.34 + 0.36 + 0.7) / 3) < 1e-9);
});

test('count errors, missing and undecodable recordings, unlabelled results', () => {
  const labels: CountLabel[] = [
    { recording: 'a.mp3', capuchin_calls: 5 },
    { recording: 'b.mp3', capuchin_calls: 0 },
    { recording: 'c.mp3', capuchin_calls: 2 },
    { recording: 'd.mp3', capuchin_calls: 1 },
  ];
  const report = evaluateCounts(
    [
      { recording: 'a.mp3', count: 3 },
      { recording: 'b.mp3', count: 0 },
      { recording: 'c.mp3', count: null },
      { recording: 'x.mp3', count: 4 },
    ],
    labels,
  );
  assert.deepEqual(
    report.recordings.map((r) => [r.recording, r.status, r.absError, r.exact]),
    [
      ['a.mp3', 'ok', 2, false],
      ['b.mp3', 'ok', 0, true],
      ['c.mp3', 'undecodable', 2, false],
      ['d.mp3', 'missing', 1, false],
    ],
  );
  assert.equal(report.mae, (2 + 0 + 2 + 1) / 4);
  assert.equal(report.bias, (-2 + 0 - 2 - 1) / 4);
  assert.equal(report.exactRate, 0.25);
  assert.deepEqual(report.missing, ['d.mp3']);
  assert.deepEqual(report.undecodable, ['c.mp3']);
  assert.deepEqual(report.unlabelled, ['x.mp3']);
  assert.equal(report.events, undefined);
});

test('event precision, recall and F1 per recording and overall', () => {
  const labels: CountLabel[] = [
    { recording: 'a', capuchin_calls: 2 },
    { recording: 'b', capuchin_calls: 0 },
  ];
  const calls: CallLabel[] = [
    { recording: 'a', call_index: 0, start_s: 10, end_s: 14.1 },
    { recording: 'a', call_index: 1, start_s: 30, end_s: 34.1 },
  ];
  const detections = [
    { recording: 'a', start_s: 10.5 }, // TP
    { recording: 'a', start_s: 32 }, // 2 s late: FP, and label 30 is a FN
    { recording: 'b', start_s: 5 }, // FP in a recording without calls
  ];
  const report = evaluateCounts(
    [
      { recording: 'a', count: 2 },
      { recording: 'b', count: 1 },
    ],
    labels,
    calls,
    detections,
  );
  const a = report.recordings[0].events!;
  assert.deepEqual([a.tp, a.fp, a.fn, a.precision, a.recall, a.f1], [1, 1, 1, 0.5, 0.5, 0.5]);
  const b = report.recordings[1].events!;
  assert.deepEqual([b.tp, b.fp, b.fn, b.precision, b.recall, b.f1], [0, 1, 0, 0, null, 0]);
  const all = report.events!;
  assert.deepEqual([all.tp, all.fp, all.fn], [1, 2, 1]);
  assert.equal(all.precision, 1 / 3);
  assert.equal(all.recall, 0.5);
  assert.equal(all.f1, 2 / (2 + 2 + 1));
  assert.equal(all.toleranceSec, 1);
  // a looser tolerance turns the late detection into a match
  assert.equal(evaluateCounts([{ recording: 'a', count: 2 }], labels.slice(0, 1), calls, detections, { toleranceSec: 2.5 }).events!.tp, 2);
});

test('inconsistent inputs fail with the recording named', () => {
  const { counts, calls } = sampleLabels();
  assert.throws(
    () => evaluateCounts([], counts, calls.slice(0, 2)),
    /call labels have 2 call\(s\) for recording_46_excerpt\.mp3 but the count labels say 3/,
  );
  assert.throws(
    () => evaluateCounts([{ recording: 'r', count: 1 }, { recording: 'r', count: 2 }], counts),
    /results lists r twice/,
  );
});

test('no labelled recordings gives zeros, not NaN', () => {
  const report = evaluateCounts([], []);
  assert.equal(report.n, 0);
  assert.equal(report.mae, 0);
});
