import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadAudio } from '../audio/load.ts';
import { POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { resolveExperimentConfig } from '../model/experimentConfig.ts';
import { resolveFeatureConfig } from './config.ts';
import { configureFeatures } from './extractor.ts';

const CALL = join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav');

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const kind of ['spectrogram', 'mel', 'pcen'] as const) {
  test(`removeDc: ${kind} features of a real call with a 0.3 DC offset equal those without it; without removeDc they do not`, async () => {
    const { samples } = await loadAudio(CALL);
    const offset = samples.map((v) => v * 0.5 + 0.3);
    const plain = samples.map((v) => v * 0.5);
    const on = configureFeatures(resolveFeatureConfig({ kind, removeDc: true, fminHz: 0 }));
    const off = configureFeatures(resolveFeatureConfig({ kind, removeDc: false, fminHz: 0 }));
    const a = on.extractClip(plain).data;
    const range = a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(maxAbsDiff(on.extractClip(offset).data, a) <= 1e-4 * Math.max(1, range), `with removeDc: ${maxAbsDiff(on.extractClip(offset).data, a)}`);
    assert.ok(maxAbsDiff(off.extractClip(offset).data, off.extractClip(plain).data) > 1e-2 * Math.max(1, range), 'without removeDc the offset shows (the test can fail)');
  });
}

test('removeDc is off for a bare feature config (the tf.signal reproduction, old models) and on for new experiments', () => {
  assert.equal(resolveFeatureConfig({}).removeDc, false);
  assert.equal(resolveExperimentConfig({ name: 'x' }).feature.removeDc, true);
  assert.equal(resolveExperimentConfig({ name: 'x', feature: { removeDc: false } }).feature.removeDc, false);
  assert.throws(() => resolveFeatureConfig({ removeDc: 'yes' }), /removeDc must be true or false/);
});
