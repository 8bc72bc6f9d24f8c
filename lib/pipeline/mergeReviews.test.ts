import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDetectorConfig } from '../detect/config.ts';
import { mergeReviews } from './mergeReviews.ts';
import { readReviewIndex, readReviewPage } from './readReview.ts';
import { fileOfHref, ReviewWriter, type ReviewInput } from '../report/review/writer.ts';

const detector = resolveDetectorConfig({ windowSec: 3 });

function input(file: string, withAudio: boolean): ReviewInput {
  const audio = withAudio ? Int16Array.from({ length: 16000 * 20 }, (_, i) => Math.round(8000 * Math.sin(i / 10))) : null;
  return {
    recording: file.split('/').pop()!,
    file,
    count: 1,
    events: [{ start_s: 4, end_s: 8.1, peak_s: 6, peak_score: 0.8 }] as ReviewInput['events'],
    scored: { durationSec: 20, scores: new Float32Array(35).fill(0.1), image: { data: new Float32Array(200 * 8), rows: 200, cols: 8, hopSec: 0.1 }, audio, sampleRate: 16000 },
  };
}

for (const audio of ['source', 'clips'] as const) {
  test(`merged shard reviews (${audio} audio): every row re-keyed in one sequence, pages and links still reach the recordings`, () => {
    const root = mkdtempSync(join(tmpdir(), 'capuchin-review-merge-'));
    try {
      const data = join(root, 'data');
      mkdirSync(data);
      const files = ['a.mp3', 'b.mp3', 'c.mp3'].map((n) => join(data, n));
      for (const f of files) writeFileSync(f, 'x');
      const shard = (name: string, fs: string[]) => {
        const dir = join(root, 'runs', name);
        const w = new ReviewWriter({ dir, title: name, detector, fminHz: 80, fmaxHz: 8000, audio });
        for (const f of fs) w.add(input(f, audio === 'clips'));
        w.finish();
        return dir;
      };
      const s0 = shard('shard0', [files[0], files[2]]);
      const s1 = shard('shard1', [files[1]]);
      const out = join(root, 'merged', 'deeper');
      mergeReviews([s0, s1], out, out);
      const index = readReviewIndex(out)!;
      assert.deepEqual(index.recordings.map((r) => [r.recording, r.key]), [['a.mp3', 'r00001'], ['b.mp3', 'r00003'], ['c.mp3', 'r00002']]);
      for (const row of index.recordings) {
        const page = readReviewPage(out, row.key)!;
        assert.equal(page.key, row.key);
        if (audio === 'source') {
          assert.equal(page.audio?.kind, 'source');
          if (page.audio?.kind === 'source') assert.equal(fileOfHref(out, page.audio.href), join(data, row.recording));
        } else {
          assert.equal(page.audio?.kind, 'clips');
          if (page.audio?.kind === 'clips') {
            const clip = join(out, ...page.audio.clips[0].href.split('/'));
            assert.ok(existsSync(clip), clip);
            assert.equal(readFileSync(clip).subarray(0, 4).toString(), 'RIFF');
          }
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test('merging shards of which only some have a review is refused', () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-review-merge-'));
  try {
    const a = join(root, 'a');
    const w = new ReviewWriter({ dir: a, title: 'a', detector, fminHz: 80, fmaxHz: 8000 });
    w.add(input(join(root, 'x.mp3'), false));
    w.finish();
    mkdirSync(join(root, 'b'));
    assert.throws(() => mergeReviews([a, join(root, 'b')], join(root, 'out'), join(root, 'out')), /review\.html is in .*a but not in .*b\. Fix: .*--no-review/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
