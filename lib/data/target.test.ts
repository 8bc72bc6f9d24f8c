/**
 * Targets: the Capuchinbird preset reproduces the project's constants (features, detector, grid); a new target is
 * derived from its annotations (median call, Raven band, rate, window, labelling), the config and flags go over it,
 * and every field is validated at the edge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DETECTOR_CONFIG, resolveDetectorConfig } from '../detect/config.ts';
import { DEFAULT_TUNE_GRID } from '../detect/tune.ts';
import { targetDetector, targetLeadSec, targetTuneGrid } from '../detect/targetDetector.ts';
import { loadExperimentConfig, resolveExperimentConfig } from '../model/experimentConfig.ts';
import { CAPUCHINBIRD_TARGET, isCapuchinbird, parseTargetInput, resolveTarget, targetOfModel } from '../records/target.ts';
import { DEFAULT_FIELD_WINDOWS, fieldWindowOptions } from './field.ts';
import { DEFAULT_MODEL_DIR } from './paths.ts';
import { analysisRateFor, deriveTarget, denseCalls, windowFor } from './target.ts';

const CONFIGS = new URL('../../experiments/configs/', import.meta.url).pathname;

test('the Capuchinbird preset gives the Kaggle configs exactly the features, windows and detector they had', () => {
  for (const name of ['mel', 'pcen', 'field', 'demo', 'spectrogram', 'mfcc']) {
    const c = loadExperimentConfig(`${CONFIGS}${name}.json`);
    assert.equal(c.target.name, 'Capuchinbird');
    assert.equal(c.feature.sampleRate, 16000);
    assert.equal(c.feature.clipSec, 3);
    if (c.feature.kind !== 'spectrogram') assert.deepEqual([c.feature.fminHz, c.feature.fmaxHz], [100, 5000], `${name} keeps its band`);
  }
  assert.deepEqual(targetDetector(CAPUCHINBIRD_TARGET), resolveDetectorConfig({ windowSec: 3 }), 'the detector defaults, for a 3 s window');
  assert.deepEqual(targetDetector(CAPUCHINBIRD_TARGET), { ...DEFAULT_DETECTOR_CONFIG, windowSec: 3 });
  // the grid the shipped model's detector was tuned on: its plateau (detector.json) holds every value of that grid,
  // so the plateau's ranges are the grid, value for value
  const shipped = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'detector.json'), 'utf8')) as { tunedOn: { plateau: { ranges: unknown } } };
  assert.deepEqual(targetTuneGrid(CAPUCHINBIRD_TARGET), shipped.tunedOn.plateau.ranges);
  assert.equal(DEFAULT_TUNE_GRID, CAPUCHINBIRD_TARGET.tuneGrid);
  assert.equal(targetLeadSec(CAPUCHINBIRD_TARGET), 0);
  // its window labelling is the old one: a 3 s window holding 2.5 s of a 4.1 s call
  assert.deepEqual({ ...fieldWindowOptions(CAPUCHINBIRD_TARGET), windowSec: undefined }, { ...DEFAULT_FIELD_WINDOWS, windowSec: undefined });
  // a model saved before targets existed counts the Capuchinbird; results keep the Kaggle layout
  assert.deepEqual(targetOfModel({}), CAPUCHINBIRD_TARGET);
  assert.ok(isCapuchinbird({ name: ' capuchinbird ' }));
});

/** Calls as the Screaming Piha sings them: soft notes then a long whistle, in bouts, often touching. */
const bout = (at: number, recording: string) => [
  { recording, start_s: at, end_s: at + 0.6 },
  { recording, start_s: at + 0.7, end_s: at + 1.4 },
  { recording, start_s: at + 1.4, end_s: at + 3.4 },
];

test('a target from annotations: the median call, onset labelling for calls in bouts, a window of 1.5 calls', () => {
  const calls = [...bout(2, 'a.wav'), ...bout(20, 'a.wav'), ...bout(5, 'b.wav')];
  assert.ok(denseCalls(calls, 0.7));
  const { target, notes } = deriveTarget({ name: 'Screaming Piha', calls });
  assert.equal(target.callSec, 0.7, 'the median duration');
  assert.equal(target.labelling, 'onset');
  assert.equal(target.windowSec, 1.05);
  assert.equal(target.windowSec, windowFor(0.7, 'onset'));
  assert.ok(target.hopSec <= target.onsetSec, 'hops finer than the onset tolerance');
  assert.ok(target.clearSec >= target.onsetSec);
  assert.deepEqual([target.lowHz, target.highHz, target.sampleRate], [100, 8000, 16000], 'no band annotated: the defaults');
  assert.ok(notes.some((n) => /callSec 0\.7: the median of 9 annotated call/.test(n)));
  // the same calls, far apart: presence labelling, ¾ of a call
  const apart = calls.map((c, i) => ({ ...c, start_s: 10 * i, end_s: 10 * i + (c.end_s - c.start_s) }));
  assert.equal(deriveTarget({ name: 'x', calls: apart }).target.labelling, 'presence');
  assert.equal(deriveTarget({ name: 'x', calls: apart }).target.windowSec, windowFor(0.7));
  // a 4.1 s call in presence labelling gets the Capuchinbird's 3 s windows every 0.5 s
  const long = deriveTarget({ name: 'x', calls: [{ start_s: 0, end_s: 4.1 }, { start_s: 20, end_s: 24.1 }] }).target;
  assert.deepEqual([long.windowSec, long.hopSec], [3, 0.5]);
});

test('Raven boxes give the band and the rate that holds it; config and flags go over what is derived', () => {
  const boxes = Array.from({ length: 20 }, (_, i) => ({ start_s: 5 * i, end_s: 5 * i + 1.5, lowHz: 300 + 10 * i, highHz: 9000 + 100 * i }));
  const { target } = deriveTarget({ name: 'orca', calls: boxes });
  assert.equal(target.lowHz, 319, '10th percentile of the low edges');
  assert.equal(target.highHz, 10710, '90th percentile of the high edges (numpy.percentile gives 10710 too)');
  assert.equal(target.sampleRate, 22050);
  assert.equal(analysisRateFor(8000), 16000);
  assert.equal(analysisRateFor(11000), 22050);
  assert.equal(analysisRateFor(20000), 44100);
  // the config's target section, then flags, over the derivation
  const cfg = resolveExperimentConfig({ name: 'orca', feature: { kind: 'pcen' }, target: { callSec: 2, hopSec: 0.25 } }, 'orca.json', { preset: null, calls: boxes, flags: { hopSec: 0.1, name: 'killer whale' } });
  assert.deepEqual([cfg.target.name, cfg.target.callSec, cfg.target.hopSec], ['killer whale', 2, 0.1]);
  // the features follow the target: its rate, its window, its band and half an octave around it
  assert.equal(cfg.feature.sampleRate, 22050);
  assert.equal(cfg.feature.clipSec, cfg.target.windowSec);
  assert.deepEqual([cfg.feature.fminHz, cfg.feature.fmaxHz], [Math.round(319 / Math.SQRT2), 11025]);
  assert.deepEqual([cfg.feature.frameLength, cfg.feature.hopLength, cfg.feature.fftLength], [551, 441, 1024], '25 ms frames every 20 ms');
});

test('bad targets are refused naming the field, its range and the source', () => {
  assert.throws(() => resolveTarget({ ...CAPUCHINBIRD_TARGET, lowHz: 3000 }, 'x.json: target'), /x\.json: target: lowHz \(3000\) must be below highHz \(2500\)/);
  assert.throws(() => resolveTarget({ ...CAPUCHINBIRD_TARGET, highHz: 9000 }), /highHz \(9000\) must be at most half the sampleRate \(8000 Hz\); raise sampleRate/);
  assert.throws(() => resolveTarget({ ...CAPUCHINBIRD_TARGET, hopSec: 4 }), /hopSec \(4\) must be ≤ windowSec \(3\)/);
  assert.throws(() => resolveTarget({ ...CAPUCHINBIRD_TARGET, labelling: 'sometimes' }), /labelling must be one of presence, onset/);
  assert.throws(() => parseTargetInput({ callSecs: 1 }, 'y.json: target'), /y\.json: target: .*unknown field\(s\) callSecs/);
  assert.throws(() => resolveExperimentConfig({ name: 'x', feature: { sampleRate: 22050 } }, 'x.json'), /x\.json: feature\.sampleRate is the target's \(target\.sampleRate\)/);
  assert.throws(() => resolveExperimentConfig({ name: 'x', target: { windowSec: -1 } }, 'x.json'), /x\.json: target: .*windowSec must be in \[0\.05, 600\]/);
});

test('train.model auto: the position-aware network for onset labelling, the pooled one for presence', () => {
  const onset = resolveExperimentConfig({ name: 'x', train: { model: 'auto' } }, 'x', { preset: null, calls: [...bout(2, 'a.wav'), ...bout(9, 'a.wav')] });
  assert.equal(onset.train.model, 'compact-cnn-flat');
  const presence = resolveExperimentConfig({ name: 'x', train: { model: 'auto' } }, 'x', { preset: null, calls: [] });
  assert.equal(presence.train.model, 'compact-cnn');
  assert.equal(targetLeadSec(onset.target), Math.round(onset.target.windowSec / 2 / onset.target.hopSec) * onset.target.hopSec);
});
