/**
 * The parts of `npm run reproduce` that need no training: the recorded figures of the shipped model (and that
 * MODEL.md states the same numbers), the comparison and its exit rule, and the checks of the data folder.
 * The whole command runs on the Kaggle data (README "Reproduce"); it trains for minutes, so not here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, FOREST_DIR, KAGGLE_LABELS_DIR, NEGATIVE_DIR, POSITIVE_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { checkKaggleData, compareFigures, readRecordedFigures, sameWeights } from './reproduce.ts';

test("the shipped model's recorded figures: valid, each in its own range, and the numbers MODEL.md states", () => {
  const recorded = readRecordedFigures(DEFAULT_MODEL_DIR);
  const rows = compareFigures(recorded, Object.fromEntries(Object.entries(recorded.figures).map(([k, f]) => [k, f.recorded])));
  assert.equal(rows.length, 8);
  assert.ok(rows.every((r) => r.ok), 'a model reproducing its own figures passes');
  const modelMd = readFileSync(join(DEFAULT_MODEL_DIR, 'MODEL.md'), 'utf8');
  const f = (name: string) => recorded.figures[name].recorded;
  const stated = [
    `| ${f('clip_roc_auc').toFixed(4)} [`,
    `| ${f('clip_f1').toFixed(3)} [`,
    `event F1 ${f('field_cv_event_f1').toFixed(3)}, MAE ${f('field_cv_mae').toFixed(3)}, ${Math.round(40 * f('field_cv_exact'))} of 40 counts exact`,
    `| ${f('holdout_mae').toFixed(2)} | ${Math.round(10 * f('holdout_exact'))}/10 | `,
    ` / ${f('holdout_event_f1').toFixed(2)} |`,
  ];
  for (const text of stated) assert.ok(modelMd.includes(text), `MODEL.md states ${text}`);
});

test('reproduce fails a figure outside its range, or not reproduced at all', () => {
  const recorded = readRecordedFigures(DEFAULT_MODEL_DIR);
  const good = Object.fromEntries(Object.entries(recorded.figures).map(([k, f]) => [k, f.recorded]));
  const verdict = (over: Record<string, number | null>) => compareFigures(recorded, { ...good, ...over }).filter((r) => !r.ok).map((r) => r.name);
  assert.deepEqual(verdict({ clip_roc_auc: 0.997 }), []);
  assert.deepEqual(verdict({ clip_roc_auc: 0.99 }), ['clip_roc_auc']);
  assert.deepEqual(verdict({ field_cv_mae: 0.05 }), [], 'the range includes its end');
  assert.deepEqual(verdict({ field_cv_mae: 0.075, holdout_exact: 0.8 }), ['field_cv_mae', 'holdout_exact']);
  assert.deepEqual(verdict({ holdout_event_f1: null }), ['holdout_event_f1']);
});

test('reproduce checks its data folder: the Kaggle layout with recordings 00–49, and no labels that differ from data/labels/', () => {
  assert.throws(() => checkKaggleData(SAMPLE_DATA_DIR), /is not the Kaggle data set: missing Forest Recordings\/recording_00\.mp3, .* and 45 more\. Fix: pass --data DIR/);
  const root = mkdtempSync(join(tmpdir(), 'capuchin-repro-'));
  try {
    for (const d of [POSITIVE_DIR, NEGATIVE_DIR, FOREST_DIR]) mkdirSync(join(root, d));
    for (let i = 0; i < 50; i++) writeFileSync(join(root, FOREST_DIR, `recording_${String(i).padStart(2, '0')}.mp3`), '');
    assert.equal(checkKaggleData(root).length, 50);
    copyFileSync(join(KAGGLE_LABELS_DIR, 'labels_calls.csv'), join(root, 'labels_calls.csv'));
    assert.equal(checkKaggleData(root).length, 50, 'identical labels beside the data are fine');
    writeFileSync(join(root, 'labels_counts.csv'), 'recording,capuchin_calls\nrecording_00.mp3,4\n');
    assert.throws(() => checkKaggleData(root), /labels_counts\.csv differs from the repository's data\/labels\/labels_counts\.csv/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'experiments/reproduce.ts'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CAPUCHIN_DATA: '' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /reproduce needs the Kaggle data set\. Fix: pass --data DIR/);
});

test('reproduce tells whether the rebuilt weights equal the shipped ones, byte for byte', () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-repro-'));
  try {
    mkdirSync(join(root, 'copy'));
    copyFileSync(join(DEFAULT_MODEL_DIR, 'weights.bin'), join(root, 'copy', 'weights.bin'));
    assert.equal(sameWeights(DEFAULT_MODEL_DIR, join(root, 'copy')), true);
    const bytes = readFileSync(join(root, 'copy', 'weights.bin'));
    bytes[100] ^= 1;
    writeFileSync(join(root, 'copy', 'weights.bin'), bytes);
    assert.equal(sameWeights(DEFAULT_MODEL_DIR, join(root, 'copy')), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
