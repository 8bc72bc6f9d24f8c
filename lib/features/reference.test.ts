/**
 * capuchin's features against the independent numpy implementation in
 * tools/reference/make_feature_fixtures.py (fixtures in __fixtures__/, no Python needed here), and
 * proof that the comparison is sharp: the wrong window, hop, padding side or mel sample rate fails it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { padOrTrim } from '../audio/clip.ts';
import { decodeNpyFloat32 } from '../util/npy.ts';
import { compareToReference, type CompareOptions } from './__fixtures__/compare.ts';
import { configureFeatures } from './extractor.ts';
import type { Matrix } from './matrix.ts';
import { MelBank, melWeightMatrix } from './mel.ts';
import { Stft } from './stft.ts';
import { hannWindow } from './window.ts';

const dir = new URL('./__fixtures__/', import.meta.url);
const load = (file: string) => decodeNpyFloat32(readFileSync(new URL(file, dir)));

interface ClipFixture {
  name: string;
  input: string;
  frames: number;
  rows: number[];
  spectrogram: string;
  melPower: string;
  melPower48k: string;
  logMelDb: string;
  mfcc: string;
}
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as { melMatrix16k: string; clips: ClipFixture[] };

/** The fixture's rows of a full [frames, cols] matrix. */
function pick(m: Matrix, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * m.cols);
  rows.forEach((r, i) => out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return out;
}

const RELATIVE: CompareOptions = { rtol: 1e-4, floorFraction: 1e-3 };
const DB: CompareOptions = { rtol: 0, atol: 1e-3, floorFraction: 0 };
const MFCC: CompareOptions = { rtol: 1e-4, atol: 1e-3, floorFraction: 1e-3 };

function assertMatches(actual: Float32Array, file: string, opts: CompareOptions, what: string) {
  const c = compareToReference(actual, load(file).data, opts);
  assert.ok(c.checked > 0.2 * actual.length, `${what}: only ${c.checked} of ${actual.length} values above the floor`);
  assert.equal(c.failures, 0, `${what}: ${c.failures}/${c.checked} off; max rel ${c.maxRelError}, max abs ${c.maxAbsError}`);
}

function assertMismatch(actual: Float32Array, file: string, opts: CompareOptions, what: string) {
  const c = compareToReference(actual, load(file).data, opts);
  assert.ok(c.failures > 0.5 * c.checked, `${what} should NOT match the fixture, but only ${c.failures}/${c.checked} values differ`);
}

test('mel weight matrix equals the numpy implementation of tf.signal.linear_to_mel_weight_matrix', () => {
  const ours = melWeightMatrix({ melBins: 100, spectrogramBins: 257, sampleRate: 16000, fminHz: 80, fmaxHz: 8000 });
  assertMatches(ours.data, manifest.melMatrix16k, { rtol: 1e-5, atol: 1e-7, floorFraction: 0 }, 'mel matrix 16k');
  const wrong = melWeightMatrix({ melBins: 100, spectrogramBins: 257, sampleRate: 48000, fminHz: 80, fmaxHz: 8000 });
  assertMismatch(wrong.data, manifest.melMatrix16k, RELATIVE, 'the 48 kHz mel matrix');
});

for (const clip of manifest.clips) {
  const input = load(clip.input).data;

  test(`${clip.name}: spectrogram, mel power (16k and 48k banks), log-mel dB and MFCC match numpy`, () => {
    const spec = configureFeatures({ kind: 'spectrogram' }).extractClip(input);
    assert.deepEqual([spec.rows, spec.cols], [clip.frames, 257]);
    assertMatches(pick(spec, clip.rows), clip.spectrogram, RELATIVE, 'spectrogram');

    const clip48k = padOrTrim(input, 48000, 'start');
    const mel = configureFeatures({ kind: 'mel' });
    assertMatches(pick(mel.frames(clip48k), clip.rows), clip.melPower, RELATIVE, 'mel power');
    assertMatches(pick(mel.extractClip(input), clip.rows), clip.logMelDb, DB, 'log-mel dB');
    const mel48 = configureFeatures({ kind: 'mel', melSampleRate: 48000 });
    assertMatches(pick(mel48.frames(clip48k), clip.rows), clip.melPower48k, RELATIVE, 'mel power, 48k bank');
    assertMatches(pick(configureFeatures({ kind: 'mfcc' }).extractClip(input), clip.rows), clip.mfcc, MFCC, 'MFCC');
  });

  test(`${clip.name}: the wrong window, hop, padding side or mel bank does NOT match`, () => {
    const clip48k = padOrTrim(input, 48000, 'start');
    const symmetric = new Stft({ frameLength: 320, hopLength: 32, fftLength: 512, window: hannWindow(320, false) });
    assertMismatch(pick(symmetric.magnitude(clip48k), clip.rows), clip.spectrogram, RELATIVE, 'symmetric Hann');

    const hop31 = configureFeatures({ hopLength: 31 }).extractClip(input);
    assertMismatch(pick(hop31, clip.rows), clip.spectrogram, RELATIVE, 'hop 31');

    const endPadded = new Float32Array(48000);
    endPadded.set(input.subarray(0, 48000));
    const spectrogram = configureFeatures();
    const wrongPad = spectrogram.finalize(spectrogram.frames(endPadded));
    const c = compareToReference(pick(wrongPad, clip.rows), load(clip.spectrogram).data, RELATIVE);
    if (input.length < 48000) assert.ok(c.failures > 0.5 * c.checked, `end padding should not match (${c.failures}/${c.checked} differ)`);
    else assert.equal(c.failures, 0, 'a clip longer than 3 s has no padding, so both sides agree');
    if (input.length < 48000) {
      const centre = configureFeatures({ padMode: 'centre' }).extractClip(input);
      assertMismatch(pick(centre, clip.rows), clip.spectrogram, RELATIVE, 'centre padding');
    }

    const mel = configureFeatures({ kind: 'mel' });
    const mel48 = configureFeatures({ kind: 'mel', melSampleRate: 48000 });
    assertMismatch(pick(mel48.frames(clip48k), clip.rows), clip.melPower, RELATIVE, '48k bank vs the 16k fixture');
    assertMismatch(pick(mel.frames(clip48k), clip.rows), clip.melPower48k, RELATIVE, '16k bank vs the 48k fixture');
    // mel of the magnitude instead of the power
    const mag = configureFeatures().frames(clip48k);
    const magMel = new MelBank({ melBins: 100, spectrogramBins: 257, sampleRate: 16000, fminHz: 80, fmaxHz: 8000 }).apply(mag);
    assertMismatch(pick(magMel, clip.rows), clip.melPower, RELATIVE, 'mel of |STFT| instead of |STFT|²');
  });
}
