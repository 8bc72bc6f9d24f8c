import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDetectorConfig } from './config.ts';
import { screenGrid, screenedTrack } from './screenGrid.ts';

// A 40-window track with one call (windows 10-20 high); the screening scores are the exact ones, a little
// lower, except at window 30, where the screening misses a lone exact 0.9 far from anything it sees.
const exact = Float32Array.from({ length: 40 }, (_, i) => (i >= 10 && i <= 20 ? 0.9 : i === 30 ? 0.9 : 0.01));
const screening = Float32Array.from(exact, (v, i) => (i === 30 ? 0.01 : v * 0.9));

test('screenedTrack keeps the exact score within radius of a screening score ≥ below, the screening score elsewhere', () => {
  const { scores, exactWindows } = screenedTrack({ exact, screening }, 0.5, 2);
  assert.equal(exactWindows, 15); // windows 8–22
  assert.equal(scores[8], exact[8]);
  assert.equal(scores[22], exact[22]);
  assert.equal(scores[7], screening[7]);
  assert.equal(scores[30], screening[30]);
  const none = screenedTrack({ exact, screening }, 0, 0); // below 0: every window exactly
  assert.equal(none.exactWindows, 40);
  assert.deepEqual(none.scores, exact);
  assert.throws(() => screenedTrack({ exact, screening: screening.subarray(1) }, 0.5, 2), /39 screening scores for 40 windows/);
});

test('screenGrid reports the exact share, changed counts and the largest score difference per setting', () => {
  const detector = resolveDetectorConfig({ minEventSec: 1, minPeakDistanceSec: 3 });
  const rows = screenGrid([{ recording: 'r.wav', durationSec: 22.5, exact, screening }], detector, [0.5], [0, 2]);
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.equal(r.recordings, 1);
    // the lone exact window at 30 is a one-window spike the detector drops either way, so the count holds
    assert.equal(r.countsDiffer, 0);
    assert.ok(Math.abs(r.maxScoreDiff - 0.89) < 1e-6, `max diff ${r.maxScoreDiff}`);
  }
  assert.ok(rows[0].exactShare < rows[1].exactShare);
});
