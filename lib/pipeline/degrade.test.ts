/**
 * Degraded copies are what they say (decoded by capuchin's own decoder): 20 dB quieter, clipped at full scale
 * when 12 dB louder, noise at its stated level, a low-rate Opus stream; errors name the fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAudio } from '../audio/load.ts';
import { probeAudio } from '../audio/probe.ts';
import { FOREST_DIR, REPO_ROOT } from '../data/paths.ts';
import { degradeRecordings, findFfmpeg, readDegradedFolders } from './degrade.ts';

const SOURCE = join(REPO_ROOT, 'data', 'field-sample', FOREST_DIR, 'recording_07_excerpt.mp3');
const rmsDb = (x: Float32Array) => 10 * Math.log10(x.reduce((s, v) => s + v * v, 0) / x.length);
const peak = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

test('degraded copies: −20 dB is 20 dB quieter, +12 dB clips at full scale, pink noise adds −35 dBFS, Opus is Opus', async () => {
  const out = mkdtempSync(join(tmpdir(), 'capuchin-degrade-'));
  try {
    const first = degradeRecordings({ files: [SOURCE], outDir: out });
    assert.equal(first.written, 4);
    assert.equal(degradeRecordings({ files: [SOURCE], outDir: out }).kept, 4, 'a rerun keeps what is there');
    const load = (p: string) => loadAudio(p, { sampleRate: 'native' }).then((a) => a.samples);
    const original = await load(SOURCE);
    const quiet = await load(join(out, 'gain-20', 'recording_07_excerpt.flac'));
    const loud = await load(join(out, 'gain+12-clipped', 'recording_07_excerpt.flac'));
    const noisy = await load(join(out, 'pink-noise', 'recording_07_excerpt.flac'));
    assert.equal(quiet.length, original.length);
    assert.ok(Math.abs(rmsDb(quiet) - rmsDb(original) + 20) < 0.2, `${(rmsDb(quiet) - rmsDb(original)).toFixed(2)} dB`);
    assert.ok(peak(loud) <= 1.0001 && peak(loud) > 0.99, `peak ${peak(loud)}: clipped at full scale`);
    const noise = noisy.map((v, i) => v - original[i]);
    assert.ok(Math.abs(rmsDb(noise) + 35) < 1.5, `noise at ${rmsDb(noise).toFixed(1)} dBFS (mono mix of two channels)`);
    const opus = await probeAudio(join(out, 'opus-24k', 'recording_07_excerpt.opus'));
    assert.equal(opus.codec, 'Opus');
    // experiment --degraded finds each copy by the original's base name
    const folders = readDegradedFolders(out, ['recording_07_excerpt.mp3', 'recording_99.mp3']);
    assert.deepEqual(folders.map((f) => f.name), ['gain-20', 'gain+12-clipped', 'pink-noise', 'opus-24k']);
    assert.ok(folders.every((f) => f.copies[0]!.includes('recording_07_excerpt.') && f.copies[1] === null));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('degrade errors name the fix: no ffmpeg, an unknown degradation, a folder that is not degrade output', () => {
  assert.throws(() => findFfmpeg({ FFMPEG: '/nonexistent/ffmpeg' }), /degrade needs ffmpeg and \$FFMPEG \(\/nonexistent\/ffmpeg\) does not run\. Fix: install ffmpeg/);
  assert.throws(() => degradeRecordings({ files: [SOURCE], outDir: tmpdir(), only: ['reverb'] }), /no degradation 'reverb'\. Fix: use one of gain-20, gain\+12-clipped, pink-noise, opus-24k/);
  assert.throws(() => readDegradedFolders('/nonexistent/degraded', []), /does not exist\. Fix: write it with npm run degrade/);
  const empty = mkdtempSync(join(tmpdir(), 'capuchin-degrade-'));
  try {
    mkdirSync(join(empty, 'other'));
    writeFileSync(join(empty, 'other', 'a.wav'), '');
    assert.throws(() => readDegradedFolders(empty, []), /holds none of the folders gain-20, .*Fix: point it at the --out of npm run degrade/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
