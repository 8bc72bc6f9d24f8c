import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import type { AudioError } from './errors.ts';
import { decodeMp3, decodeMp3Chunks } from './mp3.ts';
import { findFirstFrame, id3v2Size, parseFrameHeader, xingTag } from './mp3Frames.ts';
import { probeAudio } from './probe.ts';
import { tempFolder } from './__fixtures__/testAudio.ts';

const MP3 = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
const mp3Bytes = readFileSync(MP3);
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

function collectWarnings(): { warnings: AudioError[]; onWarning: (w: AudioError) => void } {
  const warnings: AudioError[] = [];
  return { warnings, onWarning: (w) => warnings.push(w) };
}

test('the 26.04 s, 48 kHz stereo excerpt decodes to about 26.04 s of mono at 48 kHz, without warnings', async () => {
  const { warnings, onWarning } = collectWarnings();
  const audio = await decodeMp3(mp3Bytes, MP3, { onWarning });
  assert.equal(audio.sampleRate, 48000);
  assert.ok(Math.abs(audio.samples.length / 48000 - 26.04) < 0.1, `${audio.samples.length / 48000} s`); // ffprobe: 26.04 s
  assert.deepEqual(warnings, []);
  let peak = 0;
  for (const v of audio.samples) peak = Math.max(peak, Math.abs(v));
  assert.ok(peak > 0.01 && peak <= 1.01, `peak ${peak}: real audio, not silence or garbage`);
});

test('it matches ffmpeg\'s decode (correlation > 0.99 at the best small offset)', { skip: hasFfmpeg ? false : 'ffmpeg not installed' }, async () => {
  const ff = spawnSync('ffmpeg', ['-v', 'error', '-i', MP3, '-t', '10', '-f', 'f32le', '-ac', '1', '-'], { maxBuffer: 1 << 26 });
  assert.equal(ff.status, 0, String(ff.stderr));
  const reference = new Float32Array(ff.stdout.buffer, ff.stdout.byteOffset, ff.stdout.length / 4);
  const ours = (await decodeMp3(mp3Bytes, MP3)).samples;
  const corr = (lag: number) => {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 3000; i < 60000; i++) {
      const a = ours[i];
      const b = reference[i + lag];
      ab += a * b;
      aa += a * a;
      bb += b * b;
    }
    return ab / Math.sqrt(aa * bb);
  };
  let best = { lag: 0, r: -1 };
  for (let lag = -1500; lag <= 1500; lag++) {
    const r = corr(lag);
    if (r > best.r) best = { lag, r };
  }
  assert.ok(best.r > 0.99, `best correlation ${best.r} at lag ${best.lag}`);
});

// The excerpt was cut without re-encoding, so its first audio frames point into a bit reservoir that is not in
// the file: ffmpeg decodes what it can of them, we (as mpg123 did) give those frames as silence.
test('it equals ffmpeg\'s gapless decode sample for sample after the first 3 frames: same length (Info frame and encoder delay cut), within 1e-5', { skip: hasFfmpeg ? false : 'ffmpeg not installed' }, async () => {
  const ff = spawnSync('ffmpeg', ['-v', 'error', '-i', MP3, '-f', 'f32le', '-acodec', 'pcm_f32le', '-'], { maxBuffer: 1 << 27 });
  assert.equal(ff.status, 0, String(ff.stderr));
  const stereo = new Float32Array(ff.stdout.buffer, ff.stdout.byteOffset, ff.stdout.length / 4);
  const ours = (await decodeMp3(mp3Bytes, MP3)).samples;
  assert.equal(ours.length, stereo.length / 2);
  let worst = 0;
  for (let i = 3 * 1152 - 529; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - (stereo[2 * i] + stereo[2 * i + 1]) * 0.5));
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});

test('the excerpt\'s Info frame: 1085 frames, a LAME-style extension (Lavc) with delay 0 and padding 0', () => {
  const tag = id3v2Size(mp3Bytes, 0);
  const first = findFirstFrame(mp3Bytes.subarray(tag))!;
  assert.deepEqual(xingTag(mp3Bytes.subarray(tag), first.at, first.header), { frames: 1085, encoderDelay: 0, encoderPadding: 0 });
  // 1085 × 1152 samples less the decoder's 529: what ffmpeg and mpg123 give
  return decodeMp3(mp3Bytes, MP3).then((audio) => assert.equal(audio.samples.length, 1085 * 1152 - 529));
});

test('decoding in 32 KiB chunks gives the same samples as decoding the whole file', async () => {
  const whole = (await decodeMp3(mp3Bytes, MP3)).samples;
  const parts: Float32Array[] = [];
  // 32 KiB, not 64: the 417 069-byte excerpt then still crosses ten chunk boundaries or more
  for await (const chunk of decodeMp3Chunks(MP3, { chunkBytes: 1 << 15 })) {
    assert.equal(chunk.sampleRate, 48000);
    parts.push(chunk.samples);
  }
  assert.ok(parts.length >= 10, `${parts.length} chunks`);
  const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  assert.deepEqual(joined, whole);
});

test('with reuseBuffers the pieces are views of one reused buffer, and their samples those of fresh pieces (small and large reads, half rate)', async () => {
  for (const options of [{ chunkBytes: 1 << 15 }, { chunkBytes: 1 << 20 }, { chunkBytes: 1 << 15, targetRate: 16000 }]) {
    const fresh: Float32Array[] = [];
    for await (const chunk of decodeMp3Chunks(MP3, options)) fresh.push(chunk.samples);
    const copies: Float32Array[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of decodeMp3Chunks(MP3, { ...options, reuseBuffers: true })) {
      copies.push(chunk.samples.slice()); // valid until the next piece
      buffers.add(chunk.samples.buffer);
    }
    const joined = (parts: Float32Array[]) => Float32Array.from(parts.flatMap((p) => Array.from(p)));
    assert.deepEqual(joined(copies), joined(fresh), JSON.stringify(options));
    // one buffer (grown, at most, a few times), not one per piece
    assert.ok(buffers.size <= 3 && copies.length >= (options.chunkBytes === 1 << 20 ? 1 : 10), `${buffers.size} buffers for ${copies.length} pieces (${JSON.stringify(options)})`);
  }
});

test('a file cut mid-frame decodes its whole frames and warns "truncated"', async () => {
  const { warnings, onWarning } = collectWarnings();
  const cut = mp3Bytes.subarray(0, 300000);
  const audio = await decodeMp3(cut, 'cut.mp3', { onWarning });
  const expectedSec = ((300000 - 45) * 8) / 128000; // 128 kbps after a 45-byte ID3 tag
  assert.ok(Math.abs(audio.samples.length / 48000 - expectedSec) < 0.1, `${audio.samples.length / 48000} s vs ${expectedSec}`);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].reason, 'truncated');
  assert.match(warnings[0].message, /cut\.mp3.*cut off inside its last frame/);
});

test('a file cut on a frame boundary decodes without a warning', async () => {
  const first = findFirstFrame(mp3Bytes)!;
  let at = first.at;
  for (let i = 0; i < 500; i++) at += parseFrameHeader(mp3Bytes, at)!.frameBytes;
  const { warnings, onWarning } = collectWarnings();
  const audio = await decodeMp3(mp3Bytes.subarray(0, at), 'whole-frames.mp3', { onWarning });
  assert.deepEqual(warnings, []);
  assert.ok(Math.abs(audio.samples.length - 499 * 1152) <= 1152 * 2, `${audio.samples.length} samples for 500 frames (one is the Info frame)`);
});

test('corrupt bytes mid-stream are skipped with a "corrupt" warning, and the rest decodes', async () => {
  const damaged = Uint8Array.from(mp3Bytes);
  for (let i = 300000; i < 303000; i++) damaged[i] = (i * 2654435761) >>> 24;
  const { warnings, onWarning } = collectWarnings();
  const audio = await decodeMp3(damaged, 'damaged.mp3', { onWarning });
  assert.ok(audio.samples.length > 25 * 48000, `${audio.samples.length / 48000} s decoded`); // of 26.03 s: only ~0.2 s lost
  assert.deepEqual(warnings.map((w) => w.reason), ['corrupt']);
});

test('decodeMp3Chunks refuses a chunk size below 4096 bytes', async () => {
  await assert.rejects(decodeMp3Chunks(MP3, { chunkBytes: 100 }).next(), /chunkBytes must be an integer ≥ 4096/);
});

test('probeAudio reads rate, channels and duration from the headers alone', async () => {
  const probe = await probeAudio(MP3);
  assert.equal(probe.sampleRate, 48000);
  assert.equal(probe.channels, 2);
  assert.equal(probe.codec, 'mp3');
  assert.equal(probe.durationEstimated, false);
  assert.ok(Math.abs(probe.durationSec - 26.04) < 0.1, `${probe.durationSec} s`); // ffprobe: 26.04 s
  // without the Info frame the duration is estimated from the bitrate
  const { dir, cleanup } = tempFolder();
  try {
    const first = findFirstFrame(mp3Bytes)!;
    const noInfo = mp3Bytes.subarray(first.at + first.header.frameBytes);
    writeFileSync(join(dir, 'noinfo.mp3'), noInfo);
    const estimated = await probeAudio(join(dir, 'noinfo.mp3'));
    assert.equal(estimated.durationEstimated, true);
    assert.ok(Math.abs(estimated.durationSec - 26.04) < 0.2, `${estimated.durationSec} s`);
  } finally {
    cleanup();
  }
});

test('with a target rate of at most half the stream\'s, it decodes at half the rate, and resampled it gives the full-rate decode\'s samples (same length, 2e-3 rms), whichever parity the encoder delay has', async (t) => {
  const { streamAudio } = await import('./load.ts');
  const first = findFirstFrame(mp3Bytes)!;
  const temp = tempFolder('capuchin-mp3-half-');
  t.after(temp.cleanup);
  const noInfo = join(temp.dir, 'no-info-frame.mp3');
  // without its Info frame the stream has no encoder delay to cut (even: 0); with it, 529 (odd)
  writeFileSync(noInfo, Buffer.concat([mp3Bytes.subarray(0, first.at), mp3Bytes.subarray(first.at + first.header.frameBytes)]));
  const files = [MP3, noInfo];
  if (hasFfmpeg) {
    // LAME at 44.1 kHz: delay 576 and a padding of odd length to cut at the end
    const lame = join(temp.dir, 'lame-44k.mp3');
    const enc = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', MP3, '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k', lame]);
    if (enc.status === 0) files.push(lame);
  }
  for (const file of files) {
    const rates: number[] = [];
    const at16k = async (fullRateDecode: boolean) => {
      const parts: Float32Array[] = [];
      for await (const c of streamAudio(file, { sampleRate: 16000, fullRateDecode, onNative: (p) => rates.push(p.sampleRate) })) parts.push(c);
      return Float32Array.from(parts.flatMap((p) => Array.from(p)));
    };
    const half = await at16k(false);
    const nativeRate = file.endsWith('44k.mp3') ? 44100 : 48000;
    assert.equal(rates.at(-1), nativeRate / 2, `${file}: decoded at half the rate`);
    const full = await at16k(true);
    assert.equal(rates.at(-1), nativeRate);
    assert.equal(half.length, full.length, file);
    let diff = 0;
    let power = 0;
    for (let i = 0; i < full.length; i++) {
      diff += (half[i] - full[i]) ** 2;
      power += full[i] ** 2;
    }
    // the kept instants: every other one of the full decode's, from its first
    const bytes = readFileSync(file);
    const nativeFull = await decodeMp3(bytes, file);
    const nativeHalf = await decodeMp3(bytes, file, { targetRate: 16000 });
    assert.equal(nativeHalf.samples.length, Math.ceil(nativeFull.samples.length / 2), `${file}: half-rate length`);
    const rel = Math.sqrt(diff / power);
    // a half-sample (20.8 µs) misalignment gives ~0.2 here; the removed band and the resampler's stopband give ~1e-3
    assert.ok(rel < 2e-3, `${file}: rms difference ${rel} of the signal`);
  }
});

test('the decoder keeps the even or the odd samples of the full-rate synthesis at half rate (SIMD and scalar builds)', async () => {
  const { Minimp3Decoder } = await import('./minimp3.ts');
  const full = new Minimp3Decoder().push(mp3Bytes, true).samples;
  for (const [phase, simd] of [[0, true], [1, true], [0, false], [1, false]] as const) {
    const half = new Minimp3Decoder({ halfRate: phase, simd }).push(mp3Bytes, true);
    assert.equal(half.sampleRate, 24000);
    assert.equal(half.samples.length, full.length / 2);
    // the synthesis at the kept instants, without the band above 12 kHz: close to those samples, far from the others
    const err = (offset: number) => {
      let e = 0;
      let p = 0;
      for (let j = 1000; j < half.samples.length - 1000; j++) {
        e += (half.samples[j] - full[2 * j + offset]) ** 2;
        p += full[2 * j + offset] ** 2;
      }
      return Math.sqrt(e / p);
    };
    assert.ok(err(phase) < err(1 - phase) / 2, `phase ${phase}: ${err(phase)} against ${err(1 - phase)} at the other parity`);
  }
});

test('half rate only where it keeps all the resampler passes: 48 and 44.1 kHz to 16 kHz, not 32 kHz or to 22.05 kHz', async () => {
  const { halfRateKeeps } = await import('./mp3.ts');
  assert.equal(halfRateKeeps(48000, 16000), true);
  assert.equal(halfRateKeeps(44100, 16000), true);
  assert.equal(halfRateKeeps(32000, 16000), false);
  assert.equal(halfRateKeeps(48000, 22050), false);
  assert.equal(halfRateKeeps(48000, 8000), true);
  // a native-rate decode never halves
  assert.equal((await decodeMp3(mp3Bytes, MP3)).sampleRate, 48000);
});
