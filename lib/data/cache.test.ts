import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureCache, canonicalJson, fingerprintFiles, sha256Hex, sourceFingerprint } from './cache.ts';

const code = { audio: 'a1', features: 'f1' };

test('canonicalJson sorts keys at every level and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }));
});

test('feature keys depend on the settings and on the code fingerprint, not on key order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-cache-'));
  try {
    const cache = new FeatureCache({ dir, codeVersion: code });
    const k = cache.featureKey({ kind: 'mel', melBins: 100, padMode: 'start' });
    assert.equal(k, cache.featureKey({ padMode: 'start', melBins: 100, kind: 'mel' }));
    assert.notEqual(k, cache.featureKey({ kind: 'mel', melBins: 100, padMode: 'centre' }));
    assert.notEqual(k, new FeatureCache({ dir, codeVersion: { audio: 'a1', features: 'f2' } }).featureKey({ kind: 'mel', melBins: 100, padMode: 'start' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('features and waveforms round-trip; corrupt or mis-shaped entries read as misses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-cache-'));
  try {
    const cache = new FeatureCache({ dir, codeVersion: code });
    const hash = sha256Hex('clip bytes');
    const key = cache.featureKey({ kind: 'spectrogram' });
    const m = { data: Float32Array.from({ length: 12 }, (_, i) => i / 3), rows: 4, cols: 3 };
    assert.equal(cache.readFeatures(hash, key, [4, 3]), null);
    cache.writeFeatures(hash, key, m, { kind: 'spectrogram' });
    assert.deepEqual(cache.readFeatures(hash, key, [4, 3]), m);
    assert.equal(cache.readFeatures(hash, key, [3, 4]), null, 'wrong shape is a miss');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, key, 'settings.json'), 'utf8')), { kind: 'spectrogram' });

    const path = cache.featurePath(hash, key);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 6)); // truncated
    assert.equal(cache.readFeatures(hash, key, [4, 3]), null);
    writeFileSync(path, 'not an npy file');
    assert.equal(cache.readFeatures(hash, key, [4, 3]), null);
    const nan = Buffer.from(bytes);
    nan.writeFloatLE(NaN, bytes.length - 4);
    writeFileSync(path, nan);
    assert.equal(cache.readFeatures(hash, key, [4, 3]), null, 'non-finite values are a miss');
    cache.writeFeatures(hash, key, m);
    assert.deepEqual(cache.readFeatures(hash, key, [4, 3]), m, 'rewritten after corruption');

    const wave = Float32Array.from([0.1, -0.2, 0.3]);
    assert.equal(cache.readWaveform(hash, 16000), null);
    cache.writeWaveform(hash, 16000, wave);
    assert.deepEqual(cache.readWaveform(hash, 16000), wave);
    assert.equal(cache.readWaveform(hash, 22050), null, 'keyed by sample rate');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sourceFingerprint covers the library sources and is stable', () => {
  const a = sourceFingerprint(['lib/data']);
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(sourceFingerprint(['lib/data']), a);
  assert.notEqual(sourceFingerprint(['lib/util']), a);
});

test('the code fingerprint ignores comments and layout, and follows code changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-fp-'));
  try {
    const file = join(dir, 'frame.ts');
    writeFileSync(file, 'export function gain(x: number): number {\n  return x * 2;\n}\n');
    const base = fingerprintFiles([file], dir);
    writeFileSync(file, '/** Doubles x. */\nexport function gain(x: number): number {\n  // twice as loud\n  return x   *   2;\n}\n');
    assert.equal(fingerprintFiles([file], dir), base, 'a comment or spacing edit must not re-decode the clips');
    writeFileSync(file, 'export function gain(x: number): number {\n  return x * 3;\n}\n');
    assert.notEqual(fingerprintFiles([file], dir), base, 'a code change must');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
