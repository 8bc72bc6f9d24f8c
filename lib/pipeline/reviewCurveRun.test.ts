/**
 * `review-curve` end to end on real audio: the six field excerpts (data/field-sample/) are reviewed from their
 * labels in batches, each batch retrains with the reviewed recordings' calls (and the base model's rejected
 * detections) and counts the held-out excerpt of recording 46, which never trains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOREST_DIR, NEGATIVE_DIR, POSITIVE_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { loadExperimentConfig } from '../model/experimentConfig.ts';
import { runReviewCurve } from './reviewCurve.ts';

const FIELD_SAMPLE = join(REPO_ROOT, 'data', 'field-sample');

test('review curve: batches of reviewed field recordings retrain, each counts the held-out recording it never saw', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-curve-run-'));
  try {
    const data = join(root, 'kaggle');
    mkdirSync(join(data, FOREST_DIR), { recursive: true });
    for (const d of [POSITIVE_DIR, NEGATIVE_DIR]) symlinkSync(join(SAMPLE_DATA_DIR, d), join(data, d));
    const field = readdirSync(join(FIELD_SAMPLE, FOREST_DIR)).sort();
    for (const f of field) symlinkSync(join(FIELD_SAMPLE, FOREST_DIR, f), join(data, FOREST_DIR, f));
    symlinkSync(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'), join(data, FOREST_DIR, 'recording_46_excerpt.mp3'));
    const rows = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').slice(1);
    writeFileSync(join(data, 'labels_calls.csv'), ['recording,call_index,start_s,end_s', ...rows(FIELD_SAMPLE, 'labels_calls.csv'), ...rows(SAMPLE_DATA_DIR, 'labels_calls.csv')].join('\n') + '\n');
    writeFileSync(join(data, 'labels_counts.csv'), ['recording,capuchin_calls', ...rows(FIELD_SAMPLE, 'labels_counts.csv'), ...rows(SAMPLE_DATA_DIR, 'labels_counts.csv')].join('\n') + '\n');

    const mel = loadExperimentConfig(join(REPO_ROOT, 'experiments', 'configs', 'mel.json'));
    const config = { ...mel, train: { ...mel.train, folds: 3, maxEpochs: 3 } };
    const run = await runReviewCurve({ dataDir: data, outDir: join(root, 'curve'), config, batches: [0, 2, 4], concurrency: 2, cacheDir: join(root, 'cache'), bootstrap: 20, log: () => {} });

    assert.deepEqual(run.holdout, ['recording_46_excerpt.mp3']);
    assert.deepEqual([...run.order].sort(), field, 'the reviewer works through the field recordings only');
    assert.deepEqual(run.rows.map((r) => r.reviewedRecordings), [0, 2, 4]);
    for (const r of run.rows) {
      assert.deepEqual(r.recordings, run.order.slice(0, r.reviewedRecordings));
      assert.ok(r.mae !== null && r.mae >= 0, `${r.reviewedRecordings} reviewed: the held-out recording was counted`);
      // the retrained model learned from exactly the reviewed recordings' labels, and never from recording 46
      const meta = JSON.parse(readFileSync(join(run.outDir, r.experimentDir!, 'model', 'capuchin.json'), 'utf8'));
      assert.deepEqual([...meta.trainedOn.fieldRecordings].sort(), [...r.recordings].sort());
      assert.ok(!JSON.stringify(meta.trainedOn).includes('recording_46'));
    }
    const calls = (names: string[]) => names.reduce((n, name) => n + Number(rows(FIELD_SAMPLE, 'labels_counts.csv').find((l) => l.startsWith(`${name},`))!.split(',')[1]), 0);
    for (const r of run.rows.slice(1)) assert.equal(r.calls, calls(r.recordings), 'a faithful reviewer keeps every labelled call');
    const csv = readFileSync(join(run.outDir, 'review_curve.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 4, 'a header and one row per batch');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
