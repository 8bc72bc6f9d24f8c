import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { AudioError } from './errors.ts';
import { listAudioFiles, loadAudio, loadFolder, streamAudio } from './load.ts';
import { probeAudio } from './probe.ts';
import { decodeWav } from './wav.ts';
import { tempFolder, tone, wavBytes } from './__fixtures__/testAudio.ts';
import { BufferPool } from '../util/bufferPool.ts';

const MP3 = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
const POSITIVE = join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav'); // 44.1 kHz mono, 3.0 s

async function collect(stream: AsyncGenerator<Float32Array>): Promise<{ lengths: number[]; samples: Float32Array }> {
  const parts: Float32Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (samples.set(p, at), at + p.length), 0);
  return { lengths: parts.map((p) => p.length), samples };
}

test('loadAudio gives mono at 16 kHz by default, or the native rate on request', async () => {
  const native = decodeWav(readFileSync(POSITIVE), POSITIVE);
  const audio = await loadAudio(POSITIVE);
  assert.equal(audio.sampleRate, 16000);
  assert.equal(audio.samples.length, Math.round((native.samples.length * 16000) / 44100));
  const kept = await loadAudio(POSITIVE, { sampleRate: 'native' });
  assert.equal(kept.sampleRate, 44100);
  assert.deepEqual(kept.samples, native.samples);
  const mp3 = await loadAudio(MP3, { sampleRate: 22050 });
  assert.equal(mp3.sampleRate, 22050);
  assert.ok(Math.abs(mp3.samples.length / 22050 - 26.04) < 0.1); // ffprobe: 26.04 s
});

test('streamAudio yields chunks of chunkSec and the same samples as loadAudio (mp3 and wav)', async () => {
  const mp3 = await collect(streamAudio(MP3, { sampleRate: 16000, chunkSec: 7 }));
  const mp3Whole = await loadAudio(MP3);
  assert.deepEqual(mp3.lengths.slice(0, -1), new Array(mp3.lengths.length - 1).fill(7 * 16000));
  assert.ok(mp3.lengths.at(-1)! <= 7 * 16000);
  assert.deepEqual(mp3.samples, mp3Whole.samples);

  const wav = await collect(streamAudio(POSITIVE, { chunkSec: 1 }));
  assert.deepEqual(wav.samples, (await loadAudio(POSITIVE)).samples);
  assert.equal(wav.lengths[0], 16000);
});

test('streamAudio of a WAV with reuseBuffers and a pool: the same samples, its buffers borrowed and all given back, also when stopped early', async () => {
  const { dir, cleanup } = tempFolder();
  try {
    const path = join(dir, 'forest.wav');
    writeFileSync(path, wavBytes([(await loadAudio(MP3)).samples], 16000)); // real audio, 26 s at the model's rate
    const expected = await collect(streamAudio(path, { chunkSec: 7 }));
    const pool = new BufferPool();
    const copies = async (stream: AsyncGenerator<Float32Array>) => {
      const chunks: Float32Array[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };
    const borrowed: Float32Array[] = [];
    for await (const chunk of streamAudio(path, { chunkSec: 7, reuseBuffers: true, pool })) borrowed.push(chunk.slice());
    assert.deepEqual(borrowed.map((c) => c.length), expected.lengths); // three whole chunks, the 5 s left
    assert.deepEqual(Float32Array.from(borrowed.flatMap((c) => [...c])), expected.samples);
    const made = pool.created;
    assert.ok(made >= 2 && made <= 3, `${made} buffers: the read buffer, the samples', the last chunk's`);
    // whole chunks are views of one decoded buffer
    const views = await copies(streamAudio(path, { chunkSec: 7, reuseBuffers: true, pool }));
    assert.equal(views[0].buffer, views[1].buffer);
    const early = streamAudio(path, { chunkSec: 7, reuseBuffers: true, pool });
    await early.next();
    await early.return(undefined);
    assert.equal(pool.created, made, 'a second stream, and one stopped after a chunk, borrow the buffers the first gave back');
  } finally {
    cleanup();
  }
});

test('streamAudio checks its options and the path before decoding', async () => {
  await assert.rejects(streamAudio(MP3, { chunkSec: 0 }).next(), /chunkSec must be in \(0, 3600\] s/);
  await assert.rejects(streamAudio(MP3, { sampleRate: 50 }).next(), /sampleRate must be in \[1000, 384000\] Hz/);
  await assert.rejects(streamAudio(join(SAMPLE_DATA_DIR, 'nope.mp3')).next(), (err: unknown) => err instanceof AudioError && err.reason === 'missing');
});

test('listAudioFiles: sorted full paths of .wav/.mp3 in any case, nothing else', () => {
  const { dir, cleanup } = tempFolder();
  try {
    for (const name of ['b.WAV', 'a.wav', 'c.Mp3', 'notes.txt', 'd.wav.bak']) writeFileSync(join(dir, name), '');
    mkdirSync(join(dir, 'sub.wav'));
    assert.deepEqual(listAudioFiles(dir), ['a.wav', 'b.WAV', 'c.Mp3'].map((n) => join(dir, n)));
  } finally {
    cleanup();
  }
  const negatives = listAudioFiles(join(SAMPLE_DATA_DIR, NEGATIVE_DIR));
  assert.equal(negatives.length, 9);
  assert.deepEqual(negatives, [...negatives].sort());
});

test('listAudioFiles: missing folder, a file instead of a folder, an empty folder → typed errors with a fix', () => {
  const { dir, cleanup } = tempFolder();
  try {
    writeFileSync(join(dir, 'file.wav'), '');
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'readme.txt'), 'no audio');
    const expect = (path: string, reason: string) =>
      assert.throws(() => listAudioFiles(path), (err: unknown) => err instanceof AudioError && err.reason === reason && err.message.includes(path) && /Fix: \S/.test(err.message));
    expect(join(dir, 'missing'), 'missing');
    expect(join(dir, 'file.wav'), 'not-a-folder');
    expect(join(dir, 'empty'), 'empty-folder');
  } finally {
    cleanup();
  }
});

test('loadFolder loads the good files and reports the bad ones without stopping', async () => {
  const { dir, cleanup } = tempFolder();
  try {
    writeFileSync(join(dir, 'a-good.wav'), wavBytes([tone(440, 22050, 0.5)], 22050));
    writeFileSync(join(dir, 'b-empty.wav'), new Uint8Array(0));
    writeFileSync(join(dir, 'c-noise.mp3'), new Uint8Array(5000).fill(7));
    writeFileSync(join(dir, 'd-good.wav'), readFileSync(POSITIVE));
    const progress: number[] = [];
    const { clips, errors } = await loadFolder(dir, { onProgress: (done) => progress.push(done) });
    assert.deepEqual(clips.map((c) => c.file), [join(dir, 'a-good.wav'), join(dir, 'd-good.wav')]);
    assert.equal(clips[0].audio.sampleRate, 16000);
    assert.equal(clips[0].audio.samples.length, 8000);
    assert.deepEqual(errors.map((e) => [e.file, e.reason]), [[join(dir, 'b-empty.wav'), 'empty'], [join(dir, 'c-noise.mp3'), 'not-audio']]);
    assert.ok(errors.every((e) => e.message.includes(e.file)));
    assert.deepEqual(progress, [1, 2, 3, 4]);
  } finally {
    cleanup();
  }
});

test('probeAudio reads a wav header: the stereo negative is 44.1 kHz, 2 channels, 16-bit, 3.01 s', async () => {
  const probe = await probeAudio(join(SAMPLE_DATA_DIR, NEGATIVE_DIR, 'dove-bird-sounds-9.wav')); // 132741 frames (ffprobe)
  assert.deepEqual(
    { rate: probe.sampleRate, channels: probe.channels, bits: probe.bitDepth, codec: probe.codec, sec: probe.durationSec },
    { rate: 44100, channels: 2, bits: 16, codec: 'pcm_s16le', sec: 132741 / 44100 },
  );
});
