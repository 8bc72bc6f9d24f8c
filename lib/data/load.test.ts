import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { padOrTrim } from '../audio/clip.ts';
import { loadAudio } from '../audio/load.ts';
import { configureFeatures } from '../features/extractor.ts';
import { FeatureCache, sha256Hex } from './cache.ts';
import { frameItems, frameRows, frameView } from './frames.ts';
import { clipMatrix, loadClipDataset, type AudioLoader, type LoadProgress } from './load.ts';
import { NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from './paths.ts';

const code = { audio: 'test-audio', features: 'test-features' };
const mel = { kind: 'mel' as const };

/** A Kaggle-layout temp folder: 3 sample positives, 3 sample negatives, a random-bytes .wav and an empty .wav. */
function makeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-load-'));
  mkdirSync(join(dir, POSITIVE_DIR));
  mkdirSync(join(dir, NEGATIVE_DIR));
  for (const name of ['XC3776-5.wav', 'XC388470-3.wav', 'XC65196-2.wav']) {
    copyFileSync(join(SAMPLE_DATA_DIR, POSITIVE_DIR, name), join(dir, POSITIVE_DIR, name));
  }
  for (const name of ['rain-thunder-and-crickets-sound-effect-35.wav', 'dove-bird-sounds-9.wav', 'crow-cawing-sound-effect-14.wav']) {
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

    assert.deepEqual(ds.clips.map((c) => c.name), [
      'XC3776-5.wav',
      'XC388470-3.wav',
      'XC65196-2.wav',
      'crow-cawing-sound-effect-14.wav',
      'dove-bird-sounds-9.wav',
      'rain-thunder-and-crickets-sound-effect-35.wav',
    ]);
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

    // The features are exactly decode → padOrTrim(start) → extractClip, for a short clip
    // (XC388470-3, 2.0 s: zeros at the start) and a long one (XC65196-2, 3.5 s: trimmed).
    const extractor = configureFeatures(mel);
    const audio = await loadAudio(ds.clips[1].file, { sampleRate: 16000 });
    assert.equal(audio.samples.length, 32000);
    const expected = extractor.extractClip(padOrTrim(audio.samples, 48000, 'start'));
    assert.deepEqual(clipMatrix(ds, 1), expected);
    const long = await loadAudio(ds.clips[2].file, { sampleRate: 16000 });
    assert.equal(long.samples.length, 56000);
    assert.deepEqual(clipMatrix(ds, 2), extractor.extractClip(padOrTrim(long.samples, 48000, 'start')));

    const second = countingLoader();
    const again = await loadClipDataset(dir, mel, { cacheDir, loader: second.loader, codeVersion: code, onProgress: () => {} });
    assert.deepEqual(second.calls.map((f) => f.split('/').pop()).sort(), ['recording_90-0.wav', 'recording_91-0.wav'], 'only the bad files are tried again');
    assert.equal(again.stats.cacheHits, 6);
    assert.deepEqual(again.features, ds.features);

    // Frames come from the waveforms the first run cached: still no decode.
    assert.equal(ds.frames, undefined, 'no frames unless asked');
    const third = countingLoader();
    const withFrames = await loadClipDataset(dir, mel, { cacheDir, loader: third.loader, codeVersion: code, frames: true, onProgress: () => {} });
    assert.equal(third.calls.length, 2, 'only the bad files are tried again');
    assert.equal(third.calls.filter((f) => !/recording_9[01]-0\.wav$/.test(f)).length, 0);
    assert.deepEqual(withFrames.features, ds.features);
    const store = withFrames.frames!;
    assert.equal(frameItems(store), 6);
    assert.equal(store.bins, extractor.frameBins);
    // Short clip: its frames are those of the clip padded at the start to one clip length.
    assert.deepEqual(frameView(store, 1), extractor.frames(padOrTrim(audio.samples, 48000, 'start')));
    assert.equal(frameRows(store, 1), extractor.shape[0]);
    // Long clip: the whole 3.5 s, never trimmed, so more rows than one clip's.
    assert.deepEqual(frameView(store, 2), extractor.frames(long.samples));
    assert.ok(frameRows(store, 2) > extractor.shape[0]);
    // Each clip's stored features are finalize() of the first shape[0] rows of its frames.
    for (let i = 0; i < 6; i++) {
      const seq = frameView(store, i);
      assert.ok(seq.rows >= extractor.shape[0]);
      const head = { data: seq.data.subarray(0, extractor.shape[0] * seq.cols), rows: extractor.shape[0], cols: seq.cols };
      assert.deepEqual(extractor.finalize(head), clipMatrix(ds, i), `clip ${i}`);
    }

    // A fourth run finds the frames themselves in the cache: no decode, same frames.
    const fourth = countingLoader();
    const cachedFrames = await loadClipDataset(dir, mel, { cacheDir, loader: fourth.loader, codeVersion: code, frames: true, onProgress: () => {} });
    assert.equal(fourth.calls.length, 2);
    assert.deepEqual(cachedFrames.frames, withFrames.frames);
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

test("padMode 'centre' is its own cache entry and crops a 3.5 s clip from its middle", async () => {
  const dir = makeDataDir();
  const cacheDir = join(dir, 'cache');
  try {
    const start = await loadClipDataset(dir, mel, { cacheDir, codeVersion: code, frames: true, onProgress: () => {} });
    const counting = countingLoader();
    const centre = await loadClipDataset(dir, mel, { cacheDir, codeVersion: code, padMode: 'centre', frames: true, loader: counting.loader, onProgress: () => {} });
    assert.equal(counting.calls.length, 2, 'waveforms come from the cache; only the bad files are tried');
    assert.equal(centre.config.padMode, 'centre');
    assert.equal(start.config.padMode, 'start');
    const extractor = configureFeatures(mel);
    const [rows, cols] = extractor.shape;
    const head = (m: { data: Float32Array }, from: number) => ({ data: m.data.subarray(from * cols, (from + rows) * cols), rows, cols });

    const i = centre.clips.findIndex((c) => c.name === 'XC65196-2.wav'); // 3.5 s
    const full = (await loadAudio(centre.clips[i].file, { sampleRate: 16000 })).samples;
    assert.equal(full.length, 56000);
    // centre keeps samples [4000, 52000), start keeps [0, 48000)
    assert.deepEqual(clipMatrix(centre, i), extractor.extractClip(full.subarray(4000, 52000)));
    assert.deepEqual(clipMatrix(start, i), extractor.extractClip(full.subarray(0, 48000)));
    assert.notDeepEqual(clipMatrix(centre, i).data, clipMatrix(start, i).data);
    // A long clip's frames are the whole clip either way; the centre crop is rows [4000/hop, 4000/hop + rows).
    assert.deepEqual(frameView(centre.frames!, i), extractor.frames(full));
    assert.deepEqual(frameView(start.frames!, i), frameView(centre.frames!, i));
    assert.equal(4000 % extractor.config.hopLength, 0);
    assert.deepEqual(extractor.finalize(head(frameView(centre.frames!, i), 4000 / extractor.config.hopLength)), clipMatrix(centre, i));

    const j = centre.clips.findIndex((c) => c.name === 'XC3776-5.wav'); // exactly 3.0 s (48000 samples): same either way
    assert.equal((await loadAudio(centre.clips[j].file, { sampleRate: 16000 })).samples.length, 48000);
    assert.deepEqual(clipMatrix(centre, j), clipMatrix(start, j));
    assert.deepEqual(frameView(centre.frames!, j), frameView(start.frames!, j));

    const k = centre.clips.findIndex((c) => c.name === 'XC388470-3.wav'); // 2.0 s: zeros on both sides vs at the start
    const short = (await loadAudio(centre.clips[k].file, { sampleRate: 16000 })).samples;
    assert.equal(short.length, 32000);
    assert.deepEqual(frameView(centre.frames!, k), extractor.frames(padOrTrim(short, 48000, 'centre')));
    assert.deepEqual(frameView(start.frames!, k), extractor.frames(padOrTrim(short, 48000, 'start')));
    assert.notDeepEqual(frameView(centre.frames!, k).data, frameView(start.frames!, k).data);
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
