/**
 * End to end on the embedded sample: train + cross-validate (a corrupt clip among them), then count
 * calls in the sample's forest excerpt (3 labelled calls) with the saved model, a corrupt mp3 beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { padOrTrim } from '../audio/clip.ts';
import { loadAudio } from '../audio/load.ts';
import { FOREST_DIR, NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { encodeWav16 } from '../report/audioClips.ts';
import { loadExperimentConfig } from '../model/experimentConfig.ts';
import { runCount } from './count.ts';
import { runExperiment } from './experiment.ts';

const CONFIG = new URL('../../experiments/configs/demo.json', import.meta.url).pathname;

test('sample: honest cross-validation beats chance, bad files are skipped, the saved model counts the known calls', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-e2e-'));
  try {
    const data = join(root, 'data');
    cpSync(SAMPLE_DATA_DIR, data, { recursive: true });
    writeFileSync(join(data, POSITIVE_DIR, 'broken-1.wav'), Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt not really a wav file'));
    writeFileSync(join(data, FOREST_DIR, 'recording_99.mp3'), Buffer.alloc(0));
    const config = loadExperimentConfig(CONFIG);
    const lines: string[] = [];
    const run = await runExperiment(config, { dataDir: data, outDir: join(root, 'out'), cacheDir: join(root, 'cache'), concurrency: 2, bootstrap: 200, log: (l) => lines.push(l) });

    // the corrupt clip is reported, not fatal
    assert.equal(run.skipped.length, 1);
    assert.match(run.skipped[0].file, /broken-1\.wav/);
    assert.equal(run.result.nClips, 24);
    assert.ok(lines.some((l) => /skipped .*broken-1\.wav/.test(l)));

    // no source recording on both sides of any fold
    const groups = run.cv.oof.map((o) => o.group);
    for (const o of run.cv.oof) {
      const inTrainingOfOwnFold = run.cv.oof.some((p) => p.group === o.group && p.fold !== o.fold);
      assert.equal(inTrainingOfOwnFold, false, `group ${o.group} is validated in two folds`);
    }

    // out-of-fold predictions beat chance
    const m = run.result.metrics;
    assert.ok(m.roc_auc >= 0.7, `out-of-fold ROC-AUC ${m.roc_auc}`);
    const metrics = JSON.parse(readFileSync(join(run.outDir, 'metrics.json'), 'utf8'));
    for (const key of ['backend', 'n_clips', 'n_groups', 'folds', 'feature', 'model', 'train_seconds']) assert.ok(key in metrics, key);
    for (const key of ['roc_auc', 'pr_auc', 'f1', 'precision', 'recall', 'accuracy', 'threshold']) assert.equal(typeof metrics.oof[key], 'number', key);
    for (const f of ['report.html', 'classification_report.txt', 'confusion_matrix.png', 'training_curves.png', 'oof_predictions.csv', 'model/model.json', 'model/weights.bin', 'model/capuchin.json']) {
      assert.ok(existsSync(join(run.outDir, f)), f);
    }

    // a recording assembled from real sample clips (16 kHz, 3 s each): calls at 6, 18 and 30 s,
    // negatives in between and around; the model has seen these clips, so this checks the counting
    // machinery (windows, batching, events) on real audio, not generalisation
    const negatives = ['recording_02-2', 'recording_03-0', 'recording_05-0', 'recording_09-0', 'recording_12-0', 'recording_13-0', 'recording_14-0', 'recording_18-0', 'recording_19-0', 'recording_20-0'];
    const positives = ['recording_00-0', 'recording_06-0', 'recording_15-0'];
    const layout = ['n', 'n', 'p', 'n', 'n', 'n', 'p', 'n', 'n', 'n', 'p', 'n', 'n'];
    const pieces: Float32Array[] = [];
    let ni = 0;
    let pi = 0;
    for (const kind of layout) {
      const name = kind === 'p' ? `${POSITIVE_DIR}/${positives[pi++]}.wav` : `${NEGATIVE_DIR}/${negatives[ni++ % negatives.length]}.wav`;
      pieces.push(padOrTrim((await loadAudio(join(data, name))).samples, 48000, 'start'));
    }
    const assembled = new Float32Array(pieces.length * 48000);
    pieces.forEach((p, i) => assembled.set(p, i * 48000));
    writeFileSync(join(data, FOREST_DIR, 'assembled.wav'), encodeWav16({ samples: assembled, sampleRate: 16000 }));

    // counting with the saved model: the excerpt has 3 labelled calls; the empty mp3 gets an error row
    const count = await runCount({ modelDir: run.modelDir!, recordingsDir: join(data, FOREST_DIR), outDir: join(root, 'count'), dataDir: data, concurrency: 2, log: () => {} });
    const built = count.results.find((r) => r.recording === 'assembled.wav')!;
    assert.equal(built.count, 3, `assembled recording: ${built.events.map((e) => e.start_s.toFixed(2))}`);
    for (const [k, t] of [6, 18, 30].entries()) assert.ok(Math.abs(built.events[k].start_s - t) <= 1.5, `call ${k} at ${built.events[k].start_s}, placed at ${t}`);
    // the held-out excerpt (recording 46, no clip comes from it): most labelled calls are found
    const excerpt = count.results.find((r) => r.recording === 'recording_46_excerpt.mp3')!;
    assert.ok(excerpt.count! >= 2, `counted ${excerpt.count} calls, 3 labelled`);
    const labelled = [3.56, 13.46, 20.8];
    const matched = labelled.filter((t) => excerpt.events.some((e) => Math.abs(e.start_s - t) <= 1.5)).length;
    assert.ok(matched >= 2, `${matched}/3 labelled call starts found within ±1.5 s: ${excerpt.events.map((e) => e.start_s.toFixed(2))}`);
    const broken = count.results.find((r) => r.recording === 'recording_99.mp3')!;
    assert.equal(broken.count, null);
    const results = readFileSync(join(root, 'count', 'results.csv'), 'utf8').trim().split('\n');
    assert.deepEqual(results, ['recording,capuchin_calls', 'assembled.wav,3', `recording_46_excerpt.mp3,${excerpt.count}`, 'recording_99.mp3,']);
    assert.match(readFileSync(join(root, 'count', 'errors.csv'), 'utf8'), /recording_99\.mp3,.*(empty|zero)/i);
    for (const f of ['detections.csv', 'detector_config.json', 'review.html', 'count_eval.json']) assert.ok(existsSync(join(root, 'count', f)), f);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
