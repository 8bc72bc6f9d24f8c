import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { padOrTrim } from '../audio/clip.ts';
import { loadAudio } from '../audio/load.ts';
import { configureFeatures } from '../features/extractor.ts';
import { FeatureCache, sha256Hex } from './cache.ts';
import { clipMatrix, loadClipDataset, type AudioLoader, type LoadProgress } from './load.ts';
import { NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from './paths.ts';

const code = { audio: 'test-audio', features: 'test-features' };
const mel = { kind: 'mel' as const };

/** A Kaggle-layout temp folder: 3 sample positives, 3 sample negatives, a random-bytes .wav and an empty .wav. */
function makeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-load-'));
  mkdirSync(join(dir, POSITIVE_DIR));
  mkdirSync(join(dir, NEGATIVE_DIR));
  for (const name of ['XC-example-0.wav', 'recording_06-0.wav', 'recording_07-0.wav']) {
    copyFileSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR, name), join(dir, POSITIVE_DIR, name));
  }
  for (const name of ['recording_01-2.wav', 'recording_02-2.wav', 'recording_03-0.wav']) {
    copyFileSync(join(SAMPLE_DATA_DIR, NEGATIVE_DIR, name), join(dir, NEGATIVE_DIR, name));
  }
  const junk = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
  writeFileSync(join(dir, NEGATIVE_DIR, 'recording_90-0.wav'), junk);
  writeFileSync(join(dir, NEGATIVE_DIR, 'recording_91-0.wav'), new Uint8Array(0));
  return dir;
}

function countingLoader(): { loader: AudioLoader; calls: string[] } {
  const calls: string[] = [];
  return { calls, loader: (path, opts) => (calls.push(path), loadAudio(path, opts)) };
}

test('loads real clips, skips and reports the corrupt ones, and a second run decodes nothing', async () => {
  const dir = makeDataDir();
  const cacheDir = join(dir, 'cache');
  try {
    const first = countingLoader();
    const progress: LoadProgress[] = [];
    const ds = await loadClipDataset(dir, mel, { cacheDir, loader: first.loader, codeVersion: code, onProgress: (p) => progress.push(p) });

    assert.deepEqual(ds.clips.map((c) => c.name), ['XC-example-0.wav', 'recording_06-0.wav', 'recording_07-0.wav', 'recording_01-2.wav', 'recording_02-2.wav', 'recording_03-0.wav']);
    assert.deepEqual(ds.clips.map((c) => c.label), [1, 1, 1, 0, 0, 0]);
    assert.deepEqual(ds.shape, [6, 1491, 100]);
    assert.equal(ds.features.length, 6 * 1491 * 100);
    assert.deepEqual(ds.skipped.map((s) => s.file.split('/').pop()).sort(), ['recording_90-0.wav', 'recording_91-0.wav']);
    for (const s of ds.skipped) {
      assert.ok(s.message.includes(s.file), `message names the file: ${s.message}`);
      assert.ok(s.reason.length > 0);
    }
    assert.equal(ds.skipped.find((s) => s.file.endsWith('recording_91-0.wav'))?.reason, 'empty');
    assert.equal(first.calls.length, 8);
    assert.deepEqual(ds.stats, { ...ds.stats, decoded: 6, cacheHits: 0 });
    assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(progress.every((p) => p.total === 8));

    // The features are exactly decode → padOrTrim(start) → extractClip.
    const extractor = configureFeatures(mel);
    const audio = await loadAudio(ds.clips[1].file, { sampleRate: 16000 });
    const expected = extractor.extractClip(padOrTrim(audio.samples, 48000, 'start'));
    assert.deepEqual(clipMatrix(ds, 1), expected);

    const second = countingLoader();
    const again = await loadClipDataset(dir, mel, { cacheDir, loader: second.loader, codeVersion: code, onProgress: () => {} });
    assert.deepEqual(second.calls.map((f) => f.split('/').pop()).sort(), ['recording_90-0.wav', 'recording_91-0.wav'], 'only the bad files are tried again');
    assert.equal(again.stats.cacheHits, 6);
    assert.deepEqual(again.features, ds.features);

    // Waveforms were cached by the first run too: still no decode.
    const third = countingLoader();
    const withWaves = await loadClipDataset(dir, mel, { cacheDir, loader: third.loader, codeVersion: code, waveforms: true, onProgress: () => {} });
    assert.equal(third.calls.length, 2);
    assert.equal(withWaves.waveforms?.length, 6);
    assert.ok(withWaves.waveforms!.every((w) => w.length === 48000));
    assert.deepEqual(withWaves.waveforms![1], padOrTrim(audio.samples, 48000, 'start'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt cache entry is ignored and rebuilt', async () => {
  const dir = makeDataDir();
  const cacheDir = join(dir, 'cache');
  try {
    const base = await loadClipDataset(dir, mel, { cacheDir, codeVersion: code, onProgress: () => {} });
    const cache = new FeatureCache({ dir: cacheDir, codeVersion: code });
    const hash = sha256Hex(readFileSync(base.clips[0].file));
    const key = cache.featureKey({ feature: base.config, clip: { clipSamples: 48000, padMode: 'start' } });
    const featureFile = cache.featurePath(hash, key);
    assert.ok(existsSync(featureFile), 'the cache layout is what the test expects');
    writeFileSync(featureFile, readFileSync(featureFile).subarray(0, 1000));
    writeFileSync(cache.waveformPath(hash, 16000), 'garbage');

    const counting = countingLoader();
    const rebuilt = await loadClipDataset(dir, mel, { cacheDir, loader: counting.loader, codeVersion: code, onProgress: () => {} });
    assert.deepEqual(counting.calls.filter((f) => f === base.clips[0].file), [base.clips[0].file], 'the broken clip is decoded again');
    assert.equal(rebuilt.stats.cacheHits, 5);
    assert.deepEqual(rebuilt.features, base.features);
    assert.ok(cache.readFeatures(hash, key, [1491, 100]), 'the entry was rewritten');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("padMode 'centre' is its own cache entry and crops a 4 s clip from its middle", async () => {
  const dir = makeDataDir();
  const cacheDir = join(dir, 'cache');
  try {
    const start = await loadClipDataset(dir, mel, { cacheDir, codeVersion: code, waveforms: true, onProgress: () => {} });
    const counting = countingLoader();
    const centre = await loadClipDataset(dir, mel, { cacheDir, codeVersion: code, padMode: 'centre', waveforms: true, loader: counting.loader, onProgress: () => {} });
    assert.equal(counting.calls.length, 2, 'waveforms come from the cache; only the bad files are tried');
    assert.equal(centre.config.padMode, 'centre');
    const i = centre.clips.findIndex((c) => c.name === 'recording_06-0.wav'); // 4.0 s
    const full = (await loadAudio(centre.clips[i].file, { sampleRate: 16000 })).samples;
    assert.equal(full.length, 64000);
    assert.deepEqual(centre.waveforms![i], full.subarray(8000, 56000));
    assert.deepEqual(start.waveforms![i], full.subarray(0, 48000));
    assert.notDeepEqual(clipMatrix(centre, i).data, clipMatrix(start, i).data);
    const j = centre.clips.findIndex((c) => c.name === 'recording_07-0.wav'); // exactly 3.0 s: same either way
    assert.deepEqual(clipMatrix(centre, j), clipMatrix(start, j));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cacheDir false writes nothing and decodes every time', async () => {
  const dir = makeDataDir();
  try {
    const counting = countingLoader();
    const ds = await loadClipDataset(dir, mel, { cacheDir: false, loader: counting.loader, onProgress: () => {} });
    assert.equal(ds.clips.length, 6);
    assert.equal(counting.calls.length, 8);
    assert.equal(existsSync(join(dir, 'cache')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
