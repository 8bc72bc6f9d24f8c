import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureFeatures } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import { WindowAssembler } from './windows.ts';

const SR = 16000;

function signal(seconds: number, seed = 1): Float32Array {
  let s = seed;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const x = new Float32Array(Math.round(seconds * SR));
  for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * (700 + 300 * Math.sin(i / 9000)) * i) / SR) * (1 + Math.sin(i / 4000)) + 0.05 * rnd();
  return x;
}

function assemble(kind: 'mel' | 'mfcc' | 'spectrogram', x: Float32Array, chunk: number, hopSec = 0.5): Matrix[] {
  const extractor = configureFeatures({ kind, frameLength: 400, hopLength: 160, melBins: 40 });
  const windows: Matrix[] = [];
  const a = new WindowAssembler(extractor, hopSec, (w, i) => {
    assert.equal(i, windows.length);
    windows.push(w);
  });
  for (let i = 0; i < x.length; i += chunk) a.push(x.subarray(i, i + chunk));
  a.finish();
  return windows;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

for (const kind of ['mel', 'mfcc', 'spectrogram'] as const) {
  test(`${kind}: every streamed window equals extractClip on the same 3 s, whatever the chunk size`, () => {
    const x = signal(10.3);
    const extractor = configureFeatures({ kind, frameLength: 400, hopLength: 160, melBins: 40 });
    for (const chunk of [997, 16000, 70001]) {
      const windows = assemble(kind, x, chunk);
      // windows start every 0.5 s while a full 3 s fits: floor((10.3 - 3) / 0.5) + 1 = 15, then the ones
      // that run past the end while at least half is audio (starts 7.5, 8.0, 8.5 s): each its audio to the end, padded like a clip
      assert.equal(windows.length, 18, `chunk ${chunk}`);
      for (const w of [15, 16, 17]) {
        const ref = extractor.extractClip(x.subarray(w * 8000));
        assert.ok(maxAbsDiff(windows[w].data, ref.data) < 1e-4, `end window ${w}, chunk ${chunk}`);
      }
      for (const w of [0, 1, 7, 14]) {
        const ref = extractor.extractClip(x.subarray(w * 8000, w * 8000 + 48000));
        assert.equal(windows[w].rows, ref.rows);
        assert.ok(maxAbsDiff(windows[w].data, ref.data) < 1e-4, `window ${w}, chunk ${chunk}`);
      }
      // consecutive windows differ (they really are different times)
      assert.ok(maxAbsDiff(windows[0].data, windows[1].data) > 1e-2);
    }
  });
}

test('a recording shorter than one window is padded like a clip and scored once', () => {
  const x = signal(1.2);
  const windows = assemble('mel', x, 5000);
  assert.equal(windows.length, 1);
  const ref = configureFeatures({ kind: 'mel', frameLength: 400, hopLength: 160, melBins: 40 }).extractClip(x);
  assert.ok(maxAbsDiff(windows[0].data, ref.data) < 1e-4);
});

test('a hop that is not a whole number of frames is refused with the fix', () => {
  const extractor = configureFeatures({ kind: 'mel', frameLength: 400, hopLength: 160 });
  assert.throws(() => new WindowAssembler(extractor, 0.505, () => {}), /multiple of 0\.01 s/);
});

test('a stream padded with silence at both ends is scored in whole windows only (finish(false)), its first window centred on the start', () => {
  const extractor = configureFeatures({ kind: 'mel', frameLength: 400, hopLength: 160, melBins: 40, clipSec: 1 });
  const x = signal(4.2);
  const lead = 0.5 * SR;
  const windows: Matrix[] = [];
  const a = new WindowAssembler(extractor, 0.1, (w) => windows.push(w));
  a.push(new Float32Array(lead));
  a.push(x);
  a.push(new Float32Array(lead));
  a.finish(false);
  // 4.2 s + 2 × 0.5 s of silence in 1 s windows every 0.1 s: (5.2 − 1) / 0.1 + 1 = 43 whole windows, none padded after them
  assert.equal(windows.length, 43);
  const padded = new Float32Array(lead + x.length + lead);
  padded.set(x, lead);
  // window 0 is the half second of silence and the first half second of the recording, as extractClip sees them
  assert.ok(maxAbsDiff(windows[0].data, extractor.extractClip(padded.subarray(0, SR)).data) < 1e-4);
  assert.ok(maxAbsDiff(windows[42].data, extractor.extractClip(padded.subarray(4.2 * SR, 5.2 * SR)).data) < 1e-4);
});
