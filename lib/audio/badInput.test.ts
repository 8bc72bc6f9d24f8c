/** The bad-input corpus: every file is generated in a temp folder from real sample bytes or wavefile output. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREST_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { AudioError, type AudioErrorReason } from './errors.ts';
import { concatSamples } from './audio.ts';
import { loadAudio, streamAudio } from './load.ts';
import { parseWavHeader } from './wavHeader.ts';
import { encodedWavBytes, tempFolder, tone, wavBytes } from './__fixtures__/testAudio.ts';

const realWav = readFileSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav')); // 264644 bytes, 16-bit mono 44.1 kHz
const realMp3 = readFileSync(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'));
let dir = '';
let cleanup = () => {};
before(() => ({ dir, cleanup } = tempFolder('capuchin-bad-')));
after(() => cleanup());

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The canonical 44-byte header of a 16-bit wav, with one field patched. */
function patched(offset: number, value: number, bytes = 2): Uint8Array {
  const copy = Uint8Array.from(wavBytes([tone(440, 8000, 0.1)], 8000));
  const view = new DataView(copy.buffer);
  if (bytes === 2) view.setUint16(offset, value, true);
  else view.setUint32(offset, value, true);
  return copy;
}

async function collectChunks(chunks: AsyncIterable<Float32Array>): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

async function expectAudioError(path: string, reason: AudioErrorReason, detail?: RegExp): Promise<AudioError> {
  try {
    await loadAudio(path, { onWarning: () => {} });
  } catch (err) {
    assert.ok(err instanceof AudioError, `expected AudioError, got ${String(err)}`);
    assert.equal(err.reason, reason, err.message);
    assert.equal(err.file, path);
    assert.ok(err.message.includes(path), `message names the file: ${err.message}`);
    assert.match(err.message, /Fix: \S/, 'message carries a fix');
    if (detail) assert.match(err.message, detail);
    return err;
  }
  assert.fail(`${path} loaded without error; expected '${reason}'`);
}

test('zero-length .wav and .mp3 → empty', async () => {
  await expectAudioError(write('zero.wav', new Uint8Array(0)), 'empty');
  await expectAudioError(write('zero.mp3', new Uint8Array(0)), 'empty');
});

test('header only → header-only (a 44-byte header with no samples; a header with no data chunk; an ID3 tag alone)', async () => {
  await expectAudioError(write('header.wav', patched(40, 0, 4).subarray(0, 44)), 'header-only', /data chunk is empty/);
  await expectAudioError(write('fmt-only.wav', patched(4, 28, 4).subarray(0, 36)), 'header-only', /no data chunk/);
  await expectAudioError(write('id3-only.mp3', realMp3.subarray(0, 45)), 'header-only', /ID3 tag/);
});

test('a WAV cut short of its data chunk (a dead recorder battery) decodes the frames there, with a truncated warning', async () => {
  const dataAt = realWav.indexOf('data'); // found, not assumed at 36: a wav may have a LIST chunk first (this clip has none)
  const header = parseWavHeader(realWav, 'whole.wav');
  const keep = dataAt + 8 + 1000 * header.blockAlign + 1; // 1000 whole frames and a byte of the next
  const whole = await loadAudio(write('whole.wav', realWav), { sampleRate: 'native' });
  for (const stream of [false, true]) {
    const warnings: AudioError[] = [];
    const path = write(`cut-${stream}.wav`, realWav.subarray(0, keep));
    const onWarning = (w: AudioError) => warnings.push(w);
    const samples = stream
      ? concatSamples(await collectChunks(streamAudio(path, { sampleRate: header.sampleRate, onWarning })))
      : (await loadAudio(path, { sampleRate: 'native', onWarning })).samples;
    assert.deepEqual(samples, whole.samples.subarray(0, 1000), 'the frames present, as the whole file has them');
    assert.equal(warnings.length, 1);
    const seconds = (frames: number) => (frames / header.sampleRate).toFixed(1);
    assert.equal(warnings[0].reason, 'truncated');
    assert.match(warnings[0].detail, new RegExp(`declares ${seconds(header.frames)} s of audio but the file holds ${seconds(1000)} s`));
  }
  // a header that is itself cut stays an error
  await expectAudioError(write('cut-header.wav', realWav.subarray(0, 30)), 'truncated', /inside its/);
});

test('an mp3 cut inside its first frame → truncated; cut later → decodes with a warning', async () => {
  await expectAudioError(write('first-frame.mp3', realMp3.subarray(0, 245)), 'truncated', /first frame/);
  const warnings: AudioError[] = [];
  const audio = await loadAudio(write('later.mp3', realMp3.subarray(0, 200001)), { sampleRate: 'native', onWarning: (w) => warnings.push(w) });
  assert.ok(audio.samples.length > 10 * 48000);
  assert.deepEqual(warnings.map((w) => [w.reason, w.file]), [['truncated', join(dir, 'later.mp3')]]);
});

test('random bytes named .wav or .mp3 → not-audio', async () => {
  const noise = randomBytes(20000);
  await expectAudioError(write('noise.wav', noise), 'not-audio', /not a RIFF\/WAVE header/);
  await expectAudioError(write('noise.mp3', noise), 'not-audio', /not an mp3/);
  await expectAudioError(write('wav-named.mp3', realWav), 'not-audio');
});

test('NaN or Inf float samples → non-finite, naming the sample and its time', async () => {
  for (const [name, bad] of [['nan', NaN], ['inf', Infinity], ['-inf', -Infinity]] as const) {
    const samples = tone(440, 8000, 0.5);
    samples[2000] = bad;
    const err = await expectAudioError(write(`${name}.wav`, wavBytes([samples], 8000, '32f')), 'non-finite');
    assert.match(err.message, /sample 2000 \(at 0\.250 s\)/);
  }
  const huge = new Float32Array(100);
  const bytes = wavBytes([huge], 8000, '64');
  new DataView(bytes.buffer, bytes.byteOffset).setFloat64(44 + 8 * 10, 1e300, true); // finite in float64, Inf as float32
  await expectAudioError(write('huge.wav', bytes), 'non-finite');
});

test('A-law, mu-law and IMA ADPCM → unsupported-codec, naming the codec and the ffmpeg command', async () => {
  const samples = tone(440, 8000, 0.5);
  for (const [codec, label] of [['alaw', 'A-law'], ['mulaw', 'mu-law'], ['ima-adpcm', 'IMA ADPCM']] as const) {
    const err = await expectAudioError(write(`${codec}.wav`, encodedWavBytes(samples, 8000, codec)), 'unsupported-codec');
    assert.ok(err.message.includes(label), err.message);
    assert.match(err.message, /ffmpeg -i ".*" -c:a pcm_s16le out\.wav/);
  }
  await expectAudioError(write('big-endian.wav', Uint8Array.from([...Buffer.from('RIFX'), ...realWav.subarray(4, 200)])), 'unsupported-codec', /RIFX/);
});

test('zero channels, zero rate, odd bit depth or inconsistent block align → bad-format', async () => {
  await expectAudioError(write('no-channels.wav', patched(22, 0)), 'bad-format', /0 channels/);
  await expectAudioError(write('no-rate.wav', patched(24, 0, 4)), 'bad-format', /sample rate of 0 Hz/);
  await expectAudioError(write('12-bit.wav', patched(34, 12)), 'bad-format', /12-bit integer samples are not supported/);
  await expectAudioError(write('block-align.wav', patched(32, 3)), 'bad-format', /block align is 3 bytes/);
});

test('other extensions: .m4a → unsupported-codec with an ffmpeg hint, a WAV named .flac → not-audio, .txt → not-audio, missing path → missing', async () => {
  await expectAudioError(write('song.m4a', realWav), 'unsupported-codec', /ffmpeg -i/);
  await expectAudioError(write('song.flac', realWav), 'not-audio', /not a FLAC stream/);
  await expectAudioError(write('notes.txt', realWav), 'not-audio', /extension '\.txt'/);
  await expectAudioError(join(dir, 'nope.wav'), 'missing', /does not exist/);
});

test('loadAudio validates its options, naming the field and the allowed range', async () => {
  const path = write('good.wav', wavBytes([tone(440, 8000, 0.1)], 8000));
  await assert.rejects(loadAudio(path, { sampleRate: 0 }), /sampleRate.*\[1000, 384000\] Hz/);
  await assert.rejects(loadAudio(path, { sampleRate: 16000.5 }), /sampleRate.*whole number/);
});

test('a WAV whose fmt chunk runs past the end of the file is truncated, not an internal error', async () => {
  const { decodeWav } = await import('./wav.ts');
  const bytes = new TextEncoder().encode('RIFF\x24\x00\x00\x00WAVEfmt not really a wav file');
  assert.throws(
    () => decodeWav(bytes, 'broken-1.wav'),
    (err: unknown) => err instanceof AudioError && err.reason === 'truncated' && /broken-1\.wav/.test(err.message),
  );
});
