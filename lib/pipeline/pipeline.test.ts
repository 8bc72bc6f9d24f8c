/**
 * End to end on the embedded sample: train + cross-validate a quick model (a corrupt clip among the
 * clips), count with it (a corrupt mp3 among the recordings); and count with the shipped model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { padOrTrim } from '../audio/clip.ts';
import { loadAudio } from '../audio/load.ts';
import { DEFAULT_DETECTOR_CONFIG } from '../detect/config.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, NEGATIVE_DIR, POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { encodeWav16 } from '../report/audioClips.ts';
import { readDetectionsCsv } from '../records/detections.ts';
import { loadExperimentConfig } from '../model/experimentConfig.ts';
import { runCount } from './count.ts';
import { runExperiment } from './experiment.ts';

const CONFIG = new URL('../../experiments/configs/demo.json', import.meta.url).pathname;
const LABELLED = readDetectionsCsv(join(SAMPLE_DATA_DIR, 'labels_calls.csv')).map((c) => c.start_s);

test('sample: honest cross-validation beats chance, bad files are skipped, every output is written', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-e2e-'));
  try {
    const data = join(root, 'data');
    cpSync(SAMPLE_DATA_DIR, data, { recursive: true });
    writeFileSync(join(data, POSITIVE_DIR, 'broken-1.wav'), Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt not really a wav file'));
    writeFileSync(join(data, FOREST_DIR, 'recording_99.mp3'), Buffer.alloc(0));
    const config = loadExperimentConfig(CONFIG);
    const lines: string[] = [];
    const run = await runExperiment(config, {
      dataDir: data,
      outDir: join(root, 'out'),
      cacheDir: join(root, 'cache'),
      concurrency: 2,
      bootstrap: 200,
      countDir: join(data, FOREST_DIR),
      log: (l) => lines.push(l),
    });

    // the corrupt clip is reported, not fatal
    assert.equal(run.skipped.length, 1);
    assert.match(run.skipped[0].file, /broken-1\.wav/);
    assert.equal(run.result.nClips, 20);
    assert.ok(lines.some((l) => /skipped .*broken-1\.wav/.test(l)));
    assert.match(readFileSync(join(run.outDir, 'errors.csv'), 'utf8'), /Parsed_Capuchinbird_Clips\/broken-1\.wav,.*broken-1\.wav/, 'the experiment lists its unusable clips');

    // no source recording on both sides of any fold
    for (const o of run.cv.oof) assert.equal(run.cv.oof.some((p) => p.group === o.group && p.fold !== o.fold), false, `group ${o.group} is validated in two folds`);

    // out-of-fold predictions of 20 real Kaggle clips from 20 recordings beat chance
    const m = run.result.metrics;
    assert.ok(m.roc_auc >= 0.75, `out-of-fold ROC-AUC ${m.roc_auc}`);
    assert.equal(m.ci?.resampled, 'groups', 'intervals resample source groups');
    const metrics = JSON.parse(readFileSync(join(run.outDir, 'metrics.json'), 'utf8'));
    for (const key of ['backend', 'n_clips', 'n_groups', 'folds', 'feature', 'model', 'train_seconds', 'counting']) assert.ok(key in metrics, key);
    for (const key of ['roc_auc', 'pr_auc', 'f1', 'precision', 'recall', 'accuracy', 'threshold']) assert.equal(typeof metrics.oof[key], 'number', key);
    // no field recordings in the sample: nothing to tune on, the default operating point is saved with the model
    assert.equal(metrics.counting.tuning, null);
    for (const f of ['report.html', 'classification_report.txt', 'confusion_matrix.png', 'training_curves.png', 'oof_predictions.csv', 'model/model.json', 'model/weights.bin', 'model/capuchin.json', 'model/detector.json']) {
      assert.ok(existsSync(join(run.outDir, f)), f);
    }

    // counting with the quick model: the empty mp3 gets an error row, the excerpt a count
    const count = run.count!;
    assert.equal(count.results.find((r) => r.recording === 'recording_99.mp3')!.count, null);
    const results = readFileSync(join(run.outDir, 'count', 'results.csv'), 'utf8').trim().split('\n');
    assert.deepEqual(results.slice(0, 1), ['recording,capuchin_calls']);
    assert.match(results[1], /^recording_46_excerpt\.mp3,\d+$/);
    // 3 labelled calls: a model trained on 20 clips may miss some, but must not fire on the whole background
    const excerptCount = Number(results[1].split(',')[1]);
    assert.ok(excerptCount <= 6, `the quick model counts ${excerptCount} calls in an excerpt with 3`);
    assert.equal(results[2], 'recording_99.mp3,');
    assert.match(readFileSync(join(run.outDir, 'count', 'errors.csv'), 'utf8'), /recording_99\.mp3,.*(empty|zero)/i);
    for (const f of ['detections.csv', 'detector_config.json', 'review.html', 'count_eval.json']) assert.ok(existsSync(join(run.outDir, 'count', f)), f);
    // the excerpt is recording 46, a held-out recording: it is scored apart
    assert.equal(count.evaluation?.holdout?.n, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the shipped model counts the sample excerpt exactly, and a recording assembled from real clips', { timeout: 300_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-shipped-'));
  try {
    const count = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: join(SAMPLE_DATA_DIR, FOREST_DIR), outDir: join(root, 'count'), dataDir: SAMPLE_DATA_DIR, concurrency: 2, log: () => {} });
    assert.match(count.detectorSource, /model's detector\.json/);
    const excerpt = count.results.find((r) => r.recording === 'recording_46_excerpt.mp3')!;
    const starts = excerpt.events.map((e) => e.start_s.toFixed(2)).join(', ');
    assert.equal(excerpt.count, 3, `counted ${excerpt.count} calls (${starts}); 3 labelled at ${LABELLED.join(', ')}`);
    LABELLED.forEach((t, k) => assert.ok(Math.abs(excerpt.events[k].start_s - t) <= 1, `call ${k} found at ${excerpt.events[k].start_s}, labelled at ${t}`));
    assert.equal(count.evaluation?.all.exactRate, 1);

    // the counting machinery (windows, batching, events) on a recording assembled from real sample
    // clips at 16 kHz, 3 s each: calls at 6, 18 and 30 s, negatives between and around. The clips'
    // calls are 2–3.5 s, shorter than a forest call (4.1 s), so the default detector is used, not
    // the operating point tuned on forest recordings.
    const recordings = join(root, 'recordings');
    mkdirSync(recordings);
    const positives = ['XC3776-5', 'XC65196-2', 'XC22397-2'];
    const negatives = ['rain-thunder-and-crickets-sound-effect-35', 'night-insect-sounds-33', 'birds-singing-in-forest-sounds-56', 'cricket-sounds-for-sleep-20', 'Crickets-chirping-at-night-11'];
    const layout = ['n', 'n', 'p', 'n', 'n', 'n', 'p', 'n', 'n', 'n', 'p', 'n', 'n'];
    const pieces: Float32Array[] = [];
    let [pi, ni] = [0, 0];
    for (const kind of layout) {
      const name = kind === 'p' ? `${POSITIVE_DIR}/${positives[pi++]}.wav` : `${NEGATIVE_DIR}/${negatives[ni++ % negatives.length]}.wav`;
      pieces.push(padOrTrim((await loadAudio(join(SAMPLE_DATA_DIR, name))).samples, 48000, 'start'));
    }
    const assembled = new Float32Array(pieces.length * 48000);
    pieces.forEach((p, i) => assembled.set(p, i * 48000));
    writeFileSync(join(recordings, 'assembled.wav'), encodeWav16({ samples: assembled, sampleRate: 16000 }));

    const machinery = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: recordings, outDir: join(root, 'assembled'), detector: { ...DEFAULT_DETECTOR_CONFIG }, concurrency: 1, log: () => {} });
    assert.match(machinery.detectorSource, /overridden/);
    const built = machinery.results[0];
    assert.equal(built.count, 3, `assembled recording: ${built.events.map((e) => e.start_s.toFixed(2))}`);
    for (const [k, t] of [6, 18, 30].entries()) assert.ok(Math.abs(built.events[k].start_s + 4.1 / 2 - (t + 1.5)) <= 2, `call ${k} centred at ${built.events[k].start_s + 2.05}, placed at ${t}–${t + 3} s`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
