/**
 * Field windows of a labelled recording: positives on calls, clear negatives, and hard negatives on the
 * detections a reviewer rejected (never near a call); the epoch draws them; the field config validates them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExperimentConfig } from '../model/experimentConfig.ts';
import { createRng } from '../util/random.ts';
import type { ExampleSpec } from './augment.ts';
import { sampleFieldSpecs } from './epoch.ts';
import { DEFAULT_FIELD_WINDOWS, fieldWindowRanges } from './field.ts';

const FPS = 50; // 20 ms hops
const W = 3; // 3 s windows
const WROWS = W * FPS + 1;
const ROWS = 60 * FPS; // one minute
const OPTS = { windowSec: W, ...DEFAULT_FIELD_WINDOWS };
const CALLS = [{ start_s: 10, end_s: 14.1 }];

/** Seconds of a window start row overlapping [s, e]. */
const overlap = (row: number, s: number, e: number) => Math.min(row / FPS + W, e) - Math.max(row / FPS, s);
const clearOfCalls = (row: number) => CALLS.every((c) => row / FPS + W <= c.start_s - OPTS.clearSec + 1e-9 || row / FPS >= c.end_s + OPTS.clearSec - 1e-9);

test('without rejected detections the ranges are as before (no hard list)', () => {
  const r = fieldWindowRanges(ROWS, WROWS, FPS, CALLS, OPTS);
  assert.equal(r.hard, undefined);
  assert.deepEqual(r.positives, [[475, 580]]);
  assert.deepEqual(r.negatives, [[0, 300], [755, ROWS - WROWS]]);
});

test('a rejected detection gives the clear windows that cover at least half a window of it', () => {
  const rejected = [{ start_s: 30, end_s: 34.1 }];
  const r = fieldWindowRanges(ROWS, WROWS, FPS, CALLS, OPTS, rejected);
  assert.deepEqual(r.positives, fieldWindowRanges(ROWS, WROWS, FPS, CALLS, OPTS).positives, 'positives do not change');
  // t ∈ [30 + 1.5 − 3, 34.1 − 1.5] s = [28.5, 32.6] s = rows [1425, 1630]
  assert.deepEqual(r.hard, [[[1425, 1630]]]);
  for (const [a, b] of r.hard![0]) {
    assert.ok(overlap(a, 30, 34.1) >= W / 2 - 1e-9 && overlap(b, 30, 34.1) >= W / 2 - 1e-9);
    assert.ok(overlap(a - 1, 30, 34.1) < W / 2 && overlap(b + 1, 30, 34.1) < W / 2, 'the interval is the widest one');
  }
});

test('a rejected detection beside a call keeps only the windows clear of the call; one on the call gives none', () => {
  // 15–19 s: the call ends at 14.1 s, so windows must start at or after 15.1 s (clearSec 1)
  const r = fieldWindowRanges(ROWS, WROWS, FPS, CALLS, OPTS, [{ start_s: 15, end_s: 19 }, { start_s: 11, end_s: 13 }]);
  assert.equal(r.hard!.length, 1, 'the detection on the call gives no hard negative');
  const [[a, b]] = r.hard![0];
  assert.equal(a, 755, 'starts where the clear stretch starts');
  assert.equal(b, Math.floor((19 - 1.5) * FPS));
  for (let row = a; row <= b; row++) assert.ok(clearOfCalls(row), `row ${row} is near the call`);
  // every hard interval lies inside the negatives
  for (const [x, y] of r.hard!.flat()) assert.ok(r.negatives.some(([n0, n1]) => x >= n0 && y <= n1));
});

test('a short rejected detection needs all of it covered; ones at the ends are clipped to the recording', () => {
  const r = fieldWindowRanges(ROWS, WROWS, FPS, [], OPTS, [{ start_s: 40, end_s: 41 }, { start_s: 0, end_s: 2 }, { start_s: 58, end_s: 60 }]);
  // 1 s span: t ∈ [41 − 3, 40] s
  assert.deepEqual(r.hard![0], [[38 * FPS, 40 * FPS]]);
  assert.deepEqual(r.hard![1], [[0, 0.5 * FPS]]);
  assert.deepEqual(r.hard![2], [[Math.ceil(56.5 * FPS), ROWS - WROWS]]);
});

test('sampleFieldSpecs draws hardNegativesPerDetection negatives on each rejected detection', () => {
  const ranges = fieldWindowRanges(ROWS, WROWS, FPS, CALLS, OPTS, [{ start_s: 30, end_s: 34.1 }, { start_s: 45, end_s: 49.1 }]);
  const plan = { items: [7], ranges: [ranges], positivesPerCall: 2, negativesPerRecording: 0, hardNegativesPerDetection: 3 };
  type FieldSpec = Extract<ExampleSpec, { source: 'field' }>;
  const specs = sampleFieldSpecs(plan, createRng(1)).filter((s): s is FieldSpec => s.source === 'field');
  assert.equal(specs.filter((s) => s.label === 1).length, 2);
  const hard = specs.filter((s) => s.label === 0);
  assert.equal(hard.length, 6);
  assert.ok(hard.every((s) => s.item === 7 && s.source === 'field'));
  assert.equal(hard.slice(0, 3).filter((s) => s.start >= 1425 && s.start <= 1630).length, 3, 'three on the first');
  assert.equal(hard.slice(3).filter((s) => overlap(s.start, 45, 49.1) >= W / 2 - 1e-9).length, 3, 'three on the second');
  // none without the key, or with 0; and the other draws do not change when there are no hard ranges
  assert.equal(sampleFieldSpecs({ ...plan, hardNegativesPerDetection: 0 }, createRng(1)).length, 2);
  const plain = fieldWindowRanges(ROWS, WROWS, FPS, CALLS, OPTS);
  const base = { items: [7], ranges: [plain], positivesPerCall: 2, negativesPerRecording: 8 };
  assert.deepEqual(sampleFieldSpecs({ ...base, hardNegativesPerDetection: 2 }, createRng(5)), sampleFieldSpecs(base, createRng(5)));
});

test('field.hardNegativesPerDetection: default 2, validated like the other field keys', () => {
  assert.equal(resolveExperimentConfig({ name: 'x' }).field.hardNegativesPerDetection, 2);
  assert.equal(resolveExperimentConfig({ name: 'x', field: { hardNegativesPerDetection: 0 } }).field.hardNegativesPerDetection, 0);
  assert.throws(() => resolveExperimentConfig({ name: 'x', field: { hardNegativesPerDetection: -1 } }, 'x.json'), /x\.json: .*field\.hardNegativesPerDetection/);
  assert.throws(() => resolveExperimentConfig({ name: 'x', field: { hardNegativesPerDetection: 1.5 } }, 'x.json'), /field\.hardNegativesPerDetection/);
});

/** Seconds of a call [s, e] inside the window starting at `row` of a `w`-second window. */
const held = (row: number, w: number, s: number, e: number) => Math.max(0, Math.min(row / FPS + w, e) - Math.max(row / FPS, s));

test('a positive holds minCoverage of a call shorter than, as long as, or longer than the window', () => {
  const opts = { windowSec: 1, labelling: 'presence' as const, minCoverage: 0.8, clearSec: 0.5, onsetSec: 0.1 };
  const wRows = FPS + 1; // 1 s windows
  for (const [s, e] of [[10, 10.4], [20, 21], [30, 32.5]]) {
    const need = 0.8 * Math.min(e - s, 1);
    const { positives, negatives } = fieldWindowRanges(ROWS, wRows, FPS, [{ start_s: s, end_s: e }], opts);
    assert.equal(positives.length, 1);
    const [a, b] = positives[0];
    // every start in the range holds enough of the call, and one row further either way does not
    for (let row = a; row <= b; row++) assert.ok(held(row, 1, s, e) >= need - 1e-9, `${e - s} s call: row ${row} holds ${held(row, 1, s, e)} s`);
    assert.ok(held(a - 1, 1, s, e) < need - 1e-9 && held(b + 1, 1, s, e) < need - 1e-9, `${e - s} s call: [${a}, ${b}] is the widest range`);
    // a 0.4 s call needs 0.32 s of it: starts from 0.68 s before it begins to 0.08 s after; a 2.5 s call needs 0.8 s of a 1 s window
    if (e - s < 1) assert.deepEqual([a, b], [Math.round((s - 0.68) * FPS), Math.round((s + 0.08) * FPS)]);
    if (e - s > 1) assert.deepEqual([a, b], [Math.round((s - 0.2) * FPS), Math.round((e - 0.8) * FPS)]);
    // negatives stay clearSec from the call
    for (const [x, y] of negatives) for (const row of [x, y]) assert.ok(row / FPS + 1 <= s - 0.5 + 1e-9 || row / FPS >= e + 0.5 - 1e-9);
  }
});

test('with onset labelling a positive is centred on a call start and negatives are centred clear of every start, inside calls too', () => {
  const opts = { windowSec: 1.2, labelling: 'onset' as const, minCoverage: 0.8, clearSec: 0.25, onsetSec: 0.1 };
  const wRows = Math.round(1.2 * FPS) + 1;
  // three calls closer together than a window: a note, then a whistle that starts as the note ends, then one overlapping it
  const calls = [{ start_s: 10, end_s: 10.6 }, { start_s: 10.6, end_s: 12.6 }, { start_s: 12.3, end_s: 13 }];
  const r = fieldWindowRanges(ROWS, wRows, FPS, calls, opts);
  const centre = (row: number) => row / FPS + 0.6;
  assert.equal(r.positives.length, 3, 'one positive range per call');
  r.positives.forEach(([a, b], i) => {
    for (let row = a; row <= b; row++) assert.ok(Math.abs(centre(row) - calls[i].start_s) <= 0.1 + 1e-9);
    assert.ok(Math.abs(centre(a - 1) - calls[i].start_s) > 0.1 && Math.abs(centre(b + 1) - calls[i].start_s) > 0.1);
  });
  const negative = new Set(r.negatives.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, k) => a + k)));
  for (let row = 0; row <= ROWS - wRows; row++) {
    const distance = Math.min(...calls.map((c) => Math.abs(centre(row) - c.start_s)));
    assert.equal(negative.has(row), distance >= 0.25 - 1e-9, `row ${row}: centre ${centre(row)} s is ${distance} s from a start`);
  }
  // windows centred inside the whistle, away from any start, are negatives
  assert.ok(negative.has(Math.round((11.6 - 0.6) * FPS)));
  // background never overlaps a call
  for (const [a, b] of r.background) for (const row of [a, b]) assert.ok(calls.every((c) => held(row, 1.2, c.start_s, c.end_s) === 0));
});

test("field recordings keep the windows past their end, cached under the whole feature config (a PCEN change is not served stale)", async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { loadFieldRecordings } = await import('./field.ts');
  const { frameView } = await import('./frames.ts');
  const { REPO_ROOT, FOREST_DIR } = await import('./paths.ts');
  const file = join(REPO_ROOT, 'data', 'field-sample', FOREST_DIR, 'recording_07_excerpt.mp3');
  const cacheDir = mkdtempSync(join(tmpdir(), 'capuchin-endcache-'));
  try {
    const feature = { kind: 'pcen' as const, melBins: 48, fminHz: 100, fmaxHz: 5000, frameLength: 400, hopLength: 320, fftLength: 512 };
    const load = (f: object) => loadFieldRecordings([file], f, { cacheDir, endWindowHopFrames: 25, onProgress: () => {} }).then((d) => frameView(d.endWindows, 0));
    const first = await load(feature);
    // the windows after the last whole one that still hold ≥ 1.5 s of the 16 s (which ones: tuningTracks.test.ts
    // checks them against count's)
    assert.ok(first.rows >= 1 && first.rows <= 3, `${first.rows} end windows`);
    assert.equal(first.cols, 149 * 48);
    assert.deepEqual(Array.from((await load(feature)).data), Array.from(first.data), 'read back from the cache');
    const other = await load({ ...feature, pcenGain: 0.8 });
    assert.equal(other.rows, first.rows);
    assert.ok(other.data.some((v, i) => Math.abs(v - first.data[i]) > 1e-3), 'another PCEN gain gives other end windows, not the cached ones');
    const none = await loadFieldRecordings([file], feature, { cacheDir, onProgress: () => {} });
    assert.equal(frameView(none.endWindows, 0).rows, 0, 'none unless asked for');
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
