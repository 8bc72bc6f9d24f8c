import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FEATURE_CONFIG, FeatureConfigError, clipSamples, featureShape, resolveFeatureConfig } from './config.ts';

test('defaults reproduce the original 320/32/512 framing of 3 s at 16 kHz', () => {
  const cfg = resolveFeatureConfig();
  assert.deepEqual(cfg, DEFAULT_FEATURE_CONFIG);
  assert.equal(clipSamples(cfg), 48000);
  assert.deepEqual(featureShape(cfg), [1491, 257]);
  assert.deepEqual(featureShape(resolveFeatureConfig({ kind: 'mel' })), [1491, 100]);
  assert.deepEqual(featureShape(resolveFeatureConfig({ kind: 'mfcc' })), [1491, 20]);
  assert.deepEqual(featureShape(resolveFeatureConfig({ hopLength: 160, fftLength: 1024, kind: 'mel', melBins: 64 })), [299, 64]);
});

test('melSampleRate defaults to sampleRate and may be set to the original 48000 bug', () => {
  assert.equal(resolveFeatureConfig({ sampleRate: 22050, fmaxHz: 11025 }).melSampleRate, 22050);
  assert.equal(resolveFeatureConfig({ melSampleRate: 48000 }).melSampleRate, 48000);
  assert.equal(resolveFeatureConfig({ topDb: null }).topDb, null);
});

test('errors name the field and the allowed range', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ fftLength: 500 }, 'feature config: fftLength must be a power of two ≥ frameLength (320), got 500'],
    [{ fftLength: 256 }, 'fftLength must be a power of two ≥ frameLength (320), got 256'],
    [{ kind: 'chroma' }, "kind must be one of spectrogram|mel|mfcc|pcen, got 'chroma'"],
    [{ hopLength: 0 }, 'hopLength must be an integer in [1, 65536], got 0'],
    [{ hopLength: 400 }, 'hopLength must be in [1, frameLength (320)], got 400'],
    [{ frameLength: 12.5 }, 'frameLength must be an integer in [2, 65536], got 12.5'],
    [{ fmaxHz: 9000 }, 'fmaxHz must be in (fminHz (80), 8000] (half of sampleRate/melSampleRate), got 9000'],
    [{ fminHz: 8000 }, 'fminHz must be in [0, fmaxHz (8000)), got 8000'],
    [{ mfccCount: 101 }, 'mfccCount must be in [1, melBins (100)], got 101'],
    [{ clipSec: 0.01 }, 'clipSec must give at least frameLength (320) samples at 16000 Hz, got 0.01 s = 160 samples'],
    [{ topDb: -5 }, 'topDb must be a number in (0, 1000], got -5'],
    [{ padMode: 'end' }, "padMode must be one of start|centre, got 'end'"],
    [{ sampleRate: '16000' }, "sampleRate must be an integer in [1000, 384000], got '16000'"],
    [{ hopLenght: 32 }, 'unknown field(s) hopLenght'],
  ];
  for (const [partial, message] of cases) {
    assert.throws(
      () => resolveFeatureConfig(partial),
      (err: unknown) => err instanceof FeatureConfigError && err.message.startsWith('feature config: ') && err.message.includes(message),
      `${JSON.stringify(partial)} should fail with: ${message}`,
    );
  }
});
