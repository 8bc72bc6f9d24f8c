import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DETECTOR_CONFIG, resolveDetectorConfig } from './config.ts';

test('defaults resolve unchanged and partial values override them', () => {
  assert.deepEqual(resolveDetectorConfig(), { ...DEFAULT_DETECTOR_CONFIG });
  const cfg = resolveDetectorConfig({ hopSec: 0.25, onThreshold: 0.7, maxRunSec: 25, smoothing: 'median' });
  assert.equal(cfg.hopSec, 0.25);
  assert.equal(cfg.onThreshold, 0.7);
  assert.equal(cfg.maxRunSec, 25);
  assert.equal(cfg.smoothing, 'median');
  assert.equal(cfg.windowSec, 3);
});

test('undefined fields keep their defaults (CLI options that were not given)', () => {
  assert.equal(resolveDetectorConfig({ hopSec: undefined }).hopSec, 0.5);
});

test('errors name the field and its allowed range', () => {
  assert.throws(() => resolveDetectorConfig({ onThreshold: 1.2 }), /onThreshold must be in \(0, 1\), got 1\.2/);
  assert.throws(() => resolveDetectorConfig({ offThreshold: 0 }), /offThreshold must be in \(0, 1\)/);
  assert.throws(
    () => resolveDetectorConfig({ onThreshold: 0.4, offThreshold: 0.6 }),
    /offThreshold \(0\.6\) must be ≤ onThreshold \(0\.4\)/,
  );
  assert.throws(() => resolveDetectorConfig({ hopSec: 4 }), /hopSec \(4\) must be ≤ windowSec \(3\)/);
  assert.throws(() => resolveDetectorConfig({ smoothingWindows: 4 }), /smoothingWindows must be an odd integer in \[1, 41\]/);
  assert.throws(() => resolveDetectorConfig({ batchSize: 0 }), /batchSize must be in \[1, 4096\]/);
  assert.throws(() => resolveDetectorConfig({ smoothing: 'gauss' as never }), /smoothing must be one of median, mean, none/);
  assert.throws(() => resolveDetectorConfig({ startEstimator: 'x' as never }), /startEstimator must be one of halfmax/);
  assert.throws(() => resolveDetectorConfig({ minEventSec: 3, maxRunSec: 2 }), /maxRunSec \(2\) must be ≥ minEventSec \(3\)/);
});

test('a misspelt field is rejected by name, not ignored', () => {
  assert.throws(() => resolveDetectorConfig({ onThreshhold: 0.6 }), /unknown field\(s\) onThreshhold/);
});

test('every problem is reported at once', () => {
  assert.throws(
    () => resolveDetectorConfig({ hopSec: -1, callSec: 0 }),
    (err: Error) => /hopSec/.test(err.message) && /callSec/.test(err.message),
  );
});
