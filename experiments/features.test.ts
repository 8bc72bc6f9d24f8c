import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadAudio } from '../lib/audio/load.ts';
import { REPO_ROOT, SAMPLE_DATA_DIR } from '../lib/data/paths.ts';
import { configureFeatures } from '../lib/features/extractor.ts';
import { decodeNpyFloat32 } from '../lib/util/npy.ts';

const run = promisify(execFile);
const clip = join(SAMPLE_DATA_DIR, 'Parsed_Capuchinbird_Clips', 'XC3776-5.wav');

async function features(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'experiments/features.ts', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('npm run features writes the same float32 [frames, bins] .npy the library computes, plus its config', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-features-'));
  try {
    const out = join(dir, 'mfcc.npy');
    const cfgFile = join(dir, 'cfg.json');
    writeFileSync(cfgFile, JSON.stringify({ melBins: 64, mfccCount: 13 }));
    const [ok, badKind, missing] = await Promise.all([
      features(clip, '--kind', 'mfcc', '--out', out, '--config', cfgFile),
      features(clip, '--kind', 'chroma', '--out', join(dir, 'bad.npy')),
      features(join(dir, 'nope.wav'), '--kind', 'mel', '--out', join(dir, 'missing.npy')),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /wrote .*mfcc\.npy float32 \[1491, 13\] \(mfcc\)/);
    const npy = decodeNpyFloat32(readFileSync(out));
    assert.deepEqual(npy.shape, [1491, 13]);
    const audio = await loadAudio(clip, { sampleRate: 16000 });
    const expected = configureFeatures({ kind: 'mfcc', melBins: 64, mfccCount: 13 }).extractClip(audio.samples);
    assert.deepEqual(npy.data, expected.data);
    const saved = JSON.parse(readFileSync(join(dir, 'mfcc.config.json'), 'utf8'));
    assert.equal(saved.config.melBins, 64);
    assert.deepEqual(saved.shape, [1491, 13]);

    assert.equal(badKind.code, 1);
    assert.match(badKind.stderr.split('\n')[0], /^error: option '--kind <kind>' argument 'chroma' is invalid\. Allowed choices are spectrogram, mel, mfcc, pcen\.$/);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: capuchin: .*nope\.wav: .*\(missing\)\. Fix: .*\n$/);
    assert.ok(!existsSync(join(dir, 'bad.npy')) && !existsSync(join(dir, 'missing.npy')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
