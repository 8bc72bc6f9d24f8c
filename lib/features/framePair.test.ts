import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { fftPairSimdAvailable } from './fftPairKernel.ts';
import { FramePairAnalyzer } from './framePair.ts';
import { FrameAnalyzer } from './frame.ts';
import { MelBank } from './mel.ts';
import { MelFrames } from './melFrames.ts';
import { Stft } from './stft.ts';

const noSimd = fftPairSimdAvailable() ? false : 'no wasm SIMD here';

function noise(n: number, seed = 3): Float32Array {
  let s = seed;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = s / 2 ** 31 - 1 + 0.25 * Math.sin(i * 0.05);
  }
  return x;
}

/** |a − b| ≤ rel · max(|b|, scale) for every value */
function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, scale: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= rel * Math.max(Math.abs(b[i]), scale), `${what} [${i}]: ${a[i]} vs ${b[i]}`);
}

test('the wasm SIMD pair kernel gives each frame the JavaScript FFT values (power to 1e-12, float32 magnitude to 1 ulp)', { skip: noSimd }, () => {
  const x = noise(3000);
  for (const [frameLength, fftLength, removeDc] of [[320, 512, false], [320, 512, true], [4, 4, false], [7, 8, false], [33, 64, true], [1024, 1024, false], [1000, 2048, false]] as const) {
    const pair = new FramePairAnalyzer({ frameLength, fftLength, removeDc }, true);
    const ref = new FrameAnalyzer({ frameLength, fftLength, removeDc });
    assert.ok(pair.simd);
    const bins = fftLength / 2 + 1;
    // in range, and partly outside the signal at either end (those read zeros)
    for (const [oa, ob] of [[0, 17], [900, 40], [-5, x.length - frameLength + 3], [x.length - frameLength, x.length - frameLength]]) {
      pair.power(x, oa, ob);
      const pa = new Float64Array(bins);
      const pb = new Float64Array(bins);
      ref.power(x, oa, pa, 0);
      ref.power(x, ob, pb, 0);
      const scale = Math.max(...pa, ...pb);
      assertClose(pair.powerA, pa, 1e-12, 1e-9 * scale, `${frameLength}/${fftLength} power a @${oa}`);
      assertClose(pair.powerB, pb, 1e-12, 1e-9 * scale, `${frameLength}/${fftLength} power b @${ob}`);
      const mag = new Float32Array(2 * bins + 1);
      pair.magnitude(x, oa, ob, mag, 1, bins + 1);
      const ma = new Float32Array(bins);
      const mb = new Float32Array(bins);
      ref.magnitude(x, oa, ma, 0);
      ref.magnitude(x, ob, mb, 0);
      assertClose(mag.subarray(1, bins + 1), ma, 2 ** -23, Math.sqrt(1e-9 * scale), `${frameLength}/${fftLength} |X| a`);
      assertClose(mag.subarray(bins + 1), mb, 2 ** -23, Math.sqrt(1e-9 * scale), `${frameLength}/${fftLength} |X| b`);
    }
  }
});

test('Stft and mel frames agree between the SIMD kernel and the JavaScript fallback, and do not depend on how frames pair up', { skip: noSimd }, () => {
  const x = noise(16000);
  const opts = { frameLength: 320, hopLength: 32, fftLength: 512 };
  const simd = new Stft({ ...opts, simd: true });
  const js = new Stft({ ...opts, simd: false });
  const n = simd.frameCount(x.length);
  assert.equal(n % 2, 1, 'an odd frame count exercises the lone last frame');
  const a = simd.magnitude(x);
  const b = js.magnitude(x);
  assertClose(a.data, b.data, 2 ** -23, 1e-6, 'magnitude');
  // a range starting at an odd frame pairs frames differently: the values must be identical
  const part = simd.magnitude(x, { start: 3, end: 10 });
  assert.deepEqual(part.data, a.data.subarray(3 * 257, 10 * 257));
  const pa = simd.power(x);
  assertClose(pa.data, js.power(x).data, 1e-6, 1e-6, 'power');

  const bank = new MelBank({ melBins: 100, spectrogramBins: 257, sampleRate: 16000, fminHz: 80, fmaxHz: 8000 });
  const melSimd = new MelFrames({ ...opts, simd: true }, bank).frames(x);
  const melJs = new MelFrames({ ...opts, simd: false }, bank).frames(x);
  const direct = bank.apply(js.power(x));
  assert.equal(melSimd.rows, n);
  assertClose(melSimd.data, melJs.data, 2 ** -22, 1e-6, 'mel simd vs js');
  assertClose(melJs.data, direct.data, 1e-6, 1e-6, 'mel js vs bank.apply(power)');
  const melPart = new MelFrames({ ...opts, simd: true }, bank).frames(x, { start: 5, end: 12 });
  assert.deepEqual(melPart.data, melSimd.data.subarray(5 * 100, 12 * 100));
  assert.throws(() => new MelFrames(opts, bank).frames(x, { start: 0, end: n + 1 }), /outside the signal's/);
});

test('without SIMD (or with simd: false) everything runs on the JavaScript FFT', () => {
  const pair = new FramePairAnalyzer({ frameLength: 320, fftLength: 512 }, false);
  assert.equal(pair.simd, false);
  const x = noise(2000);
  pair.power(x, 0, 64);
  const ref = new Float64Array(257);
  new FrameAnalyzer({ frameLength: 320, fftLength: 512 }).power(x, 64, ref, 0);
  assert.deepEqual(pair.powerB, ref);
  assert.throws(() => pair.mel(x, 0, 32, new Float32Array(200), 0, 100), /without a mel bank/);
});

test('mel rows of a run of frames in one kernel call equal the pair-by-pair rows bit for bit (real audio, DC removal, block edges)', { skip: noSimd }, async () => {
  const { loadAudio } = await import('../audio/load.ts');
  const { samples } = await loadAudio(fileURLToPath(new URL('../../data/sample/Forest Recordings/recording_46_excerpt.mp3', import.meta.url)));
  // a DC offset, so that removing it changes every frame
  const x = samples.map((v) => v + 0.02);
  for (const [frameLength, fftLength, hopLength, removeDc] of [[400, 512, 320, true], [400, 512, 320, false], [401, 512, 160, true], [255, 256, 100, true]] as const) {
    const bank = new MelBank({ melBins: 48, spectrogramBins: fftLength / 2 + 1, sampleRate: 16000, fminHz: 100, fmaxHz: 5000 });
    const pairs = new FramePairAnalyzer({ frameLength, fftLength, hopLength, removeDc }, true, bank);
    const frames = Math.floor((x.length - frameLength) / hopLength) + 1;
    assert.ok(frames * hopLength > 1 << 17, 'the run spans more than one kernel block');
    // from frame 0 (all), from frame 3 (an odd count), one lone frame
    for (const [start, count] of [[0, frames], [3, frames - 3], [5, 1]]) {
      const run = new Float32Array(count * 48);
      pairs.melRun(x, start * hopLength, count, hopLength, run, 0);
      const each = new Float32Array(count * 48);
      const at = (f: number) => start * hopLength + f * hopLength;
      let f = 0;
      for (; f + 1 < count; f += 2) pairs.mel(x, at(f), at(f + 1), each, f * 48, (f + 1) * 48);
      if (f < count) pairs.mel(x, at(f), at(f), each, f * 48, f * 48);
      assert.deepEqual(run, each, `frameLength ${frameLength}, hop ${hopLength}, removeDc ${removeDc}, frames ${start}…`);
      assert.ok(run.some((v) => v > 0));
    }
  }
});
