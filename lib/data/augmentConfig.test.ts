import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsFrames, recommendedAugment, resolveAugmentConfig } from './augmentConfig.ts';

test('everything is off by default', () => {
  const cfg = resolveAugmentConfig();
  for (const key of ['timeShift', 'gain', 'mixNegative', 'background', 'timeMask', 'freqMask', 'mixup'] as const) assert.equal(cfg[key].enabled, false, key);
  assert.equal(needsFrames(cfg), false);
  assert.equal(cfg.maskFill, 'min');
});

test('partial nested input keeps the other defaults', () => {
  const cfg = resolveAugmentConfig({ seed: 3, mixNegative: { enabled: true, maxSnrDb: 10 } });
  assert.deepEqual(cfg.mixNegative, { enabled: true, probability: 0.5, minSnrDb: 0, maxSnrDb: 10 });
  assert.equal(cfg.seed, 3);
  assert.equal(needsFrames(cfg), true);
  assert.equal(needsFrames(resolveAugmentConfig({ background: { enabled: true } })), true);
  assert.deepEqual(resolveAugmentConfig({ background: { enabled: true } }).background, { enabled: true, probability: 0.8, minSnrDb: -5, maxSnrDb: 15, fieldWindows: false });
});

test('bad values name the field, the allowed range and the value', () => {
  assert.throws(() => resolveAugmentConfig({ mixup: { alpha: -1 } }), /augment config: mixup\.alpha must be in \[0\.001, 100\], got -1/);
  assert.throws(() => resolveAugmentConfig({ timeShift: { probability: 2 } }), /timeShift\.probability must be in \[0, 1\], got 2/);
  assert.throws(() => resolveAugmentConfig({ timeMask: { count: 1.5 } }), /timeMask\.count must be an integer in \[0, 20\], got 1\.5/);
  assert.throws(() => resolveAugmentConfig({ mixNegative: { minSnrDb: 30, maxSnrDb: 10 } }), /mixNegative\.minSnrDb must be ≤ mixNegative\.maxSnrDb/);
  assert.throws(() => resolveAugmentConfig({ background: { minSnrDb: 30, maxSnrDb: 10 } }), /background\.minSnrDb must be ≤ background\.maxSnrDb/);
  assert.throws(() => resolveAugmentConfig({ timeShift: { mode: 'wrap' } } as never), /timeShift\.mode must be one of circular\|zero, got "wrap"/);
  assert.throws(() => resolveAugmentConfig({ gian: {} } as never), /unknown field\(s\) gian/);
});

test('the recommended preset sizes masks to 10% of the clip', () => {
  const cfg = recommendedAugment([1491, 257], 4);
  assert.equal(cfg.timeMask.maxWidth, 149);
  assert.equal(cfg.freqMask.maxWidth, 26);
  assert.equal(cfg.timeShift.enabled && cfg.mixNegative.enabled && !cfg.gain.enabled && !cfg.mixup.enabled, true);
  assert.equal(cfg.seed, 4);
});
