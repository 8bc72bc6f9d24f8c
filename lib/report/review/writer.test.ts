import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resolveDetectorConfig } from '../../detect/config.ts';
import { reviewCandidates } from './candidates.ts';
import { REVIEW_INDEX_ELEMENT_ID, REVIEW_LOADED_CALLBACK, type ReviewIndex, type ReviewRecordingData } from './types.ts';
import { ReviewWriter, type ReviewInput } from './writer.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const detector = resolveDetectorConfig({ windowSec: 3 });

/** A fake recording of `sec` seconds: fresh arrays every time, as the counter hands them over. */
function fake(i: number, sec: number, bins = 64): ReviewInput {
  const rows = sec * 10;
  const data = new Float32Array(rows * bins);
  for (let k = 0; k < data.length; k += 7) data[k] = (k % 97) / 10;
  const scores = new Float32Array(Math.floor((sec - 3) / 0.5) + 1);
  scores[10] = 0.9; // the event's window (5–8 s)
  scores[40] = 0.4; // a candidate at 20 s: above off (0.3), no event
  return {
    recording: `site${i % 3}/rec_${String(i).padStart(4, '0')}.wav`,
    file: `/data/site${i % 3}/rec_${String(i).padStart(4, '0')}.wav`,
    count: 1,
    events: [{ start_s: 5, end_s: 8, peak_s: 6.5, peak_score: 0.9 }] as ReviewInput['events'],
    scored: { durationSec: sec, scores, image: { data, rows, cols: bins, hopSec: 0.1 }, audio: null, sampleRate: 16000 },
  };
}

const indexOf = (html: string): ReviewIndex => {
  const m = new RegExp(`<script id="${REVIEW_INDEX_ELEMENT_ID}" type="application/json">(.*?)</script>`, 's').exec(html);
  assert.ok(m, 'the index JSON is inlined');
  return JSON.parse(m[1]) as ReviewIndex;
};

test('the review writer streams: each recording is written when added and not kept, memory stays flat over 200 recordings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-review-'));
  try {
    const w = new ReviewWriter({ dir, title: 'stream test', detector, fminHz: 80, fmaxHz: 8000 });
    const used = () => (gc(), process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers);
    let after20 = 0;
    for (let i = 0; i < 200; i++) {
      w.add(fake(i, 300)); // 5 min: a 768 kB image each, 150 MB over the run if kept
      assert.ok(existsSync(join(dir, 'review', 'rec', `r${String(i + 1).padStart(5, '0')}.js`)), 'written as it is added');
      if (i === 19) after20 = used();
    }
    const growth = used() - after20;
    assert.ok(growth < 20e6, `memory grew by ${(growth / 1e6).toFixed(1)} MB over 180 recordings of 5 min (kept images would be 138 MB)`);
    w.finish();
    const html = readFileSync(join(dir, 'review.html'), 'utf8');
    assert.ok(html.length < 200 * 1024, `the index is light: ${html.length} bytes for 200 recordings`);
    const index = indexOf(html);
    assert.equal(index.recordings.length, 200);
    const ids = index.recordings.map((r) => r.recording);
    assert.deepEqual(ids, [...ids].sort(), 'sorted by recording id');
    assert.deepEqual(index.recordings[0].candidates, [{ time_s: 20, score: 0.4 }]);
    assert.equal(readdirSync(join(dir, 'review', 'rec')).length, 200);
    assert.ok(existsSync(join(dir, 'review', 'app.js')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a recording page: JSONP data with the score track, the quantised spectrogram and a relative link to the source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-review-'));
  try {
    const w = new ReviewWriter({ dir: join(dir, 'stage'), finalDir: join(dir, 'out'), title: 't', detector, fminHz: 80, fmaxHz: 8000 });
    const r = fake(1, 60);
    w.add({ ...r, recording: 'odd </script> name.mp3', file: join(dir, 'Forest Recordings', 'a b.mp3') });
    w.add({ recording: 'broken.mp3', file: join(dir, 'broken.mp3'), count: null, events: [], error: 'not an mp3' });
    w.finish();
    const index = indexOf(readFileSync(join(dir, 'stage', 'review.html'), 'utf8'));
    assert.deepEqual(index.recordings.map((x) => [x.recording, x.count, x.error]), [['broken.mp3', null, 'not an mp3'], ['odd </script> name.mp3', 1, undefined]]);
    const key = index.recordings[1].key;
    let got: ReviewRecordingData | undefined;
    runInNewContext(readFileSync(join(dir, 'stage', 'review', 'rec', `${key}.js`), 'utf8'), { [REVIEW_LOADED_CALLBACK]: (d: ReviewRecordingData) => (got = JSON.parse(JSON.stringify(d)) as ReviewRecordingData) });
    assert.ok(got);
    assert.equal(got.scores.length, r.scored!.scores.length);
    assert.equal(got.scores[10], 0.9);
    assert.deepEqual(got.audio, { kind: 'source', href: '../Forest%20Recordings/a%20b.mp3' }, 'relative to the final folder');
    const s = got.spectrogram!;
    assert.equal(s.rows, 600);
    assert.equal(Buffer.from(s.data, 'base64').length, s.rows * s.cols);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('candidates: the peak of each high run outside every event, highest first', () => {
  // windows every 1 s, 1 s long: run 1–3 is free, run 5–6 is the event's, run 8 is free
  const scores = [0, 0.35, 0.5, 0.35, 0, 0.9, 0.9, 0, 0.31, 0];
  const events = [{ start_s: 5.2, end_s: 6.5 }];
  assert.deepEqual(reviewCandidates(scores, events, { hopSec: 1, windowSec: 1, level: 0.3 }), [
    { time_s: 2, score: 0.5 },
    { time_s: 8, score: 0.31 },
  ]);
  // a run that reaches into an event is that event's, however far it goes on
  assert.deepEqual(reviewCandidates([0.9, 0.9, 0.9, 0.9, 0.9, 0], [{ start_s: 0, end_s: 1.5 }], { hopSec: 1, windowSec: 1, level: 0.3 }), []);
});
