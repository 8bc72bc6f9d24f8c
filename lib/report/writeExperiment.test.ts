import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareReport, EXPERIMENT_FILES, writeExperimentReport } from './writeExperiment.ts';
import { decodePng, distinctColours, PNG_SIGNATURE } from './figures/png.ts';
import { syntheticExperimentResult } from './__fixtures__/syntheticResult.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';

const first = syntheticExperimentResult({ experiment: 'run-1', seed: 1, bootstrapN: 100 });
const second = syntheticExperimentResult({ experiment: 'run-2', seed: 2, bootstrapN: 100, separation: 1 });
const ALL = Object.values(EXPERIMENT_FILES).sort();

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

test('writeExperimentReport writes every file with the promised content', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-exp-'));
  try {
    const written = await writeExperimentReport(dir, first, { dataDir: SAMPLE_DATA_DIR, worstK: 3 });
    assert.deepEqual(written.map((p) => p.slice(dir.length + 1)).sort(), ALL);
    assert.deepEqual(readdirSync(dir).sort(), ALL, 'no staging leftovers');
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    for (const key of ['backend', 'n_clips', 'n_groups', 'folds', 'feature', 'model', 'train_seconds', 'oof', 'per_fold', 'config']) assert.ok(key in metrics, key);
    assert.equal(metrics.n_clips, 120);
    assert.equal(metrics.oof.roc_auc, first.metrics.roc_auc);
    assert.equal(metrics.oof.threshold, first.threshold);
    assert.equal(metrics.oof.ci.f1.lo, first.metrics.ci!.f1.lo);
    assert.equal(metrics.per_fold.length, 3);
    const text = readFileSync(join(dir, 'classification_report.txt'), 'utf8');
    assert.match(text, /not capuchin\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+80\n/);
    assert.match(text, /\n {4}capuchin\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+40\n/);
    for (const png of ['confusion_matrix.png', 'training_curves.png']) {
      const bytes = readFileSync(join(dir, png));
      assert.deepEqual(bytes.subarray(0, 8), Buffer.from(PNG_SIGNATURE));
      assert.ok(distinctColours(decodePng(bytes)) > 20, png);
    }
    assert.equal(readFileSync(join(dir, 'oof_predictions.csv'), 'utf8').trim().split('\n').length, 121);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const hrefs = [...html.matchAll(/<audio controls preload="none" src="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(hrefs.length > 0);
    for (const href of hrefs) assert.ok(existsSync(join(dir, decodeURIComponent(href))), `player links a real clip: ${href}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a crash mid-way (writer throws on the 4th file) leaves the previous run’s files byte-identical', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-exp-'));
  try {
    await writeExperimentReport(dir, first);
    const before = snapshot(dir);
    let calls = 0;
    const crashing = (path: string, data: string | Uint8Array) => {
      if (++calls === 4) throw new Error('disk full (simulated)');
      writeFileAtomic(path, data);
    };
    await assert.rejects(writeExperimentReport(dir, second, { writeFile: crashing }), /disk full/);
    assert.equal(calls, 4);
    assert.deepEqual(snapshot(dir), before, 'old files intact, no partial new set, no staging folder left');
    await writeExperimentReport(dir, second);
    assert.equal(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).experiment, 'run-2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad result is refused before anything is written, naming the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-exp-'));
  try {
    const bad = structuredClone(first);
    bad.oof[3].score = NaN;
    await assert.rejects(writeExperimentReport(dir, bad), /oof\.3\.score: must be a finite number/);
    const short = { ...first, nClips: 999 };
    await assert.rejects(writeExperimentReport(dir, short), /oof: has 120 predictions but nClips is 999/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compareReport writes compare.csv and compare.html for a sweep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-cmp-'));
  try {
    compareReport(dir, [first, second]);
    assert.deepEqual(readdirSync(dir).sort(), ['compare.csv', 'compare.html']);
    const csv = readFileSync(join(dir, 'compare.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 3);
    const html = readFileSync(join(dir, 'compare.html'), 'utf8');
    assert.ok(html.indexOf('<td>run-1</td>') < html.indexOf('<td>run-2</td>'), 'better ROC AUC first');
    assert.ok(html.includes('Out-of-fold metrics with bootstrap CIs'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
