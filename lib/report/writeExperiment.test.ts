import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareReport, EXPERIMENT_FILES, writeExperimentReport } from './writeExperiment.ts';
import { decodePng, distinctColours, PNG_SIGNATURE } from './__fixtures__/png.ts';
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

test('compareReport keeps the sweep\'s order in compare.csv and the table, and draws the metric dots by ROC AUC, best on top', () => {
  // Fed in neither ROC order: a (middle), b (best), c (worst), d (a copy of a's metrics: a tie with a).
  const a = syntheticExperimentResult({ experiment: 'sweep-a', seed: 3, bootstrapN: 20, separation: 1.5 });
  const b = syntheticExperimentResult({ experiment: 'sweep-b', seed: 4, bootstrapN: 20, separation: 3 });
  const c = syntheticExperimentResult({ experiment: 'sweep-c', seed: 5, bootstrapN: 20, separation: 0.5 });
  const d = { ...structuredClone(a), experiment: 'sweep-d' };
  assert.ok(c.metrics.roc_auc < a.metrics.roc_auc && a.metrics.roc_auc < b.metrics.roc_auc, 'fixture premise: c < a = d < b by ROC AUC');
  const sweep = ['sweep-a', 'sweep-b', 'sweep-c', 'sweep-d'];
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-cmp-'));
  try {
    compareReport(dir, [a, b, c, d]);
    assert.deepEqual(readdirSync(dir).sort(), ['compare.csv', 'compare.html']);
    const csv = readFileSync(join(dir, 'compare.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0]!.split(',')[0], 'experiment');
    assert.deepEqual(csv.slice(1).map((line) => line.split(',')[0]), sweep, 'compare.csv rows in the sweep\'s order');
    const html = readFileSync(join(dir, 'compare.html'), 'utf8');
    const tableOrder = [...html.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(tableOrder, sweep, 'table rows in the sweep\'s order (each row adds one lever to the one before), not re-sorted');
    const figures = JSON.parse(/<script type="application\/json" id="capuchin-figures">([\s\S]*?)<\/script>/.exec(html)![1]!) as { data: { name: string; y: string[]; x: number[] }[]; layout: { title: { text: string } } }[];
    const dots = figures.find((f) => f.layout.title.text === 'Out-of-fold metrics with bootstrap CIs');
    assert.ok(dots, 'compare.html has the metric dot figure');
    // plotly draws the first category at the bottom: ascending ROC AUC puts the best on top; the tie keeps the sweep's order
    for (const trace of dots.data) assert.deepEqual(trace.y, ['sweep-c', 'sweep-a', 'sweep-d', 'sweep-b'], `${trace.name}: rows by ROC AUC`);
    const roc = dots.data.find((t) => t.name === 'ROC AUC')!;
    assert.deepEqual(roc.x, [c, a, d, b].map((r) => r.metrics.roc_auc), 'each dot sits on its own experiment\'s row');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
