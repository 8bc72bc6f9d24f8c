/**
 * Another species, end to end on the committed excerpts (data/species-sample/README.md): a Screaming Piha counter
 * trained from annotated recordings (calls often closer together than a window) goes from config to model to
 * count, its target travelling with the model; a killer-whale clip classifier from two clip folders with source
 * groups read by --groups beats chance on held-out groups.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../data/paths.ts';
import { loadExperimentConfig } from '../model/experimentConfig.ts';
import { readAudacityLabels } from '../records/audacity.ts';
import { readAnnotations } from '../records/annotations/index.ts';
import { readRavenTable } from '../records/raven.ts';
import { runCount } from './count.ts';
import { runExperiment } from './experiment.ts';
import { readExperimentInputs, targetContextOf } from './experimentInputs.ts';

const SAMPLE = join(REPO_ROOT, 'data', 'species-sample');
const PIHA = join(SAMPLE, 'screaming-piha');
const WHALE = join(SAMPLE, 'killer-whale');
const RECIPE = join(REPO_ROOT, 'experiments', 'configs', 'species.json');

test('Screaming Piha: annotations → target → model → count, calls closer than a window counted one by one', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-piha-'));
  try {
    const inputs = readExperimentInputs({ dataDir: SAMPLE, recordings: join(PIHA, 'recordings'), annotations: join(PIHA, 'annotations.csv') });
    const config = loadExperimentConfig(RECIPE, targetContextOf(inputs, 'piha', { name: 'Screaming Piha' }));
    // the target comes from the 14 annotated calls: bouts of short notes, so onset labelling
    const durations = [...inputs.annotated!.labels.values()].flat().map((c) => c.end_s - c.start_s).sort((a, b) => a - b);
    assert.equal(config.target.name, 'Screaming Piha');
    assert.equal(config.target.callSec, Math.round(((durations[6] + durations[7]) / 2) * 1000) / 1000, 'the median call');
    assert.equal(config.target.labelling, 'onset');
    assert.equal(config.feature.clipSec, config.target.windowSec);
    const run = await runExperiment({ ...config, train: { ...config.train, folds: 2, maxEpochs: 25 } }, {
      dataDir: SAMPLE,
      inputs,
      outDir: join(root, 'piha'),
      cacheDir: join(root, 'cache'),
      concurrency: 2,
      bootstrap: 100,
      countDir: join(PIHA, 'recordings'),
      countReview: false,
      log: () => {},
    });
    // the target travels with the model, and the count uses it
    const meta = JSON.parse(readFileSync(join(run.modelDir!, 'capuchin.json'), 'utf8'));
    assert.deepEqual(meta.target, config.target);
    const detector = JSON.parse(readFileSync(join(run.modelDir!, 'detector.json'), 'utf8')).detector;
    assert.equal(detector.anchor, 'onset');
    assert.equal(detector.callSec, config.target.callSec);
    // folds by recording: each recording was scored by the fold model that never trained on it
    assert.deepEqual(run.cv.tracks.map((t) => t.recording).sort(), ['ScreamingPiha3.wav', 'ScreamingPiha4.wav']);
    assert.notEqual(run.cv.tracks[0].fold, run.cv.tracks[1].fold);
    assert.equal(run.result.oofUnit, 'window');

    // count the two recordings with the final model (in sample: it trained on them)
    const count = await runCount({ modelDir: run.modelDir!, recordingsDir: join(PIHA, 'recordings'), outDir: join(root, 'count'), review: false, log: () => {} });
    const out = count.outDir;
    assert.match(readFileSync(join(out, 'results.csv'), 'utf8'), /^recording,calls\n/, 'any target but the Capuchinbird: recording,calls');
    const labels = readAnnotations(join(PIHA, 'annotations.csv')).byRecording.get('ScreamingPiha4.wav')!.map((c) => c.start_s);
    const found = count.results.find((r) => r.recording === 'ScreamingPiha4.wav')!.events.map((e) => e.start_s);
    // 4.897, 5.116 and 5.589 s start less than a window (and a call) apart: each is matched by its own detection
    const close = labels.filter((s, i) => i > 0 && s - labels[i - 1] < config.target.windowSec);
    assert.ok(close.length >= 2, 'the excerpt has calls closer together than a window');
    const matched = close.filter((s) => found.some((d) => Math.abs(d - s) <= config.target.toleranceSec));
    assert.ok(matched.length >= close.length - 1, `close calls ${close.join(', ')}: detections ${found.map((d) => d.toFixed(2)).join(', ')}`);
    assert.ok(Math.abs(found.length - labels.length) <= 2, `${found.length} counted, ${labels.length} labelled`);
    // Raven boxes at the target's band; an Audacity label track beside each table, naming the target
    const raven = readRavenTable(join(out, 'raven', 'ScreamingPiha4.capuchin.selection.table.txt'));
    assert.equal(raven.length, found.length);
    assert.ok(raven.every((r) => r.lowHz === config.target.lowHz && r.highHz === config.target.highHz));
    const audacity = readAudacityLabels(join(out, 'audacity', 'ScreamingPiha4.capuchin.labels.txt'));
    assert.deepEqual(audacity.map((l) => Number(l.start_s.toFixed(3))), raven.map((r) => r.begin_s));
    assert.ok(audacity.every((l) => l.text === 'Screaming Piha' && l.lowHz === config.target.lowHz));
    // its exports feed back in as annotations
    const back = readAnnotations(join(out, 'audacity', 'ScreamingPiha4.capuchin.labels.txt'));
    assert.deepEqual([...back.byRecording.keys()], ['ScreamingPiha4']);
    assert.equal(back.calls, found.length);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('killer whale: clip folders with --groups, cross-validated by source recording, beat chance', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-whale-'));
  try {
    const inputs = readExperimentInputs({ dataDir: SAMPLE, positives: join(WHALE, 'KillerWhale'), negatives: join(WHALE, 'Noise'), groups: /^(.*)_Ch1/ });
    const config = loadExperimentConfig(RECIPE, targetContextOf(inputs, 'killer whale'));
    assert.equal(config.target.labelling, 'presence', 'clips: presence');
    assert.equal(config.target.windowSec, 3);
    const run = await runExperiment({ ...config, train: { ...config.train, folds: 5, maxEpochs: 20, batchSize: 4 } }, {
      dataDir: SAMPLE,
      inputs,
      outDir: join(root, 'whale'),
      cacheDir: join(root, 'cache'),
      concurrency: 2,
      bootstrap: 100,
      log: () => {},
    });
    // groups from the names: 5 source recordings per class, never split
    const groups = new Set(run.cv.oof.map((o) => o.group));
    assert.equal(groups.size, 10);
    assert.ok([...groups].every((g) => /^\d{8}_\d{6}$/.test(g)), [...groups].join(', '));
    for (const o of run.cv.oof) assert.ok(run.cv.oof.every((p) => p.group !== o.group || p.fold === o.fold));
    assert.ok(run.result.metrics.roc_auc >= 0.75, `out-of-fold ROC-AUC ${run.result.metrics.roc_auc}`);
    // no field recordings: background mixing is off, not an error; the model says what it counts
    const meta = JSON.parse(readFileSync(join(run.modelDir!, 'capuchin.json'), 'utf8'));
    assert.equal(meta.target.name, 'killer whale');
    assert.ok(readdirSync(run.outDir).includes('report.html'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
