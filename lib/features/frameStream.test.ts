import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadAudio } from '../audio/load.ts';
import { configureFeatures } from './extractor.ts';
import { FrameStreamer } from './frameStream.ts';

const EXCERPT = fileURLToPath(new URL('../../data/sample/Forest Recordings/recording_46_excerpt.mp3', import.meta.url));

test('frames of a stream pushed in chunks of any size equal the frames of the whole signal, row for row (real audio)', async () => {
  const { samples } = await loadAudio(EXCERPT);
  const x = samples.subarray(0, 16000 * 8);
  for (const kind of ['mel', 'pcen', 'spectrogram'] as const) {
    const extractor = configureFeatures({ kind, removeDc: true });
    const whole = extractor.frames(x);
    const { frameLength, hopLength } = extractor.config;
    // single samples, less than a hop, a hop ± 1, a frame ± 1, and long and uneven pieces
    for (const sizes of [[1], [7], [hopLength - 1], [hopLength + 1], [frameLength - 1], [frameLength + 3], [48000], [5, 1000, 333, 70001]]) {
      const streamer = new FrameStreamer(extractor);
      const rows: Float32Array[] = [];
      for (let at = 0, i = 0; at < x.length; i++) {
        const size = Math.min(sizes[i % sizes.length], x.length - at);
        const m = streamer.push(x.subarray(at, at + size));
        assert.equal(m.cols, whole.cols);
        rows.push(m.data.slice()); // valid until the next push
        at += size;
      }
      const got = Float32Array.from(rows.flatMap((r) => Array.from(r)));
      assert.equal(streamer.frames, whole.rows, `${kind}, pieces of ${sizes}`);
      assert.deepEqual(got, whole.data, `${kind}, pieces of ${sizes}`);
    }
  }
});
