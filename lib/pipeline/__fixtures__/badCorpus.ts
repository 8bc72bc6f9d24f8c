/**
 * A folder of unusual and broken inputs for a counting run, generated from the sample's real audio:
 * each entry says what a run must do with it (count it, count it with a warning, fail it with an
 * errors.csv row, or skip it as not a regular audio file), with the words the message must hold.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FOREST_DIR, NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../../data/paths.ts';
import { encodedWavBytes, tone, wavBytes, type WavefileDepth } from '../../audio/__fixtures__/testAudio.ts';
import { decodeWav } from '../../audio/wav.ts';

export type Expect = { outcome: 'counted'; warning?: RegExp; calls?: number } | { outcome: 'failed'; error: RegExp };

export interface CorpusEntry {
  name: string;
  expect: Expect;
}

const EXCERPT = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');

function mulberry(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Build the corpus in `dir` (created); `hasFifo`/`hasFfmpeg` decide the entries that need them. */
export function buildBadCorpus(dir: string): CorpusEntry[] {
  mkdirSync(dir, { recursive: true });
  const entries: CorpusEntry[] = [];
  const add = (name: string, bytes: Uint8Array | string, expect: Expect) => {
    writeFileSync(join(dir, name), bytes);
    entries.push({ name, expect });
  };
  const rng = mulberry(7);
  const noise = (n: number, amp: number) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * amp);
  const mp3 = readFileSync(EXCERPT);
  const call = decodeWav(readFileSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav')), 'XC3776-5.wav'); // 44.1 kHz mono, a real call
  const forest = decodeWav(readFileSync(join(SAMPLE_DATA_DIR, NEGATIVE_DIR, 'night-insect-sounds-33.wav')), 'negative');
  const counted: Expect = { outcome: 'counted' };

  // Real audio in every WAV layout capuchin reads.
  for (const depth of ['8', '16', '24', '32', '32f', '64'] as WavefileDepth[]) add(`call_${depth}bit.wav`, wavBytes([call.samples], call.sampleRate, depth), counted);
  add('call_stereo.wav', wavBytes([call.samples, call.samples.map((v) => v * 0.5)], call.sampleRate), counted);
  add('call_6ch.wav', wavBytes(Array.from({ length: 6 }, () => call.samples), call.sampleRate), counted);
  add('UPPER_CASE.WAV', wavBytes([call.samples], call.sampleRate), counted);
  add('mixed case.Mp3', mp3, counted);
  add('with, comma "and quotes".wav', wavBytes([call.samples], call.sampleRate), counted);
  add('ünïcödé name ☂.wav', wavBytes([call.samples], call.sampleRate), counted);
  add(`${'long_name_'.repeat(23)}end.wav`, wavBytes([call.samples], call.sampleRate), counted); // 244 characters
  add('same_stem.wav', wavBytes([call.samples], call.sampleRate), counted);
  add('same_stem.mp3', mp3, counted);
  add('silence.wav', wavBytes([new Float32Array(10 * 16000)], 16000), { outcome: 'counted', calls: 0 });
  add('quiet_noise.wav', wavBytes([noise(10 * 22050, 0.01)], 22050), { outcome: 'counted', calls: 0 });
  add('insects.wav', wavBytes([forest.samples], forest.sampleRate), counted);
  add('half_second.wav', wavBytes([call.samples.subarray(0, 22050)], call.sampleRate), counted); // shorter than one window
  add('one_sample.wav', wavBytes([Float32Array.of(0.1)], 16000), counted);
  add('ten_samples.mp3.wav', wavBytes([noise(10, 0.1)], 48000), counted);
  for (const rate of [22050, 32000, 96000, 192000]) {
    const n = Math.round((call.samples.length * rate) / call.sampleRate);
    const up = Float32Array.from({ length: n }, (_, i) => call.samples[Math.min(call.samples.length - 1, Math.floor((i * call.sampleRate) / rate))]);
    add(`call_${rate}Hz.wav`, wavBytes([up], rate), counted);
  }
  // Counted, with a warning that says why the count may differ.
  const down = (rate: number) => Float32Array.from({ length: Math.round((call.samples.length * rate) / call.sampleRate) }, (_, i) => call.samples[Math.floor((i * call.sampleRate) / rate)]);
  add('call_8000Hz.wav', wavBytes([down(8000)], 8000), { outcome: 'counted', warning: /band-limited: recorded at 8000 Hz/ });
  add('call_11025Hz.wav', wavBytes([down(11025)], 11025), counted); // Nyquist 5512 Hz is above the shipped model's 5 kHz
  add('dc_offset.wav', wavBytes([call.samples.map((v) => v * 0.5 + 0.3)], call.sampleRate), { outcome: 'counted', warning: /DC offset removed: the samples average 0\.300 of full scale; the model's features remove it/ });
  add('clipped.wav', wavBytes([call.samples.map((v) => Math.max(-1, Math.min(1, v * 40)))], call.sampleRate), { outcome: 'counted', warning: /clipped: \d+ samples/ });
  add('cut_mp3.mp3', mp3.subarray(0, 200001), { outcome: 'counted', warning: /truncated: the stream is cut off inside its last frame/ });
  // a recorder whose battery died mid-file: the header declares more than the file holds
  add('cut_wav.wav', wavBytes([call.samples], call.sampleRate).subarray(0, 50000), { outcome: 'counted', warning: /truncated: the header declares [\d.]+ s of audio but the file holds 0\.6 s/ });
  const damaged = Uint8Array.from(mp3);
  for (let i = 120000; i < 124000; i++) damaged[i] = 0x55;
  add('damaged_middle.mp3', damaged, counted);
  add('with_list_chunk.wav', withListChunk(wavBytes([call.samples], call.sampleRate)), counted);

  // Failed, each with an errors.csv row that names the problem and the fix.
  const failed = (error: RegExp): Expect => ({ outcome: 'failed', error });
  add('zero_bytes.wav', new Uint8Array(0), failed(/0 bytes.*\(empty\)/));
  add('zero_bytes.mp3', new Uint8Array(0), failed(/0 bytes.*\(empty\)/));
  add('header_only.wav', wavBytes([new Float32Array(0)], 16000), failed(/header-only/));
  add('id3_only.mp3', mp3.subarray(0, 45), failed(/header-only/));
  add('first_frame_cut.mp3', mp3.subarray(0, 245), failed(/truncated/));
  add('cut_header.wav', wavBytes([call.samples], call.sampleRate).subarray(0, 30), failed(/ends after 30 bytes, inside its fmt chunk.*\(truncated\)/));
  add('random_bytes.wav', Uint8Array.from({ length: 20000 }, () => Math.floor(rng() * 256)), failed(/not-audio/));
  add('random_bytes.mp3', Uint8Array.from({ length: 20000 }, () => Math.floor(rng() * 256)), failed(/not-audio/));
  add('text.mp3', 'this is a field note, not audio\n'.repeat(100), failed(/not-audio/));
  add('wav_named.mp3', wavBytes([call.samples], call.sampleRate), failed(/not-audio/));
  add('._resource_fork.wav', Uint8Array.from([0, 5, 22, 7, 0, 2, 0, 0, ...new Array(4000).fill(0)]), failed(/not-audio/));
  for (const codec of ['alaw', 'mulaw', 'ima-adpcm'] as const) add(`codec_${codec}.wav`, encodedWavBytes(tone(440, 8000, 1), 8000, codec), failed(/unsupported-codec/));
  add('big_endian.wav', Uint8Array.from([...new TextEncoder().encode('RIFX'), ...wavBytes([call.samples], call.sampleRate).subarray(4)]), failed(/unsupported-codec/));
  const nan = call.samples.slice();
  nan[5000] = NaN;
  add('nan.wav', wavBytes([nan], call.sampleRate, '32f'), failed(/non-finite/));
  const inf = call.samples.slice();
  inf[7000] = Infinity;
  add('inf.wav', wavBytes([inf], call.sampleRate, '32f'), failed(/non-finite/));
  const header = (offset: number, value: number, bytes: 2 | 4) => {
    const b = Uint8Array.from(wavBytes([tone(440, 16000, 1)], 16000));
    const view = new DataView(b.buffer);
    if (bytes === 2) view.setUint16(offset, value, true);
    else view.setUint32(offset, value, true);
    return b;
  };
  add('rate_1Hz.wav', header(24, 1, 4), failed(/sample rate of 1 Hz/));
  add('rate_4GHz.wav', header(24, 4_000_000_000, 4), failed(/sample rate of 4000000000 Hz/));
  add('rate_0Hz.wav', header(24, 0, 4), failed(/sample rate of 0 Hz/));
  add('zero_channels.wav', header(22, 0, 2), failed(/0 channels/));
  add('12_bit.wav', header(34, 12, 2), failed(/12-bit/));
  add('bad_block_align.wav', header(32, 3, 2), failed(/block align/));

  // Not regular audio files, and formats capuchin does not decode: listed in errors.csv, never read.
  symlinkSync(join(dir, 'does_not_exist.wav'), join(dir, 'dangling_link.wav'));
  entries.push({ name: 'dangling_link.wav', expect: failed(/dangling-link/) });
  symlinkSync(join(dir, 'call_16bit.wav'), join(dir, 'good_link.wav'));
  entries.push({ name: 'good_link.wav', expect: counted });
  mkdirSync(join(dir, 'folder_named.wav'));
  entries.push({ name: 'folder_named.wav', expect: failed(/a folder, not a regular audio file/) });
  if (spawnSync('mkfifo', [join(dir, 'fifo.wav')]).status === 0) entries.push({ name: 'fifo.wav', expect: failed(/named pipe \(FIFO\)/) });
  add('other_format.m4a', mp3.subarray(0, 1000), failed(/\.m4a files are not decoded by capuchin.*ffmpeg/));
  add('mp3_named.flac', mp3.subarray(0, 1000), failed(/not a FLAC stream/));
  add('mp3_named.ogg', mp3.subarray(0, 1000), failed(/not an Ogg stream/));
  add('zero_bytes.opus', new Uint8Array(0), failed(/0 bytes.*\(empty\)/));
  const oggOther = new Uint8Array(64);
  oggOther.set(new TextEncoder().encode('OggS'), 0);
  oggOther[26] = 1; // one segment
  oggOther[27] = 8;
  oggOther.set(new TextEncoder().encode('\x80theora'), 28);
  add('theora_video.ogg', oggOther, failed(/neither Vorbis, Opus nor FLAC.*unsupported-codec/));
  writeFileSync(join(dir, 'notes.txt'), 'not audio, not listed'); // ignored: not an audio name
  return entries;
}

/** The same WAV with a LIST chunk before its data chunk (as many recorders write). */
function withListChunk(wav: Uint8Array): Uint8Array {
  const list = new Uint8Array(8 + 26);
  const view = new DataView(list.buffer);
  list.set(new TextEncoder().encode('LIST'), 0);
  view.setUint32(4, 26, true);
  list.set(new TextEncoder().encode('INFOISFT\x0e\x00\x00\x00capuchin test\x00'), 8);
  const out = new Uint8Array(wav.length + list.length);
  out.set(wav.subarray(0, 36), 0);
  out.set(list, 36);
  out.set(wav.subarray(36), 36 + list.length);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}
