/**
 * modelAudio across a message port (what the browser page's two workers do), here over Node's MessageChannel:
 * the same samples, warnings, errors and scores as in one thread; the decoder stays at most `window` pieces ahead
 * and stops when the scorer does. Real audio: the sample's forest excerpt, and a WAV built to raise input warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobSource } from '../audio/byteSource.ts';
import { loadAudio } from '../audio/load.ts';
import { wavBytes } from '../audio/__fixtures__/testAudio.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { selectBackend } from '../model/backend/select.ts';
import { loadModel, loadModelDetector } from '../model/io.ts';
import { BufferPool } from '../util/bufferPool.ts';
import { ModelAudioClient, serveModelAudio, type FromDecoder, type Port } from './audioPort.ts';
import { modelAudio, type ModelAudioFeature } from './modelAudio.ts';
import { leadSamples, scoreFramed, scoreRecording, scoreStream } from './scoreStream.ts';
import { modelDetector } from './targetDetector.ts';

const EXCERPT = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
const FEATURE: ModelAudioFeature = { sampleRate: 16000, fmaxHz: 8000, removeDc: false };

/** A decoder on one end of a channel, a client on the other; `sent` lists the decoder's messages as it posts them. */
function channel(pool = new BufferPool()): { client: ModelAudioClient; sent: FromDecoder[]; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  const sent: FromDecoder[] = [];
  const server: Port = {
    postMessage: (m, transfer) => {
      sent.push(m as FromDecoder);
      port1.postMessage(m, transfer as never);
    },
    set onmessage(f) {
      port1.onmessage = f as never;
    },
    get onmessage() {
      return port1.onmessage as never;
    },
  };
  serveModelAudio(server, pool);
  return { client: new ModelAudioClient(port2 as unknown as Port), sent, close: () => (port1.close(), port2.close()) };
}

/** Copies: a chunk is valid until the next is asked for (its buffer is reused). */
async function collect(chunks: AsyncIterable<Float32Array>): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for await (const c of chunks) out.push(c.slice());
  return out;
}

const joined = (parts: Float32Array[]) => {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (all.set(p, at), (at += p.length));
  return all;
};

/** The excerpt with 3000 bytes overwritten in the middle: a frame fails to decode (a decoding warning). */
function damagedMp3(): Uint8Array {
  const bytes = new Uint8Array(readFileSync(EXCERPT));
  bytes.fill(0x55, 200_000, 203_000);
  return bytes;
}

/** 20 s at 8 kHz (band-limited for the 8 kHz fmax), a 0.2 DC offset and clipped peaks: every input check speaks. */
function warnedWav(): Uint8Array {
  const x = new Float32Array(8000 * 20);
  for (let i = 0; i < x.length; i++) x[i] = Math.max(-1, Math.min(1, 0.2 + 1.1 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  return wavBytes([x], 8000);
}

test('through the port: the same samples and warnings as modelAudio in one thread (mp3 excerpt, a damaged mp3, a WAV that raises input warnings)', async () => {
  const { client, close } = channel();
  try {
    for (const [name, bytes] of [
      ['excerpt.mp3', readFileSync(EXCERPT)],
      ['warned.wav', warnedWav()],
      ['damaged.mp3', damagedMp3()],
    ] as const) {
      const here: string[] = [];
      const local = modelAudio(blobSource(new Blob([bytes]), name), FEATURE, {}, here);
      const expected = joined(await collect(local.chunks));
      const there: string[] = [];
      const reads: number[] = [];
      const remote = client.modelAudio(new Blob([bytes]), name, FEATURE, { chunkSec: 3 }, there, (position) => reads.push(position));
      const parts = await collect(remote.chunks);
      assert.ok(parts.length > 1, `${name}: several chunks`);
      assert.deepEqual(joined(parts), expected, name);
      assert.deepEqual(there, here, `${name}: decoding warnings`);
      assert.deepEqual(remote.inputWarnings(), local.inputWarnings(), `${name}: input checks`);
      assert.equal(reads.at(-1), bytes.length, `${name}: the reads reach the end`);
      if (name === 'damaged.mp3') assert.match(there.join('\n'), /^corrupt: 1 frame\(s\) failed to decode/);
      if (name === 'warned.wav') assert.deepEqual(remote.inputWarnings().map((w) => w.split(':')[0]).sort(), ['DC offset', 'band-limited', 'clipped'].sort());
    }
  } finally {
    close();
  }
});

test('through the port: a damaged file fails with the message it fails with in one thread', async () => {
  const { client, close } = channel();
  try {
    const bytes = new Uint8Array(4000).fill(7);
    const local = modelAudio(blobSource(new Blob([bytes]), 'broken.wav'), FEATURE);
    const expected = await collect(local.chunks).then(
      () => assert.fail('the damaged file decoded'),
      (err: Error) => err.message,
    );
    await assert.rejects(collect(client.modelAudio(new Blob([bytes]), 'broken.wav', FEATURE).chunks), (err: Error) => err.message === expected);
  } finally {
    close();
  }
});

test('through the port: the decoder stays `window` chunks ahead of the scorer, and stops when the scorer does', async () => {
  const { client, sent, close } = channel();
  const settle = () => new Promise((r) => setTimeout(r, 300));
  try {
    const piecesSent = () => sent.filter((m) => m.type === 'chunk').length;
    // the excerpt as a 16 kHz WAV: chunks of 1 s, so about 26 of them
    const wav = wavBytes([(await loadAudio(EXCERPT)).samples], 16000);
    const remote = client.modelAudio(new Blob([wav]), 'excerpt.wav', FEATURE, { chunkSec: 1, window: 3 });
    const first = await remote.chunks.next();
    assert.equal(first.done, false);
    await settle();
    assert.equal(piecesSent(), 4, 'the chunk taken and the three of the window');
    await remote.chunks.return(undefined);
    await settle();
    const after = piecesSent();
    await settle();
    assert.equal(piecesSent(), after, 'no piece after the cancel');
    assert.ok(after <= 5, `${after} chunks sent in all`);
    assert.equal(sent.some((m) => m.type === 'end'), false, 'cancelled, not ended');
  } finally {
    close();
  }
});

test('through the port: each chunk\'s buffer comes back and carries a later chunk (no fresh buffer per chunk)', async () => {
  const pool = new BufferPool();
  const { client, sent, close } = channel(pool);
  try {
    const remote = client.modelAudio(new Blob([readFileSync(EXCERPT)]), 'excerpt.mp3', FEATURE, { chunkSec: 1, window: 3 });
    const parts = await collect(remote.chunks);
    assert.equal(sent.filter((m) => m.type === 'chunk').length, parts.length);
    assert.ok(parts.length >= 20, `${parts.length} chunks`);
    // the window's three, one being scored, and one for a chunk sent before the scorer's buffer is back
    assert.ok(pool.created <= 5, `${pool.created} buffers made for ${parts.length} chunks`);
  } finally {
    close();
  }
});

test('scoreStream on the port\'s chunks scores the excerpt exactly as scoreRecording does in one thread', { timeout: 120_000 }, async () => {
  await selectBackend({ allowCpuTraining: true, log: () => {} });
  const { model, meta } = await loadModel(DEFAULT_MODEL_DIR);
  const { detector } = modelDetector(meta, loadModelDetector(DEFAULT_MODEL_DIR)?.detector);
  const opts = { keepAudioSec: 0, imageRowsPerSec: 0 };
  const here: string[] = [];
  const local = await scoreRecording(EXCERPT, model, meta, detector, opts, here);
  const { client, close } = channel();
  try {
    const there: string[] = [];
    const remote = client.modelAudio(new Blob([readFileSync(EXCERPT)]), EXCERPT, meta.feature, {}, there);
    const scored = await scoreStream(remote.chunks, model, meta, detector, opts);
    there.push(...remote.inputWarnings());
    assert.deepEqual(scored.scores, local.scores);
    assert.equal(scored.durationSec, (await loadAudio(EXCERPT)).samples.length / meta.feature.sampleRate);
    assert.deepEqual(there, here);
  } finally {
    close();
    model.dispose();
  }
});

test('scoreFramed on the port\'s framed chunks (framed on the decoding side) scores the excerpt exactly as scoreRecording does', { timeout: 120_000 }, async () => {
  await selectBackend({ allowCpuTraining: true, log: () => {} });
  const { model, meta } = await loadModel(DEFAULT_MODEL_DIR);
  const saved = loadModelDetector(DEFAULT_MODEL_DIR)?.detector;
  const opts = { keepAudioSec: 0, imageRowsPerSec: 0 };
  const pool = new BufferPool();
  const { client, sent, close } = channel(pool);
  try {
    // the shipped detector (no lead), and one that scores the stream with 1.5 s of silence at either end
    for (const over of [{}, { leadSec: 1.5 }]) {
      const { detector } = modelDetector(meta, saved, over);
      const lead = leadSamples(detector, meta.feature.sampleRate);
      const here: string[] = [];
      const local = await scoreRecording(EXCERPT, model, meta, detector, opts, here);
      const there: string[] = [];
      sent.length = 0;
      const remote = client.framedAudio(new Blob([readFileSync(EXCERPT)]), EXCERPT, meta.feature, lead, { chunkSec: 5 }, there);
      const scored = await scoreFramed(remote.chunks, model, meta, detector, opts);
      there.push(...remote.inputWarnings());
      assert.deepEqual(scored.scores, local.scores, `lead ${lead}`);
      assert.equal(scored.durationSec, local.durationSec);
      assert.deepEqual(there, here);
      const chunks = sent.filter((m) => m.type === 'chunk');
      assert.equal(chunks.filter((m) => m.type === 'chunk' && m.lead).length, lead > 0 ? 2 : 0, 'a chunk of silence at either end where the detector leads');
      assert.ok(chunks.every((m) => m.type === 'chunk' && m.frames && m.cols === 48), 'every chunk brings its frames');
    }
    assert.ok(pool.created <= 12, `${pool.created} buffers made`);
    // a scorer whose detector wants another lead refuses the stream
    const { detector } = modelDetector(meta, saved, { leadSec: 1.5 });
    const other = client.framedAudio(new Blob([readFileSync(EXCERPT)]), EXCERPT, meta.feature, leadSamples(detector, meta.feature.sampleRate) + 160);
    await assert.rejects(scoreFramed(other.chunks, model, meta, detector, opts), /came with \d+ samples of lead, not 2 × \d+/);
  } finally {
    close();
    model.dispose();
  }
});
