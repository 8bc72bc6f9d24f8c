import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDetectorConfig } from './config.ts';
import { scoreTrackToEvents, smoothTrack } from './events.ts';
import { mulberry32, simulateScoreTrack, windowCount, type SyntheticCall } from './__fixtures__/syntheticTrack.ts';
import { matchStarts } from '../evaluate/countEval.ts';

const cfg = resolveDetectorConfig();
const call = (start: number, extra: Partial<SyntheticCall> = {}): SyntheticCall => ({ start_s: start, end_s: start + 4.1, ...extra });

function assertStartsNear(got: number[], want: number[], tol: number) {
  assert.equal(got.length, want.length, `expected ${want.length} events, got ${got.length}: ${got.map((s) => s.toFixed(2))}`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol, `event ${i} starts at ${g.toFixed(2)} s, label ${want[i]} s`));
}

test('the synthetic scorer covers the recording with full windows', () => {
  assert.equal(windowCount(180, 3, 0.5), 355);
  assert.equal(windowCount(2, 3, 0.5), 0);
  const track = simulateScoreTrack({ durationSec: 20, calls: [call(8)] });
  assert.equal(track.length, 35);
  assert.ok(track[16] > 0.99, 'window [8, 11] lies inside the call'); // i*0.5 = 8
  assert.ok(track[0] < 0.01);
});

test('smoothing: mean keeps a third of a one-window valley, median erases it', () => {
  const s = Float32Array.from([1, 1, 0.1, 1, 1]);
  assert.ok(Math.abs(smoothTrack(s, 'mean', 3)[2] - 0.7) < 1e-6);
  assert.equal(smoothTrack(s, 'median', 3)[2], 1);
  assert.deepEqual(Array.from(smoothTrack(s, 'none', 3)), Array.from(s));
  // edges use the windows that exist
  assert.ok(Math.abs(smoothTrack(Float32Array.from([0, 0.9, 0]), 'mean', 3)[0] - 0.45) < 1e-6);
});

test('one isolated call gives one event whose start is the call start', () => {
  const events = scoreTrackToEvents(simulateScoreTrack({ durationSec: 60, calls: [call(20.3)] }), cfg, { durationSec: 60 });
  assertStartsNear(events.map((e) => e.start_s), [20.3], 0.3);
  assert.ok(Math.abs(events[0].end_s - events[0].start_s - 4.1) < 1e-9);
  assert.ok(events[0].peak_score > 0.95);
  assert.ok(events[0].peak_s > 20.3 && events[0].peak_s < 24.4, 'the peak window is centred on the call');
});

test('calls every ~7 s (touching runs) stay separate: 25 calls like recording_08', () => {
  const rand = mulberry32(8);
  const starts: number[] = [];
  for (let t = 2.08; starts.length < 25; t += 6.62 + 0.5 * rand()) starts.push(+t.toFixed(2));
  // a lenient model: fires from 20 % coverage, so neighbouring calls' runs merge at offThreshold
  const track = simulateScoreTrack({ durationSec: 180, calls: starts.map((s) => call(s)), midCoverage: 0.2, slope: 15, noiseSd: 0.05, seed: 3 });
  const events = scoreTrackToEvents(track, cfg, { durationSec: 180 });
  assertStartsNear(events.map((e) => e.start_s), starts, 1.0);
});

test('a dip in the middle of a call (another bird drowns it) stays one event', () => {
  // windows centred on the middle of the call score a quarter of what they should
  const track = simulateScoreTrack({ durationSec: 70, calls: [call(30)], dips: [{ from_s: 31.4, to_s: 32.6, factor: 0.25 }], seed: 2, noiseSd: 0.03 });
  const s = smoothTrack(track, cfg.smoothing, cfg.smoothingWindows);
  const inCall = Array.from(s.subarray(57, 68));
  assert.ok(Math.min(...inCall) < cfg.offThreshold, `the dip must fall below offThreshold: ${inCall.map((v) => v.toFixed(2))}`);
  assertStartsNear(scoreTrackToEvents(track, cfg).map((e) => e.start_s), [30], 1.0);
  // without bridging, the two humps would be counted as two calls: the bridge is what keeps it one
  assert.equal(scoreTrackToEvents(track, resolveDetectorConfig({ minGapSec: 0, minEventSec: 0.5 })).length, 2);
});

test('a dip below offThreshold shorter than minGapSec is bridged; without bridging it splits', () => {
  const hi = (n: number) => Array(n).fill(0.95);
  const lo = (n: number) => Array(n).fill(0.02);
  const track = Float32Array.from([...lo(10), ...hi(5), ...lo(2), ...hi(5), ...lo(10)]);
  const plain = { smoothing: 'none', minEventSec: 2 } as const;
  assert.equal(scoreTrackToEvents(track, resolveDetectorConfig({ ...plain, minGapSec: 1.5 })).length, 1);
  assert.equal(scoreTrackToEvents(track, resolveDetectorConfig({ ...plain, minGapSec: 0.5 })).length, 2);
});

test('calls at the very start and the very end of the file are found', () => {
  const calls = [call(0), call(55.9)];
  const track = simulateScoreTrack({ durationSec: 60, calls, noiseSd: 0.03, seed: 5 });
  const events = scoreTrackToEvents(track, cfg, { durationSec: 60 });
  assertStartsNear(events.map((e) => e.start_s), [0, 55.9], 0.5);
  assert.ok(events[1].end_s <= 60, 'end_s is clamped to the recording');
});

test('isolated one- and two-window spikes are not calls', () => {
  const track = simulateScoreTrack({ durationSec: 60, calls: [], noiseSd: 0.02, spikes: { 20: 1, 60: 0.98, 61: 0.97 } });
  assert.equal(scoreTrackToEvents(track, cfg).length, 0);
  // the same spikes counted with no smoothing and no minimum length: proves the filter is what removes them
  const loose = resolveDetectorConfig({ smoothing: 'none', minEventSec: 0 });
  assert.equal(scoreTrackToEvents(track, loose).length, 2);
});

test('a long run without a valley is one call, or noise past maxRunSec, never several calls', () => {
  const run = (sec: number) => Float32Array.from([...Array(10).fill(0), ...Array(Math.round(sec / 0.5)).fill(1), ...Array(10).fill(0)]);
  // 13 s and 60 s of saturated scores (the model firing on a whole background): one event each by default
  assert.equal(scoreTrackToEvents(run(13), cfg).length, 1);
  assert.equal(scoreTrackToEvents(run(60), cfg).length, 1);
  // with a ceiling on what one call can light up, the 60 s run is dropped and the 13 s one kept
  const guarded = resolveDetectorConfig({ maxRunSec: 20 });
  assert.equal(scoreTrackToEvents(run(13), guarded).length, 1);
  assert.equal(scoreTrackToEvents(run(60), guarded).length, 0);
  // the removed splitter is refused by name
  assert.throws(() => resolveDetectorConfig({ maxEventSec: 8 }), /maxEventSec was removed/);
});

test('silence, empty tracks and bad scores', () => {
  assert.deepEqual(scoreTrackToEvents(new Float32Array(100), cfg), []);
  assert.deepEqual(scoreTrackToEvents(new Float32Array(0), cfg), []);
  assert.throws(() => scoreTrackToEvents(Float32Array.from([0.1, NaN]), cfg), /window 1 is NaN.*apply the sigmoid/);
  assert.throws(() => scoreTrackToEvents(Float32Array.from([3.2]), cfg), /window 0 is 3\.2/);
});

test('halfmax (default) estimates call starts better than the other estimators on noisy synthetic tracks', () => {
  const rand = mulberry32(42);
  const recall: Record<string, number> = {};
  const estimators = ['halfmax', 'peak', 'centroid', 'onset'] as const;
  for (const e of estimators) recall[e] = 0;
  let total = 0;
  for (let t = 0; t < 30; t++) {
    const starts: number[] = [];
    for (let x = 3 * rand(); x < 170; x += 6.6 + 15 * rand()) starts.push(x);
    const track = simulateScoreTrack({
      durationSec: 180,
      calls: starts.map((s) => call(s)),
      midCoverage: 0.25 + 0.45 * rand(),
      slope: 6 + 19 * rand(),
      noiseSd: 0.02 + 0.1 * rand(),
      seed: t,
    });
    total += starts.length;
    for (const e of estimators) {
      const got = scoreTrackToEvents(track, resolveDetectorConfig({ startEstimator: e }), { durationSec: 180 });
      recall[e] += matchStarts(got.map((g) => g.start_s), starts, 1.0).length;
    }
  }
  for (const e of estimators) recall[e] /= total;
  assert.ok(recall.halfmax > 0.97, `halfmax recall within ±1 s: ${recall.halfmax}`);
  for (const e of estimators.slice(1)) assert.ok(recall.halfmax > recall[e], `halfmax ${recall.halfmax} vs ${e} ${recall[e]}`);
});

test('a call cut by the end (or start) of a recording is judged on its peak, not on the minimum event length', () => {
  const cfg = resolveDetectorConfig({ smoothingWindows: 1, onThreshold: 0.8, offThreshold: 0.5, minEventSec: 2 });
  const track = (values: Record<number, number>, n = 40) => Float32Array.from({ length: n }, (_, i) => values[i] ?? 0.02);
  // three high windows (1.5 s < minEventSec): kept at the end or the start, dropped in the middle
  assert.equal(scoreTrackToEvents(track({ 37: 0.97, 38: 1, 39: 1 }), cfg).length, 1, 'at the end');
  assert.equal(scoreTrackToEvents(track({ 0: 1, 1: 1, 2: 0.9 }), cfg).length, 1, 'at the start');
  assert.equal(scoreTrackToEvents(track({ 20: 0.97, 21: 1, 22: 1 }), cfg).length, 0, 'in the middle: a spike');
  // and an edge part still needs the on threshold
  assert.equal(scoreTrackToEvents(track({ 38: 0.7, 39: 0.75 }), cfg).length, 0);
});
