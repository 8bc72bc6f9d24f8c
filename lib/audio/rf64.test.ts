/**
 * RF64/BW64 input (WAVs over 4 GB, EBU Tech 3306): ffmpeg's RF64 of the sample's forest recording decodes to the
 * same samples as the plain WAV; hand-built headers with 64-bit sizes give the right offsets; a damaged ds64 gives
 * an AudioError that names the file and the fix; the streaming reader reads exact positions past 4 GB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import type { ByteSource } from './byteSource.ts';
import { AudioError } from './errors.ts';
import { loadAudio } from './load.ts';
import { probeAudio } from './probe.ts';
import { decodeWav, decodeWavChunks, readWavHeader } from './wav.ts';
import { NeedMoreBytes, parseWavHeader } from './wavHeader.ts';
import { insertChunk, tempFolder, toRf64 } from './__fixtures__/testAudio.ts';

const FFMPEG = '/usr/bin/ffmpeg';
const EXCERPT = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
const realWav = readFileSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav')); // 16-bit mono 44.1 kHz
const ascii = (bytes: Uint8Array, from: number, to: number) => new TextDecoder().decode(bytes.subarray(from, to));

function ffmpeg(args: string[]): Buffer {
  const res = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { maxBuffer: 64 << 20 });
  assert.equal(res.status, 0, res.stderr?.toString());
  return res.stdout;
}

async function chunked(input: string): Promise<Float32Array> {
  const parts: number[] = [];
  for await (const piece of decodeWavChunks(input, { chunkFrames: 100_000 })) parts.push(...piece.samples);
  return Float32Array.from(parts);
}

test('ffmpeg -rf64 always of recording 46 decodes to exactly the samples of the plain WAV (RF64, BW64, written to a pipe)', { skip: !existsSync(FFMPEG) && `${FFMPEG} not found: the ffmpeg RF64 check is skipped` }, async () => {
  const { dir, cleanup } = tempFolder();
  try {
    const plainPath = join(dir, 'plain.wav');
    const rf64Path = join(dir, 'rf64.wav');
    ffmpeg(['-i', EXCERPT, '-c:a', 'pcm_s16le', plainPath]);
    ffmpeg(['-i', plainPath, '-rf64', 'always', rf64Path]);
    const rf64 = readFileSync(rf64Path);
    assert.equal(ascii(rf64, 0, 4), 'RF64');
    assert.equal(rf64.readUInt32LE(4), 0xffffffff);
    assert.equal(ascii(rf64, 8, 16), 'WAVEds64');
    const dataAt = rf64.indexOf('data');
    assert.equal(rf64.readUInt32LE(dataAt + 4), 0xffffffff, "ffmpeg leaves the data chunk's 32-bit size at 0xFFFFFFFF");

    const plain = decodeWav(readFileSync(plainPath), plainPath);
    assert.equal(plain.sampleRate, 48000);
    assert.ok(plain.samples.length > 25 * 48000, `${plain.samples.length} samples`);
    assert.deepEqual(decodeWav(rf64, rf64Path).samples, plain.samples);
    assert.deepEqual(await chunked(rf64Path), plain.samples);
    const header = await readWavHeader(rf64Path);
    assert.equal(header.container, 'RF64');
    assert.deepEqual({ ...header, container: 'RIFF', dataOffset: 0 }, { ...(await readWavHeader(plainPath)), dataOffset: 0 });
    assert.equal((await probeAudio(rf64Path)).durationSec, (await probeAudio(plainPath)).durationSec);
    assert.deepEqual((await loadAudio(rf64Path)).samples, (await loadAudio(plainPath)).samples);

    // BW64 (ITU-R BS.2088) is the same layout under another magic
    const bw64Path = join(dir, 'bw64.wav');
    writeFileSync(bw64Path, Buffer.concat([Buffer.from('BW64'), rf64.subarray(4)]));
    assert.equal((await readWavHeader(bw64Path)).container, 'BW64');
    assert.deepEqual(await chunked(bw64Path), plain.samples);

    // written to a pipe, ffmpeg cannot go back to fill the ds64 in: its sizes stay 0 and the data runs to the end
    const piped = ffmpeg(['-i', plainPath, '-rf64', 'always', '-f', 'wav', '-']);
    assert.equal(ascii(piped, 0, 4), 'RF64');
    assert.equal(piped.readBigUInt64LE(28), 0n, 'the ds64 data size is 0');
    assert.deepEqual(decodeWav(piped, 'piped.wav').samples, plain.samples);
  } finally {
    cleanup();
  }
});

test('a real clip rewritten as RF64 or BW64 decodes to the same samples, also with a chunk after the data (its size comes from ds64)', async () => {
  const plain = decodeWav(realWav, 'plain.wav');
  for (const magic of ['RF64', 'BW64'] as const) {
    assert.deepEqual(decodeWav(toRf64(realWav, magic), `${magic}.wav`).samples, plain.samples, magic);
    // before, the data of an RF64 ran to the end of the file and a trailing chunk was decoded as samples
    const trailing = toRf64(insertChunk(realWav, 'guan', new TextEncoder().encode('GUANO|Version: 1.0\n'), 'end'), magic);
    const header = parseWavHeader(trailing, 'trailing.wav');
    assert.equal(header.dataBytes, realWav.readUInt32LE(40));
    assert.deepEqual(decodeWav(trailing, 'trailing.wav').samples, plain.samples, `${magic} with a trailing chunk`);
  }
});

/** An RF64 header (no samples) for a 48 kHz stereo 24-bit file: ds64 with a table entry for a LIST chunk whose 32-bit size is 0xFFFFFFFF. */
function bigHeader(dataSize: bigint, options: { ds64Size?: number; tableLength?: number; firstChunk?: string } = {}): Uint8Array {
  const { ds64Size = 40, tableLength = 1, firstChunk = 'ds64' } = options;
  const bytes = new Uint8Array(12 + 8 + ds64Size + 24 + 12 + 8);
  const view = new DataView(bytes.buffer);
  const put = (at: number, text: string) => bytes.set(new TextEncoder().encode(text), at);
  put(0, 'RF64');
  view.setUint32(4, 0xffffffff, true);
  put(8, `WAVE${firstChunk}`);
  view.setUint32(16, ds64Size, true);
  if (ds64Size >= 28) {
    view.setBigUint64(20, 5n << 30n, true); // riffSize (not used)
    view.setBigUint64(28, dataSize, true);
    view.setBigUint64(36, dataSize / 6n, true); // sampleCount (not used)
    view.setUint32(44, tableLength, true);
  }
  if (ds64Size >= 40) {
    put(48, 'LIST');
    view.setBigUint64(52, 4n, true);
  }
  let at = 20 + ds64Size;
  put(at, 'fmt ');
  view.setUint32(at + 4, 16, true);
  view.setUint16(at + 8, 1, true); // PCM
  view.setUint16(at + 10, 2, true);
  view.setUint32(at + 12, 48000, true);
  view.setUint32(at + 16, 48000 * 6, true);
  view.setUint16(at + 20, 6, true);
  view.setUint16(at + 22, 24, true);
  at += 24;
  put(at, 'LIST');
  view.setUint32(at + 4, 0xffffffff, true); // 4 bytes, by the ds64 table
  put(at + 8, 'INFO');
  at += 12;
  put(at, 'data');
  view.setUint32(at + 4, 0xffffffff, true);
  return bytes;
}

test('a ds64 data size over 4 GB: parsed from the header prefix of a 5 GB file, exact offsets, bytes and frames', () => {
  const fileSize = 5 * 2 ** 30;
  const dataSize = 4_800_000_003; // > 2^32, not a whole number of 6-byte frames
  const prefix = bigHeader(BigInt(dataSize));
  const header = parseWavHeader(prefix, 'big.wav', fileSize);
  assert.deepEqual(header, {
    container: 'RF64',
    encoding: 'pcm',
    formatTag: 1,
    channels: 2,
    sampleRate: 48000,
    bitsPerSample: 24,
    blockAlign: 6,
    dataOffset: prefix.length,
    dataBytes: 4_800_000_000,
    frames: 800_000_000,
  });
  assert.equal(prefix.length, 12 + 48 + 24 + 12 + 8);
  // a ds64 data size of 0 (a writer that could not go back): the data runs to the end of the file
  const toEnd = parseWavHeader(bigHeader(0n), 'pipe.wav', fileSize);
  assert.equal(toEnd.frames, Math.floor((fileSize - prefix.length) / 6));
  // the file is cut short of what ds64 declares: the whole frames present, and what was declared
  const cut = parseWavHeader(prefix, 'cut.wav', 2 ** 32 + 1000);
  assert.deepEqual(cut.cut, { declaredBytes: 4_800_000_003, presentBytes: 4_294_968_192 });
  assert.equal(cut.frames, Math.floor(4_294_968_192 / 6));
  // a prefix that stops inside the ds64 chunk asks for the rest
  assert.throws(() => parseWavHeader(prefix.subarray(0, 30), 'big.wav', fileSize), (err) => err instanceof NeedMoreBytes && err.needed === 60);
});

test('an RF64 with a missing, short or damaged ds64 → an AudioError naming the file, what is wrong and the fix', async () => {
  const cases: [name: string, bytes: Uint8Array, reason: string, detail: RegExp][] = [
    ['missing.wav', bigHeader(1000n, { firstChunk: 'JUNK' }), 'bad-format', /RF64 file \(a WAV over 4 GB\) must have a ds64 chunk right after WAVE, but the first chunk is "JUNK"/],
    ['short.wav', bigHeader(1000n, { ds64Size: 20 }), 'bad-format', /ds64 chunk is 20 bytes, shorter than the 28/],
    ['table.wav', bigHeader(1000n, { tableLength: 5 }), 'bad-format', /lists 5 chunk sizes but its 40 bytes hold 1/],
    ['huge.wav', bigHeader(1n << 60n), 'bad-format', /data size is \d+ bytes, beyond any file/],
    ['cut.wav', bigHeader(1000n).subarray(0, 40), 'truncated', /ends after 40 bytes, inside its ds64 chunk/],
    ['magic-only.wav', bigHeader(1000n).subarray(0, 16), 'truncated', /ends after 16 bytes, inside its ds64 chunk/],
  ];
  const { dir, cleanup } = tempFolder();
  try {
    for (const [name, bytes, reason, detail] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      for (const attempt of [() => decodeWav(bytes, path), () => readWavHeader(path), () => loadAudio(path)]) {
        await assert.rejects(
          async () => attempt(),
          (err) => {
            assert.ok(err instanceof AudioError, String(err));
            assert.equal(err.reason, reason, err.message);
            assert.equal(err.file, path);
            assert.ok(err.message.includes(path), err.message);
            assert.match(err.message, detail);
            assert.match(err.message, /Fix: \S/);
            return true;
          },
        );
      }
    }
  } finally {
    cleanup();
  }
  // the other magics keep their own errors
  const rifx = Uint8Array.from([...new TextEncoder().encode('RIFX'), ...realWav.subarray(4)]);
  assert.throws(() => decodeWav(rifx, 'rifx.wav'), (err) => err instanceof AudioError && err.reason === 'unsupported-codec' && /RIFX/.test(err.message));
  assert.throws(() => decodeWav(Uint8Array.from([...new TextEncoder().encode('RF65'), ...realWav.subarray(4)]), 'rf65.wav'), (err) => err instanceof AudioError && err.reason === 'not-audio');
});

test('the streaming reader reads exact positions past 4 GB (a 4.3 GB RF64 served by a synthetic byte source)', async () => {
  // 8191 channels of float64: 65528-byte frames, so 4.3 GB is 65 845 frames and decodes in well under a second
  const channels = 8191;
  const blockAlign = channels * 8;
  const frames = 65_845;
  const dataSize = frames * blockAlign;
  assert.ok(dataSize > 2 ** 32);
  const header = new Uint8Array(12 + 36 + 24 + 8);
  const view = new DataView(header.buffer);
  const put = (at: number, text: string) => header.set(new TextEncoder().encode(text), at);
  put(0, 'RF64');
  view.setUint32(4, 0xffffffff, true);
  put(8, 'WAVEds64');
  view.setUint32(16, 28, true);
  view.setBigUint64(20, BigInt(header.length + dataSize - 8), true);
  view.setBigUint64(28, BigInt(dataSize), true);
  view.setBigUint64(36, BigInt(frames), true);
  put(48, 'fmt ');
  view.setUint32(52, 16, true);
  view.setUint16(56, 3, true); // IEEE float
  view.setUint16(58, channels, true);
  view.setUint32(60, 8000, true);
  view.setUint32(64, 8000 * blockAlign, true);
  view.setUint16(68, blockAlign, true);
  view.setUint16(70, 64, true);
  put(72, 'data');
  view.setUint32(76, 0xffffffff, true);
  const dataOffset = header.length;
  // every frame's first channel holds its own index, computed from the absolute byte position asked for
  const positions: number[] = [];
  const source: ByteSource = {
    name: 'big.wav',
    size: dataOffset + dataSize,
    read: async (into, length, position) => {
      if (position < dataOffset) {
        into.set(header.subarray(position, position + length));
        return Math.min(length, header.length - position);
      }
      positions.push(position);
      const out = new DataView(into.buffer, into.byteOffset, length);
      for (let at = 0; at < length; at += blockAlign) out.setFloat64(at, (position + at - dataOffset) / blockAlign, true);
      return length;
    },
    close: async () => {},
  };
  let frame = 0;
  for await (const piece of decodeWavChunks(source, { chunkFrames: 256 })) {
    for (let i = 0; i < piece.samples.length; i += 97) assert.equal(piece.samples[i], Math.fround((frame + i) * (1 / channels)), `frame ${frame + i}`);
    frame += piece.samples.length;
  }
  assert.equal(frame, frames);
  assert.equal(positions.length, Math.ceil(frames / 256));
  assert.equal(positions.at(-1), dataOffset + 65_792 * blockAlign);
  assert.ok(positions.at(-1)! > 2 ** 32);
});
