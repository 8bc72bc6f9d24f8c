/**
 * FLAC, Ogg Vorbis and Ogg Opus versions of a real recording (the sample excerpt of recording 46, made
 * with ffmpeg in the test; skipped without it): FLAC decodes to the WAV's samples exactly, the lossy ones
 * closely, streamed over a path or a Blob alike; and the shipped model counts the same calls in each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { runCount } from '../pipeline/count.ts';
import { blobSource } from './byteSource.ts';
import { AudioError } from './errors.ts';
import { loadAudio, streamAudio } from './load.ts';
import { probeAudio } from './probe.ts';

const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
const EXCERPT = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

test('FLAC, Ogg Vorbis and Opus of a real recording decode like its WAV, and count the same calls', { skip: hasFfmpeg ? undefined : 'ffmpeg not found', timeout: 180_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-codecs-'));
  try {
    const dir = join(root, 'recordings');
    mkdirSync(dir);
    const wav = join(dir, 'r46.wav');
    assert.equal(spawnSync('ffmpeg', ['-v', 'error', '-i', EXCERPT, '-c:a', 'pcm_s16le', wav]).status, 0);
    const encodings = [['r46.flac', 'flac'], ['r46.ogg', 'libvorbis'], ['r46.opus', 'libopus']] as const;
    for (const [name, codec] of encodings) assert.equal(spawnSync('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', codec, join(dir, name)]).status, 0, codec);

    const ref = await loadAudio(wav, { sampleRate: 'native' });
    const flac = await loadAudio(join(dir, 'r46.flac'), { sampleRate: 'native' });
    assert.equal(flac.sampleRate, ref.sampleRate);
    assert.equal(flac.samples.length, ref.samples.length);
    // lossless: the WAV's samples, up to the FLAC decoder's scale (it divides by 32767 where WAV decoding divides by 32768)
    let worst = 0;
    for (let i = 0; i < ref.samples.length; i++) worst = Math.max(worst, Math.abs(flac.samples[i] * (32767 / 32768) - ref.samples[i]));
    assert.ok(worst < 1e-6, `FLAC vs WAV after rescaling: ${worst}`);
    for (const name of ['r46.ogg', 'r46.opus']) {
      const lossy = await loadAudio(join(dir, name), { sampleRate: 'native' });
      assert.equal(lossy.samples.length, ref.samples.length, name);
      assert.ok(correlation(lossy.samples, ref.samples) > 0.85, `${name}: correlation ${correlation(lossy.samples, ref.samples)}`); // lossy: 0.91 (Opus) and above
    }
    // streamed from a Blob (the browser's path) in small chunks: the same 16 kHz samples as from the file
    const fromFile: number[] = [];
    for await (const c of streamAudio(join(dir, 'r46.flac'), { chunkSec: 5 })) fromFile.push(...c);
    const fromBlob: number[] = [];
    for await (const c of streamAudio(blobSource(new Blob([readFileSync(join(dir, 'r46.flac'))]), 'r46.flac'), { chunkSec: 5 })) fromBlob.push(...c);
    assert.deepEqual(fromBlob, fromFile);
    assert.deepEqual(await probeAudio(join(dir, 'r46.opus')).then((p) => [p.codec, p.channels, p.sampleRate]), ['Opus', 2, 48000]);

    const run = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: dir, outDir: join(root, 'out'), concurrency: 2, review: false, log: () => {} });
    const byName = new Map(run.results.map((r) => [r.recording, r] as const));
    const want = byName.get('r46.wav')!;
    assert.equal(want.count, 3);
    for (const [name] of encodings) {
      const r = byName.get(name)!;
      assert.equal(r.count, want.count, `${name}: ${r.error ?? ''}`);
      r.events.forEach((e, k) => assert.ok(Math.abs(e.start_s - want.events[k].start_s) <= 0.5, `${name} call ${k}: ${e.start_s} vs ${want.events[k].start_s}`));
    }
    byName.get('r46.flac')!.events.forEach((e, k) => assert.ok(Math.abs(e.start_s - want.events[k].start_s) <= 0.01, 'lossless: the same events'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a FLAC or Ogg that is not one fails with the file named and a fix', async () => {
  const fail = async (name: string, bytes: Uint8Array, reason: string, detail: RegExp) => {
    const source = blobSource(new Blob([bytes]), name);
    const chunks = streamAudio(source);
    await assert.rejects(
      (async () => {
        for await (const _ of chunks) void _;
      })(),
      (err: unknown) => err instanceof AudioError && err.reason === reason && detail.test(err.message) && err.message.includes(name) && /Fix: \S/.test(err.message),
    );
  };
  await fail('notes.flac', new TextEncoder().encode('not a flac at all, just text'), 'not-audio', /not a FLAC stream/);
  await fail('notes.ogg', new TextEncoder().encode('not an ogg at all, just text'), 'not-audio', /not an Ogg stream/);
  await fail('empty.opus', new Uint8Array(0), 'empty', /0 bytes/);
});
