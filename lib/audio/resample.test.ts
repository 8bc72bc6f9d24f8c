import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createResampler, defaultResampleEngine, resample, resampledLength, type ResampleEngine } from './resample.ts';
import { designPolyphaseFilter } from './resampleFilter.ts';
import { simdAvailable } from './resampleKernel.ts';
import { rms, tone } from './__fixtures__/testAudio.ts';

const db = (ratio: number) => 20 * Math.log10(ratio);
/** RMS over the middle of a signal, away from the zero-padded edges. */
const middleRms = (x: Float32Array) => rms(x, Math.floor(x.length * 0.25), Math.floor(x.length * 0.75));
/** Every engine this runtime has: the properties below must hold for each. */
const engines: ResampleEngine[] = simdAvailable() ? ['wasm-simd', 'js'] : ['js'];

test('a 10 kHz tone at 44.1 kHz is attenuated by at least 60 dB when resampled to 16 kHz', () => {
  const input = tone(10000, 44100, 1);
  for (const engine of engines) {
    const out = resample({ samples: input, sampleRate: 44100 }, 16000, { engine });
    const attenuation = db(middleRms(out.samples) / middleRms(input));
    assert.ok(attenuation <= -60, `${engine}: attenuation ${attenuation.toFixed(1)} dB`);
  }
});

test('a 1 kHz tone keeps its amplitude within 0.1 dB for 44.1k, 48k, 22.05k and 8k inputs', () => {
  for (const [rate, engine] of [44100, 48000, 22050, 8000].flatMap((r) => engines.map((e) => [r, e] as const))) {
    const input = tone(1000, rate, 1);
    const out = resample({ samples: input, sampleRate: rate }, 16000, { engine });
    const gain = db(middleRms(out.samples) / middleRms(input));
    assert.ok(Math.abs(gain) <= 0.1, `${rate} Hz: gain ${gain.toFixed(3)} dB`);
    // and it is still a 1 kHz sine at 16 kHz: compare with the ideal one sample by sample
    const ideal = tone(1000, 16000, out.samples.length / 16000);
    let maxErr = 0;
    for (let i = 4000; i < 12000; i++) maxErr = Math.max(maxErr, Math.abs(out.samples[i] - ideal[i]));
    assert.ok(maxErr < 0.01, `${rate} Hz: max deviation from the ideal sine ${maxErr}`);
  }
});

test('output length is round(n · to / from)', () => {
  for (const [rate, n] of [[44100, 132300], [48000, 144000], [22050, 66150], [8000, 24000], [44100, 12345], [8000, 1], [48000, 1]]) {
    const out = resample({ samples: new Float32Array(n).fill(0.1), sampleRate: rate }, 16000);
    assert.equal(out.samples.length, Math.round((n * 16000) / rate), `${rate} Hz × ${n}`);
    assert.equal(out.sampleRate, 16000);
  }
  assert.equal(resampledLength(132300, 44100, 16000), 48000);
  assert.equal(resampledLength(0, 44100, 16000), 0);
});

test('an impulse stays at the same time (no group delay) within one output sample', () => {
  for (const [rate, engine] of [44100, 48000, 22050, 8000].flatMap((r) => engines.map((e) => [r, e] as const))) {
    for (const atSec of [0.25, 0.3712]) {
      const input = new Float32Array(rate); // 1 s
      input[Math.round(atSec * rate)] = 1;
      const out = resample({ samples: input, sampleRate: rate }, 16000, { engine }).samples;
      let peak = 0;
      for (let i = 1; i < out.length; i++) if (Math.abs(out[i]) > Math.abs(out[peak])) peak = i;
      assert.ok(Math.abs(peak - atSec * 16000) <= 1, `${rate} Hz impulse at ${atSec} s peaks at output ${peak}, want ${atSec * 16000}`);
    }
  }
});

test('streaming in chunks of any size equals one-shot, bit for bit', () => {
  const input = new Float32Array(44100 * 2);
  let seed = 7;
  for (let i = 0; i < input.length; i++) input[i] = ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (const [from, to, engine] of [[44100, 16000], [48000, 16000], [8000, 16000], [22050, 16000]].flatMap(([f, t]) => engines.map((e) => [f, t, e] as const))) {
    const samples = input.subarray(0, from * 2);
    const whole = resample({ samples, sampleRate: from }, to, { engine }).samples;
    for (const chunk of [1, 97, 4096, 100000]) {
      const r = createResampler(from, to, { engine });
      const parts: number[] = [];
      for (let at = 0; at < samples.length; at += chunk) parts.push(...r.process(samples.subarray(at, at + chunk)));
      parts.push(...r.flush());
      assert.equal(parts.length, whole.length, `${engine} ${from}→${to} chunk ${chunk}: length`);
      assert.deepEqual(Float32Array.from(parts), whole, `${engine} ${from}→${to} chunk ${chunk}: samples`);
    }
  }
});

test('with reuseOutput, process and flush return views of one buffer with the samples fresh arrays hold', () => {
  const input = tone(1000, 48000, 2, 0.5);
  for (const engine of engines) {
    const fresh = createResampler(48000, 16000, { engine });
    const reused = createResampler(48000, 16000, { engine, reuseOutput: true });
    const buffers = new Set<ArrayBufferLike>();
    for (let at = 0; at <= input.length; at += 9600) {
      const piece = input.subarray(at, at + 9600);
      const a = at < input.length ? fresh.process(piece) : fresh.flush();
      const b = at < input.length ? reused.process(piece) : reused.flush();
      assert.deepEqual(b, a, `${engine} at ${at}`);
      buffers.add(b.buffer);
    }
    assert.ok(buffers.size <= 2, `${engine}: ${buffers.size} output buffers (grown once at most)`);
  }
});

test('the wasm SIMD and JavaScript engines agree to 1e-6 (float32 vs float64 sums)', { skip: simdAvailable() ? false : 'no wasm SIMD here' }, () => {
  assert.equal(defaultResampleEngine(), 'wasm-simd');
  const input = new Float32Array(44100);
  for (let i = 0; i < input.length; i++) input[i] = 0.7 * Math.sin(i * 0.07) + 0.2 * Math.sin(i * 1.9);
  for (const rate of [44100, 48000, 22050, 8000]) {
    const samples = input.subarray(0, rate);
    const js = resample({ samples, sampleRate: rate }, 16000, { engine: 'js' }).samples;
    const simd = resample({ samples, sampleRate: rate }, 16000, { engine: 'wasm-simd' }).samples;
    assert.equal(simd.length, js.length);
    let maxDiff = 0;
    for (let i = 0; i < js.length; i++) maxDiff = Math.max(maxDiff, Math.abs(js[i] - simd[i]));
    assert.ok(maxDiff < 1e-6 && maxDiff > 0, `${rate} Hz: max |js − simd| = ${maxDiff} (0 would mean the same engine ran twice)`);
  }
  // 20 s at 48 kHz gives 320 000 outputs: more than one SIMD batch (2^18), so the batch seam is covered too
  const long = new Float32Array(48000 * 20);
  for (let i = 0; i < long.length; i++) long[i] = Math.sin(i * 0.013);
  const js = resample({ samples: long, sampleRate: 48000 }, 16000, { engine: 'js' }).samples;
  const simd = resample({ samples: long, sampleRate: 48000 }, 16000, { engine: 'wasm-simd' }).samples;
  let maxDiff = 0;
  for (let i = 0; i < js.length; i++) maxDiff = Math.max(maxDiff, Math.abs(js[i] - simd[i]));
  assert.ok(js.length === 320000 && maxDiff < 1e-6, `across batches: max |js − simd| = ${maxDiff}`);
});

test('a constant stays constant (every phase has unit DC gain), away from the edges', () => {
  const out = resample({ samples: new Float32Array(44100).fill(0.25), sampleRate: 44100 }, 16000).samples;
  for (let i = 200; i < out.length - 200; i++) assert.ok(Math.abs(out[i] - 0.25) < 1e-6, `sample ${i} = ${out[i]}`);
});

test('same rate in and out is a copy, not the same array', () => {
  const samples = tone(440, 16000, 0.1);
  const out = resample({ samples, sampleRate: 16000 }, 16000);
  assert.notEqual(out.samples, samples);
  assert.deepEqual(out.samples, samples);
});

test('the ratio is reduced by the gcd and integer decimation takes the folded (symmetric) path', () => {
  assert.deepEqual([designPolyphaseFilter(48000, 16000).up, designPolyphaseFilter(48000, 16000).down], [1, 3]);
  assert.deepEqual([designPolyphaseFilter(44100, 16000).up, designPolyphaseFilter(44100, 16000).down], [160, 441]);
  assert.deepEqual([designPolyphaseFilter(22050, 16000).up, designPolyphaseFilter(22050, 16000).down], [320, 441]);
  assert.deepEqual([designPolyphaseFilter(8000, 16000).up, designPolyphaseFilter(8000, 16000).down], [2, 1]);
  assert.equal(designPolyphaseFilter(48000, 16000).symmetric, true);
  assert.equal(designPolyphaseFilter(44100, 16000).symmetric, false);
});

test('bad rates and filter options are refused with the field named', () => {
  assert.throws(() => createResampler(0, 16000), /fromRate must be a positive integer/);
  assert.throws(() => createResampler(44100.5, 16000), /fromRate must be a positive integer/);
  assert.throws(() => createResampler(44100, 16000, { passbandFraction: 1.2 }), /passbandFraction must be in \(0, 1\)/);
  assert.throws(() => createResampler(44100, 16000, { attenuationDb: 5 }), /attenuationDb must be in \[20, 200\]/);
  assert.throws(() => createResampler(44100, 16000, { engine: 'gpu' as 'js' }), /engine must be 'wasm-simd' or 'js'/);
  const r = createResampler(48000, 16000);
  r.flush();
  assert.throws(() => r.process(new Float32Array(10)), /after flush/);
});
