/**
 * The review curve's machinery without training: the simulated reviewer on the sample's real labels
 * (and its files read back as training labels with hard negatives), the seeded review order, the
 * batch checks, and the CSV / compare.html writer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../util/__fixtures__/tempDir.ts';
import { readFieldLabels } from '../data/fieldLabels.ts';
import { DEFAULT_FIELD_WINDOWS, fieldWindowRanges } from '../data/field.ts';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';
import { resolveRecordingRoles } from '../data/roles.ts';
import { readLabelledRecordings } from '../records/labels.ts';
import { labelledRecordingsCsv, readVerdictsCsv, writeVerdictsCsv } from '../records/verdicts.ts';
import { REVIEW_CURVE_COLUMNS, reviewCurveCsv, targetMet, writeReviewCurve, type ReviewCurveRow } from '../report/reviewCurveReport.ts';
import { checkBatches, reviewOrder, simulateReview } from './reviewCurve.ts';


const SAMPLE = readLabelledRecordings(join(SAMPLE_DATA_DIR, 'labels_calls.csv'));
const EXCERPT = 'recording_46_excerpt.mp3';

test('the sample labels are what the tests below assume', () => {
  assert.deepEqual(SAMPLE.get(EXCERPT), [{ start_s: 2.57, end_s: 6.67 }, { start_s: 12.47, end_s: 16.57 }, { start_s: 19.81, end_s: 23.91 }]);
});

test('simulated reviewer: a detection matching a call is accepted (one per call), the rest rejected, missed calls added', () => {
  const labels = new Map([...SAMPLE, ['recording_05.mp3', []]]);
  const detections = new Map([
    [
      EXCERPT,
      [
        { start_s: 13.1, end_s: 17.2, score: 0.81 }, // second call, 0.63 s late
        { start_s: 2.9, end_s: 7.0, score: 0.95 }, // first call
        { start_s: 8.0, end_s: 11.0, score: 0.55 }, // nothing there
        { start_s: 12.6, end_s: 16.7, score: 0.9 }, // second call, closer: this one is accepted
      ],
    ],
  ]);
  const review = simulateReview([EXCERPT, 'recording_05.mp3'], labels, detections);
  assert.deepEqual(review.verdicts, [
    { recording: EXCERPT, detection: 1, start_s: 2.9, end_s: 7.0, verdict: 'accept', score: 0.95 },
    { recording: EXCERPT, detection: 2, start_s: 8.0, end_s: 11.0, verdict: 'reject', score: 0.55 },
    { recording: EXCERPT, detection: 3, start_s: 12.6, end_s: 16.7, verdict: 'accept', score: 0.9 },
    { recording: EXCERPT, detection: 4, start_s: 13.1, end_s: 17.2, verdict: 'reject', score: 0.81 },
    { recording: EXCERPT, detection: 5, start_s: 19.81, end_s: 23.91, verdict: 'added', score: null },
  ]);
  assert.deepEqual([review.accepted, review.rejected, review.added], [2, 2, 1]);
  // reviewed_calls.csv is the labels of the reviewed recordings, one without calls included
  assert.deepEqual([...review.reviewed.entries()], [['recording_05.mp3', []], [EXCERPT, SAMPLE.get(EXCERPT)]]);
  // a recording the labels do not have cannot be reviewed from them
  assert.throws(() => simulateReview(['recording_07.mp3'], labels, detections), /recording_07\.mp3 has no labels.*Fix:/);
});

test("the simulated reviewer's files train: hard negatives read back, none of their windows near a call", () => {
  const dir = tempDir('capuchin-review-curve-');
  const detections = new Map([[EXCERPT, [{ start_s: 2.6, end_s: 6.7, score: 0.9 }, { start_s: 7.4, end_s: 11.5, score: 0.6 }, { start_s: 19.9, end_s: 24, score: 0.8 }]]]);
  const review = simulateReview([EXCERPT], SAMPLE, detections);
  const calls = join(dir, 'reviewed_calls.csv');
  writeFileSync(calls, labelledRecordingsCsv(review.reviewed));
  writeVerdictsCsv(join(dir, 'verdicts.csv'), review.verdicts);
  assert.deepEqual(readVerdictsCsv(join(dir, 'verdicts.csv')).map((v) => v.verdict), ['accept', 'reject', 'accept', 'added']);
  // the excerpt is a held-out recording: made field data here only to read it as training labels
  const read = readFieldLabels(calls, resolveRecordingRoles({ field: /_excerpt/, holdout: /^none$/ }));
  assert.deepEqual([...read.labels.entries()], [[EXCERPT, SAMPLE.get(EXCERPT)]]);
  assert.equal(read.hardNegatives, 1);
  assert.deepEqual(read.rejected.get(EXCERPT), [{ start_s: 7.4, end_s: 11.5 }]);
  const fps = 50;
  const ranges = fieldWindowRanges(26 * fps, 3 * fps + 1, fps, read.labels.get(EXCERPT)!, { windowSec: 3, ...DEFAULT_FIELD_WINDOWS }, read.rejected.get(EXCERPT));
  // between the calls ending 6.67 s and starting 12.47 s, a 3 s window 1 s clear of both starts at rows 384–423 (7.68–8.46 s)
  assert.deepEqual(ranges.hard, [[[384, 423]]]);
});

test('review order: a seeded permutation; batches are prefixes of it; batch sizes are checked', () => {
  const names = Array.from({ length: 40 }, (_, i) => `recording_${String(i).padStart(2, '0')}.mp3`);
  const order = reviewOrder([...names].reverse(), 42);
  assert.deepEqual([...order].sort(), names);
  assert.deepEqual(reviewOrder(names, 42), order, 'the input order does not matter');
  assert.notDeepEqual(reviewOrder(names, 43), order);
  assert.notDeepEqual(order, names);
  assert.deepEqual(checkBatches([40, 0, 5, 10, 20, 5], 40), [0, 5, 10, 20, 40]);
  assert.throws(() => checkBatches([0, 41], 40), /batch size 41 is more than the 40 labelled field recordings\. Fix:/);
  assert.throws(() => checkBatches([-1], 40), /not a whole number/);
  assert.throws(() => checkBatches([], 40), /no batch sizes/);
});

const row = (batch: number, n: number, mae: number | null, f1: number | null): ReviewCurveRow => ({
  batch,
  reviewedRecordings: n,
  recordings: ['recording_12.mp3', 'recording_03.mp3', 'recording_30.mp3'].slice(0, n),
  calls: 2 * n,
  hardNegatives: n,
  mae,
  exact: mae === null ? null : 0.9,
  eventPrecision: f1,
  eventRecall: f1,
  eventF1: f1,
  trainSeconds: 250.04 + n,
  experimentDir: `reviewed-${n}/experiment`,
});

test('review_curve.csv and compare.html: one row per batch, the plot of MAE and event F1 with the target line', () => {
  const dir = tempDir('capuchin-review-curve-out-');
  const rows = [row(1, 0, 0.3, 0.9412), row(2, 2, 0.1, 0.97777), row(3, 3, null, null)];
  const written = writeReviewCurve(dir, rows, { config: 'mel', seed: 42, holdout: ['recording_40.mp3', 'recording_41.mp3'], order: ['recording_12.mp3', 'recording_03.mp3', 'recording_30.mp3'] });
  assert.deepEqual(written, [join(dir, 'review_curve.csv'), join(dir, 'compare.html')]);
  const csv = readFileSync(join(dir, 'review_curve.csv'), 'utf8');
  assert.equal(csv, reviewCurveCsv(rows));
  assert.deepEqual(csv.trim().split('\n'), [
    REVIEW_CURVE_COLUMNS.join(','),
    '1,0,,0,0,0.3,0.9,0.9412,0.9412,0.9412,250',
    '2,2,recording_12.mp3;recording_03.mp3,4,2,0.1,0.9,0.9778,0.9778,0.9778,252',
    '3,3,recording_12.mp3;recording_03.mp3;recording_30.mp3,6,3,,,,,,253',
  ]);
  const html = readFileSync(join(dir, 'compare.html'), 'utf8');
  const figures = JSON.parse(html.match(/<script type="application\/json" id="capuchin-figures">(.*?)<\/script>/s)![1]) as { data: { name: string; x: number[]; y: (number | null)[]; yaxis?: string }[] }[];
  assert.equal(figures.length, 1);
  const [mae, f1, target] = figures[0].data;
  assert.deepEqual([mae.x, mae.y], [[0, 2, 3], [0.3, 0.1, null]]);
  assert.deepEqual([f1.x, f1.y, f1.yaxis], [[0, 2, 3], [0.9412, 0.97777, null], 'y2']);
  assert.deepEqual([target.name, target.y], ['target MAE 0.1', [0.1, 0.1]]);
  assert.match(html, /met with 2 reviewed \(MAE 0\.1\)/);
  assert.match(html, /href="reviewed-2\/experiment\/report\.html"/);
  assert.equal(targetMet([row(1, 0, 0.3, 0.9), row(2, 20, 0.0, 1)]), null, 'only ≤ 10 reviewed count for the target');
});
