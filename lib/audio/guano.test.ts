/**
 * GUANO metadata: the `guan` chunk of a real sample clip (inserted before the data, after it, in an RF64), its
 * fields and timestamp, read with a few small reads; the decoders skip the chunk and give the same samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { openFileSource, type ByteSource } from './byteSource.ts';
import { AudioError } from './errors.ts';
import { findWavChunk, guanoTimestamp, parseGuano, readGuano } from './guano.ts';
import { loadAudio } from './load.ts';
import { decodeWav, decodeWavChunks } from './wav.ts';
import { insertChunk, tempFolder, toRf64 } from './__fixtures__/testAudio.ts';

const realWav = readFileSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav')); // 16-bit mono 44.1 kHz, fmt + data
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A recorder's GUANO block with CRLF line ends, a blank line, colons in values and a non-ASCII note. */
const GUANO_TEXT = [
  'GUANO|Version: 1.0',
  'Timestamp: 2024-03-01T05:30:00-03:00',
  'Loc Position: -2.9558 -59.9290',
  'Make: Wildlife Acoustics',
  'Model: Song Meter Mini 2',
  'Serial: SMM12345',
  'TE: 1',
  '',
  'WA|Song Meter|Prefix: SMM12345',
  'Note: dawn chorus: Reserva Ducke, perto do igarapé',
  '',
].join('\r\n');

const FIELDS = {
  'GUANO|Version': '1.0',
  Timestamp: '2024-03-01T05:30:00-03:00',
  'Loc Position': '-2.9558 -59.9290',
  Make: 'Wildlife Acoustics',
  Model: 'Song Meter Mini 2',
  Serial: 'SMM12345',
  TE: '1',
  'WA|Song Meter|Prefix': 'SMM12345',
  Note: 'dawn chorus: Reserva Ducke, perto do igarapé',
};

test('parseGuano: one Key: value a line (\\n or \\r\\n), values keep their colons, padding, blank and value-less lines left out', () => {
  assert.deepEqual(parseGuano(GUANO_TEXT), FIELDS);
  assert.deepEqual(parseGuano(GUANO_TEXT.replaceAll('\r\n', '\n')), FIELDS);
  assert.deepEqual(parseGuano('GUANO|Version:1.0\n  Make :  Pettersson  \nno colon here\nEmpty:\nTE: 10\nTE: 1\n   \0\0\0   '), { 'GUANO|Version': '1.0', Make: 'Pettersson', TE: '1' });
  assert.deepEqual(parseGuano(''), {});
});

test('guanoTimestamp: with an offset, with Z, and without (local time, offset unknown)', () => {
  assert.deepEqual(guanoTimestamp({ Timestamp: '2024-03-01T05:30:00-03:00' }), { iso: '2024-03-01T05:30:00-03:00', offsetMinutes: -180, epochMs: Date.UTC(2024, 2, 1, 8, 30) });
  assert.deepEqual(guanoTimestamp({ Timestamp: '2024-03-01T08:30:00Z' }), { iso: '2024-03-01T08:30:00Z', offsetMinutes: 0, epochMs: Date.UTC(2024, 2, 1, 8, 30) });
  assert.deepEqual(guanoTimestamp({ Timestamp: '2024-03-01T05:30:00' }), { iso: '2024-03-01T05:30:00', offsetMinutes: undefined, epochMs: undefined });
  assert.deepEqual(guanoTimestamp({ Timestamp: '2015-12-31T23:59:59.123456+05:30' }), { iso: '2015-12-31T23:59:59.123456+05:30', offsetMinutes: 330, epochMs: Date.UTC(2015, 11, 31, 18, 29, 59, 123) });
  assert.equal(guanoTimestamp({ Timestamp: '2012-03-29T03:58:01-0230' })?.offsetMinutes, -150, 'an offset without its colon, read leniently');
  assert.equal(guanoTimestamp({ Timestamp: '2024-03-01T05:30:00-00:00' })?.offsetMinutes, 0);
  for (const bad of ['2024-13-01T00:00:00', '2024-02-30T00:00:00Z', '2024-03-01T24:00:00', '2024-03-01', 'yesterday', '2024-03-01T05:30:00+25:00']) {
    assert.equal(guanoTimestamp({ Timestamp: bad }), undefined, bad);
  }
  assert.equal(guanoTimestamp({ Make: 'Pettersson' }), undefined, 'no Timestamp');
});

/** A byte source over a file that records every read. */
async function recording(path: string): Promise<{ source: ByteSource; reads: [position: number, length: number][] }> {
  const file = await openFileSource(path);
  const reads: [number, number][] = [];
  return { reads, source: { ...file, read: (into, length, position) => (reads.push([position, length]), file.read(into, length, position)) } };
}

test('readGuano finds the guan chunk before or after the data, in RIFF and RF64, with a few small reads; the decoders skip it', async () => {
  const { dir, cleanup } = tempFolder();
  try {
    const plain = decodeWav(realWav, 'plain.wav');
    const body = utf8(`${GUANO_TEXT}  `); // padded with spaces, as recorders pre-allocate it
    const layouts: [name: string, bytes: Uint8Array][] = [
      ['before-data.wav', insertChunk(realWav, 'guan', body, 'before-data')],
      ['after-data.wav', insertChunk(realWav, 'guan', body.subarray(0, body.length - 1), 'end')], // odd size: a pad byte follows
      ['rf64-after-data.wav', toRf64(insertChunk(realWav, 'guan', body, 'end'))],
      ['bw64-before-data.wav', toRf64(insertChunk(realWav, 'guan', body, 'before-data'), 'BW64')],
    ];
    for (const [name, bytes] of layouts) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      assert.deepEqual(await readGuano(path), FIELDS, name);
      const { source, reads } = await recording(path);
      try {
        const chunk = await findWavChunk(source, 'guan');
        assert.ok(chunk, name);
        assert.equal(new TextDecoder().decode(bytes.subarray(chunk.offset - 8, chunk.offset - 4)), 'guan');
        assert.deepEqual(await readGuano(source), FIELDS);
        const big = reads.filter(([, length]) => length > 48);
        assert.deepEqual(big, [[chunk.offset, chunk.size]], `${name}: only the guan chunk is read past the chunk headers: ${JSON.stringify(reads)}`);
      } finally {
        await source.close();
      }
      assert.deepEqual((await loadAudio(path, { sampleRate: 'native' })).samples, plain.samples, `${name}: the guan chunk is skipped by loadAudio`);
      const parts: number[] = [];
      for await (const piece of decodeWavChunks(path, { chunkFrames: 50_000 })) parts.push(...piece.samples);
      assert.deepEqual(Float32Array.from(parts), plain.samples, `${name}: and by decodeWavChunks`);
    }
    const latin1 = join(dir, 'latin1.wav');
    writeFileSync(latin1, insertChunk(realWav, 'guan', Uint8Array.from([...utf8('Make: Pettersson\nNote: caf'), 0xe9, 0x0a]), 'before-data'));
    assert.deepEqual(await readGuano(latin1), { Make: 'Pettersson', Note: 'café' }, 'bytes that are not UTF-8 are read as Latin-1');
    const tsFields = (await readGuano(join(dir, 'before-data.wav')))!;
    assert.equal(guanoTimestamp(tsFields)?.epochMs, Date.UTC(2024, 2, 1, 8, 30));
  } finally {
    cleanup();
  }
});

test('no guan chunk → undefined (a plain WAV, its RF64, an mp3); a missing file → AudioError', async () => {
  const { dir, cleanup } = tempFolder();
  try {
    const plainPath = join(dir, 'plain.wav');
    writeFileSync(plainPath, realWav);
    const rf64Path = join(dir, 'plain-rf64.wav');
    writeFileSync(rf64Path, toRf64(realWav));
    assert.equal(await readGuano(plainPath), undefined);
    assert.equal(await readGuano(rf64Path), undefined);
    assert.equal(await readGuano(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3')), undefined);
    const missing = join(dir, 'nope.wav');
    await assert.rejects(readGuano(missing), (err) => err instanceof AudioError && err.reason === 'missing' && err.file === missing);
  } finally {
    cleanup();
  }
});
