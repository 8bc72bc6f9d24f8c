import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { blobSource, type ByteSource } from './byteSource.ts';
import { AudioError } from './errors.ts';
import { streamAudio } from './load.ts';
import { DEFAULT_MP3_CHUNK_BYTES } from './mp3.ts';

const MP3 = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
const WAV = join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav');

async function samplesOf(stream: AsyncGenerator<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const chunk of stream) parts.push(chunk.slice());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** A blob source that records the length of every read. */
function recorded(path: string, name: string): { source: ByteSource; reads: number[] } {
  const inner = blobSource(new Blob([readFileSync(path)]), name);
  const reads: number[] = [];
  return { reads, source: { ...inner, read: (into, length, position) => (reads.push(length), inner.read(into, length, position)) } };
}

for (const [path, label] of [[MP3, 'mp3'], [WAV, 'wav']] as const) {
  test(`a Blob streams the same ${label} samples as the file on disk, in bounded reads`, async () => {
    const fromDisk = await samplesOf(streamAudio(path, { sampleRate: 16000, chunkSec: 7 }));
    const { source, reads } = recorded(path, path.split('/').pop()!);
    const fromBlob = await samplesOf(streamAudio(source, { sampleRate: 16000, chunkSec: 7 }));
    assert.ok(fromDisk.length > 16000);
    assert.deepEqual(fromBlob, fromDisk);
    const size = readFileSync(path).length;
    if (label === 'mp3') {
      // the excerpt is 0.4 MB: more than one read, none above the chunk size, never the whole file at once
      assert.ok(reads.length >= 2, `reads: ${reads}`);
      assert.ok(Math.max(...reads) <= DEFAULT_MP3_CHUNK_BYTES && Math.max(...reads) < size, `reads: ${reads}`);
    } else {
      assert.ok(reads.every((n) => n <= size));
    }
  });
}

test('a Blob that is not audio fails with an AudioError naming the file', async () => {
  const source = blobSource(new Blob([new Uint8Array(5000).fill(7)]), 'field_notes.mp3');
  await assert.rejects(samplesOf(streamAudio(source)), (err: unknown) => err instanceof AudioError && /field_notes\.mp3/.test(err.message) && err.reason === 'not-audio');
  const m4a = blobSource(new Blob([new Uint8Array(10)]), 'dawn.m4a');
  await assert.rejects(samplesOf(streamAudio(m4a)), (err: unknown) => err instanceof AudioError && err.reason === 'unsupported-codec' && /dawn\.m4a/.test(err.message));
});

test('blobSource reports how far it has read, for progress bars', async () => {
  const seen: number[] = [];
  const bytes = readFileSync(MP3);
  const source = blobSource(new Blob([bytes]), 'x.mp3', (position, size) => {
    assert.equal(size, bytes.length);
    seen.push(position);
  });
  await samplesOf(streamAudio(source));
  assert.equal(seen.at(-1), bytes.length);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'positions only grow');
});

test('blobSource reads in order through one stream of the blob, and a read anywhere else starts another there', async () => {
  const slices: number[] = [];
  class CountingBlob extends Blob {
    override slice(start?: number, end?: number, type?: string): Blob {
      slices.push(start ?? 0);
      return super.slice(start, end, type);
    }
  }
  const bytes = readFileSync(MP3);
  const source = blobSource(new CountingBlob([bytes]), 'x.mp3');
  const into = new Uint8Array(100_000);
  const got = async (position: number, length: number) => {
    const n = await source.read(into, length, position);
    return Buffer.from(into.subarray(0, n));
  };
  for (let at = 0; at < bytes.length; at += 100_000) assert.deepEqual(await got(at, 100_000), bytes.subarray(at, at + 100_000), `in order, at ${at}`);
  assert.deepEqual(slices, [0], 'one stream for the reads in order');
  assert.deepEqual(await got(12_345, 50_000), bytes.subarray(12_345, 62_345), 'a read elsewhere');
  assert.deepEqual(await got(62_345, 1000), bytes.subarray(62_345, 63_345), 'the next position with another length');
  assert.deepEqual(await got(0, 7), bytes.subarray(0, 7), 'back to the start');
  assert.deepEqual(slices, [0, 12_345, 0], 'a new stream where a read does not continue the last');
  assert.equal(await source.read(into, 10, bytes.length), 0, 'nothing past the end');
  await source.close();
});
