/**
 * The detector of an onset-labelled target: a track that peaks where a call starts (window i centred at
 * i·hop − leadSec + window/2) gives one event per start, also for starts closer together than a window and in the
 * first half-window of a recording; the grid is in units of the call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveTarget } from '../data/target.ts';
import { scoreTrackToEvents, windowCentre } from './events.ts';
import { targetDetector, targetLeadSec, targetTuneGrid } from './targetDetector.ts';

const target = deriveTarget({
  name: 'notes',
  calls: [0, 1, 2].flatMap((b) => [{ recording: 'r', start_s: 10 * b, end_s: 10 * b + 0.6 }, { recording: 'r', start_s: 10 * b + 0.6, end_s: 10 * b + 1.4 }]),
}).target;

/** What an onset-labelled model would say: high when the window's centre is within `reach` of a start. */
function onsetTrack(starts: number[], durationSec: number, reach: number): Float32Array {
  const det = targetDetector(target);
  const n = Math.floor((durationSec + 2 * det.leadSec - det.windowSec) / det.hopSec) + 1;
  return Float32Array.from({ length: n }, (_, i) => {
    const d = Math.min(...starts.map((s) => Math.abs(windowCentre(i, det) - s)));
    return Math.max(0.02, 1 - Math.max(0, d - reach / 2) / reach);
  });
}

test('onset labelling: one event per call start, starts closer than a window apart and in the first half-window included', () => {
  assert.equal(target.labelling, 'onset');
  const det = targetDetector(target);
  assert.equal(det.anchor, 'onset');
  assert.equal(det.leadSec, targetLeadSec(target));
  assert.ok(det.leadSec >= target.windowSec / 2 - target.hopSec / 2, 'half a window of silence before the recording');
  const starts = [0.15, 0.95, 1.6, 5, 5.55, 12];
  assert.ok(starts[1] - starts[0] < target.windowSec && starts[2] - starts[1] < target.windowSec, 'calls closer together than a window');
  const events = scoreTrackToEvents(onsetTrack(starts, 13, 0.2), det, { durationSec: 13 });
  assert.equal(events.length, starts.length, events.map((e) => e.start_s.toFixed(2)).join(', '));
  events.forEach((e, k) => assert.ok(Math.abs(e.start_s - starts[k]) <= 0.08, `event ${k} at ${e.start_s} s, call at ${starts[k]} s`));
  assert.ok(events.every((e) => Math.abs(e.end_s - e.start_s - target.callSec) < 1e-9));
  // without the lead the same track reads every start half a window late
  const late = scoreTrackToEvents(onsetTrack(starts, 13, 0.2), { ...det, leadSec: 0 }, { durationSec: 13 });
  assert.ok(Math.abs(late[0].start_s - starts[0] - det.leadSec) < 0.08);
});

test('the grid of an onset-labelled target is in hops and calls', () => {
  const grid = targetTuneGrid(target);
  assert.deepEqual(grid.minEventSec, [1, 2, 3].map((k) => Math.round(k * target.hopSec * 1000) / 1000));
  assert.deepEqual(grid.minPeakDistanceSec, [0.25, 0.4, 0.55, 0.75].map((f) => Math.round(f * target.callSec * 1000) / 1000));
  const presence = { ...target, labelling: 'presence' as const };
  assert.deepEqual(targetTuneGrid(presence).minPeakDistanceSec, [0.5, 0.75, 1, 1.25].map((f) => Math.round(f * target.callSec * 1000) / 1000));
  assert.equal(targetDetector(presence).leadSec, 0);
});
