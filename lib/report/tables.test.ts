import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { compareCsv, oofPredictionsCsv, writeOofPredictionsCsv } from './tables.ts';
import { syntheticExperimentResult } from './__fixtures__/syntheticResult.ts';
import type { OofPrediction } from './types.ts';

const tricky: OofPrediction[] = [
  { file: 'Forest Recordings/a, "b".wav', group: '007', label: 1, score: 0.1 + 0.2, fold: 1 },
  { file: 'Parsed_Capuchinbird_Clips/XC-1.wav', group: 'XC-1', label: 1, score: 0.9, fold: 0 },
  { file: 'Parsed_Not_Capuchinbird_Clips/n-0.wav', group: 'n', label: 0, score: 1e-10, fold: 0 },
];

test('oof_predictions.csv round-trips through csv-parse, commas and quotes included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-tables-'));
  try {
    const path = join(dir, 'oof_predictions.csv');
    await writeOofPredictionsCsv(path, tricky, 0.5);
    const rows = parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]), ['file', 'group', 'fold', 'label', 'score', 'pred']);
    // sorted by fold, then file
    assert.deepEqual(rows.map((r) => r.file), [tricky[1].file, tricky[2].file, tricky[0].file]);
    const back = rows[2];
    assert.equal(back.group, '007', 'numeric-looking group stays text');
    assert.equal(Number(back.score), 0.1 + 0.2, 'full double precision');
    assert.equal(back.pred, '0');
    assert.equal(rows[0].pred, '1');
    assert.equal(Number(rows[1].score), 1e-10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty OOF set still writes the header', async () => {
  assert.equal(await oofPredictionsCsv([], 0.5), 'file,group,fold,label,score,pred\n');
});

test('compare.csv: one row per experiment with metrics, CIs, threshold, time and parameters', () => {
  const a = syntheticExperimentResult({ experiment: 'mel-cnn', seed: 1, bootstrapN: 50 });
  const b = syntheticExperimentResult({ experiment: 'mfcc, small', seed: 2, bootstrapN: 50, params: 1234, trainSeconds: 9.5 });
  b.metrics = { ...b.metrics, ci: null };
  const rows = parse(compareCsv([a, b]), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 2);
  assert.equal(rows[1].experiment, 'mfcc, small');
  assert.equal(Number(rows[0].roc_auc), a.metrics.roc_auc);
  assert.equal(Number(rows[0].roc_auc_lo), a.metrics.ci!.roc_auc.lo);
  assert.equal(Number(rows[0].f1_hi), a.metrics.ci!.f1.hi);
  assert.equal(rows[1].roc_auc_lo, '', 'missing CI is an empty field, not "NaN"');
  assert.equal(rows[1].params, '1234');
  assert.equal(rows[1].train_seconds, '9.5');
  assert.equal(Number(rows[0].threshold), a.threshold);
  assert.deepEqual(JSON.parse(rows[0].feature), a.feature);
});
