import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { SAMPLE_DATA_DIR, POSITIVE_DIR, NEGATIVE_DIR } from '../data/paths.ts';
import { decodeWav, decodeWavChunks } from './wav.ts';
import { tempFolder, tone, wavBytes, type WavefileDepth } from './__fixtures__/testAudio.ts';

const { WaveFile } = wavefile;
const positives = join(SAMPLE_DATA_DIR, POSITIVE_DIR);

/** wavefile's own decode of a file, per channel, scaled to [-1, 1] for 16-bit. */
function wavefileChannels(bytes: Uint8Array): Float64Array[] {
  const wav = new WaveFile(bytes);
  const samples = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = Array.isArray(samples) ? samples : [samples];
  return channels.map((c) => c.map((v) => v / 32768));
}

/** ffprobe of data/sample/Parsed_Capuchinbird_Clips: [sample rate, channels, frames] per clip (all 16-bit PCM). */
const POSITIVE_HEADERS: Record<string, [rate: number, channels: number, frames: number]> = {
  'XC16803-1.wav': [44100, 1, 110250],
  'XC201990-3.wav': [48000, 2, 96000],
  'XC22397-2.wav': [48000, 1, 120000],
  'XC227471-7.wav': [44100, 1, 110250],
  'XC27881-3.wav': [44100, 1, 110250],
  'XC3776-5.wav': [44100, 1, 132300],
  'XC388470-3.wav': [48000, 1, 96000],
  'XC395129-1.wav': [44100, 2, 88200],
  'XC433953-8.wav': [11025, 1, 22050],
  'XC495697-1.wav': [44100, 1, 110250],
  'XC65196-2.wav': [44100, 1, 154350],
};

test('every sample positive decodes to mono at its own rate (11.025, 44.1, 48 kHz), of the length in its header, equal to wavefile', () => {
  const files = readdirSync(positives).filter((f) => f.endsWith('.wav')).sort();
  assert.deepEqual(files, Object.keys(POSITIVE_HEADERS).sort());
  for (const name of files) {
    const [rate, channelCount, frames] = POSITIVE_HEADERS[name];
    const bytes = readFileSync(join(positives, name));
    const audio = decodeWav(bytes, name);
    const channels = wavefileChannels(bytes);
    assert.equal(channels.length, channelCount, name);
    assert.equal(audio.sampleRate, rate, name);
    assert.equal(audio.samples.length, frames, name);
    assert.equal(audio.samples.length, channels[0].length, name);
    assert.ok(audio.samples.length >= 2 * rate && audio.samples.length <= 3.5 * rate, `${name}: ${audio.samples.length} samples`);
    for (let i = 0; i < frames; i += 997) {
      if (channelCount === 1) assert.equal(audio.samples[i], Math.fround(channels[0][i]), `${name} sample ${i}`);
      else assert.ok(Math.abs(audio.samples[i] - (channels[0][i] + channels[1][i]) / 2) < 1e-7, `${name} sample ${i}`);
    }
  }
});

test('the stereo negative dove-bird-sounds-9.wav is downmixed to the mean of its channels', () => {
  const bytes = readFileSync(join(SAMPLE_DATA_DIR, NEGATIVE_DIR, 'dove-bird-sounds-9.wav'));
  const [left, right] = wavefileChannels(bytes);
  assert.ok(right, 'the fixture is stereo');
  const audio = decodeWav(bytes, 'dove-bird-sounds-9.wav');
  assert.equal(audio.samples.length, left.length);
  let differs = 0;
  for (let i = 0; i < left.length; i++) {
    assert.ok(Math.abs(audio.samples[i] - (left[i] + right[i]) / 2) < 1e-7, `sample ${i}`);
    if (left[i] !== right[i]) differs++;
  }
  assert.ok(differs > 1000, 'the two channels really differ, so the mean is tested');
});

test('PCM 8/16/24/32-bit and float 32/64, mono, stereo and 6-channel (WAVE_FORMAT_EXTENSIBLE) all decode', () => {
  const base = tone(440, 22050, 0.2, 0.6);
  const depths: [WavefileDepth, number][] = [['8', 0.5 / 128 + 1e-6], ['16', 0.5 / 32768 + 1e-7], ['24', 1e-6], ['32', 1e-7], ['32f', 1e-7], ['64', 1e-7]];
  for (const [depth, tolerance] of depths) {
    for (const channelCount of [1, 2, 6]) {
      // channel c carries base · (c + 1) / channelCount, so the mean is base · (channelCount + 1) / (2 · channelCount)
      const channels = Array.from({ length: channelCount }, (_, c) => base.map((v) => (v * (c + 1)) / channelCount));
      const bytes = wavBytes(channels, 22050, depth);
      if (channelCount === 6) {
        // wavefile writes the 40-byte extensible fmt chunk but keeps tag 1 and a PCM sub-format even for floats:
        // make it a real WAVE_FORMAT_EXTENSIBLE header with the right sub-format.
        const view = new DataView(bytes.buffer, bytes.byteOffset);
        assert.equal(view.getUint32(16, true), 40, 'extensible fmt chunk size');
        view.setUint16(20, 0xfffe, true);
        view.setUint16(44, depth === '32f' || depth === '64' ? 3 : 1, true);
      }
      const audio = decodeWav(bytes, `${depth}-${channelCount}.wav`);
      assert.equal(audio.sampleRate, 22050);
      assert.equal(audio.samples.length, base.length);
      const scale = (channelCount + 1) / (2 * channelCount);
      for (let i = 0; i < base.length; i++) {
        assert.ok(Math.abs(audio.samples[i] - base[i] * scale) <= tolerance, `${depth}-bit ${channelCount} ch sample ${i}: ${audio.samples[i]} vs ${base[i] * scale}`);
      }
    }
  }
});

test('8 kHz and 22.05 kHz files report their own rate', () => {
  for (const rate of [8000, 22050, 48000]) {
    const audio = decodeWav(wavBytes([tone(300, rate, 0.5)], rate), `r${rate}.wav`);
    assert.equal(audio.sampleRate, rate);
    assert.equal(audio.samples.length, rate / 2);
  }
});

test('sizes of 0xFFFFFFFF (ffmpeg writing to a pipe) mean "to the end of the file"', () => {
  const bytes = wavBytes([tone(300, 8000, 0.25)], 8000);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  view.setUint32(4, 0xffffffff, true);
  view.setUint32(40, 0xffffffff, true); // data chunk size (canonical 44-byte header)
  assert.equal(new TextDecoder().decode(bytes.subarray(36, 40)), 'data');
  assert.equal(decodeWav(bytes, 'pipe.wav').samples.length, 2000);
});

test('odd-sized chunks before the data are skipped with their pad byte', () => {
  const plain = wavBytes([tone(300, 8000, 0.1)], 8000);
  const odd = new Uint8Array([...new TextEncoder().encode('LIST'), 3, 0, 0, 0, 1, 2, 3, 0]); // 3 bytes + pad
  const bytes = new Uint8Array(plain.length + odd.length);
  bytes.set(plain.subarray(0, 36));
  bytes.set(odd, 36);
  bytes.set(plain.subarray(36), 36 + odd.length);
  assert.deepEqual(decodeWav(bytes, 'odd.wav').samples, decodeWav(plain, 'plain.wav').samples);
});

test('decodeWavChunks yields the same samples as decodeWav, in chunks of the asked size', async () => {
  const { dir, cleanup } = tempFolder();
  try {
    const bytes = wavBytes([tone(300, 8000, 1), tone(500, 8000, 1)], 8000, '24');
    const path = join(dir, 'long.wav');
    writeFileSync(path, bytes);
    const lengths: number[] = [];
    const parts: number[] = [];
    for await (const chunk of decodeWavChunks(path, { chunkFrames: 3000 })) {
      lengths.push(chunk.samples.length);
      parts.push(...chunk.samples);
    }
    assert.deepEqual(lengths, [3000, 3000, 2000]);
    assert.deepEqual(Float32Array.from(parts), decodeWav(bytes, path).samples);
  } finally {
    cleanup();
  }
});

test('16-bit mono WAV holding every 16-bit value: the same sum and clipped count as a pass of sampleStats (the clip threshold on the integers)', async () => {
  const { sampleStats } = await import('./inspect.ts');
  const every = new Float32Array(65536 + 1).map((_, i) => Math.max(-32768, Math.min(32767, i - 32768)) / 32768);
  const { dir, cleanup } = tempFolder();
  try {
    const path = join(dir, 'every.wav');
    writeFileSync(path, wavBytes([every], 16000, '16'));
    const pieces = [];
    for await (const piece of decodeWavChunks(path, { chunkFrames: 40_001 })) pieces.push(piece);
    assert.equal(pieces.length, 2, 'an even and an odd piece length');
    for (const piece of pieces) assert.deepEqual(piece.stats, sampleStats(piece.samples));
    assert.ok(pieces.reduce((n, p) => n + p.stats!.clipped, 0) > 0);
  } finally {
    cleanup();
  }
});

test('16-bit WAV pieces carry the sum and clipped count of their float samples, the same as a pass of sampleStats (1–3 channels, clipped samples, a real clip)', async () => {
  const { sampleStats } = await import('./inspect.ts');
  const clip = readdirSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR)).find((f) => f.endsWith('.wav'))!;
  const real = decodeWav(readFileSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR, clip)), clip).samples;
  for (const channels of [1, 2, 3]) {
    // the real clip in every channel, scaled differently, with full-scale samples (clipped) in the first
    const data = Array.from({ length: channels }, (_, c) => real.map((v, i) => (c === 0 && i % 997 === 0 ? (i % 2 ? 1 : -1) : v * (1 - 0.2 * c))));
    const { dir, cleanup } = tempFolder();
    try {
      const path = join(dir, `c${channels}.wav`);
      writeFileSync(path, wavBytes(data, 16000, '16'));
      let pieces = 0;
      for await (const piece of decodeWavChunks(path, { chunkFrames: 5000 })) {
        assert.deepEqual(piece.stats, sampleStats(piece.samples), `${channels} channel(s), piece ${pieces}`);
        pieces++;
      }
      assert.ok(pieces > 1);
    } finally {
      cleanup();
    }
  }
});
