import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { accuracy, confusion, confusionFromPredictions, confusionMatrix, f1, precision, recall } from './confusion.ts';
import { prAuc, prCurve } from './pr.ts';
import { rocAuc, rocCurve } from './roc.ts';
import { classificationReport, pythonFixed } from './classificationReport.ts';

interface Case {
  name: string;
  labels: number[];
  scores: number[];
  threshold: number;
  confusion: { tp: number; fp: number; tn: number; fn: number };
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  roc_auc: number;
  roc_fpr: number[];
  roc_tpr: number[];
  average_precision: number;
  best_f1: number;
  report: string;
  report_named_3digits: string | null;
}

// Generated independently with numpy by __fixtures__/make_metrics_fixture.py.
const { cases } = JSON.parse(readFileSync(new URL('./__fixtures__/metrics.json', import.meta.url), 'utf8')) as { cases: Case[] };
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('confusion-based metrics match the numpy reference on every fixture case', () => {
  assert.equal(cases.length, 5);
  for (const c of cases) {
    const cm = confusion(Uint8Array.from(c.labels), c.scores, c.threshold);
    assert.deepEqual(cm, c.confusion, c.name);
    close(precision(cm), c.precision, `${c.name} precision`);
    close(recall(cm), c.recall, `${c.name} recall`);
    close(f1(cm), c.f1, `${c.name} f1`);
    close(accuracy(cm), c.accuracy, `${c.name} accuracy`);
  }
});

test('ROC AUC (Mann–Whitney, ties as one half) equals brute-force pair counting and the trapezoid of rocCurve', () => {
  for (const c of cases) {
    const auc = rocAuc(c.labels, Float64Array.from(c.scores));
    close(auc, c.roc_auc, `${c.name} auc`);
    const roc = rocCurve(c.labels, c.scores);
    assert.deepEqual(roc.fpr.length, c.roc_fpr.length, c.name);
    roc.fpr.forEach((v, i) => close(v, c.roc_fpr[i], `${c.name} fpr[${i}]`));
    roc.tpr.forEach((v, i) => close(v, c.roc_tpr[i], `${c.name} tpr[${i}]`));
    let trapezoid = 0;
    for (let i = 1; i < roc.fpr.length; i++) trapezoid += ((roc.fpr[i] - roc.fpr[i - 1]) * (roc.tpr[i] + roc.tpr[i - 1])) / 2;
    close(trapezoid, c.roc_auc, `${c.name} trapezoid`);
    assert.equal(roc.thresholds[0], Infinity);
  }
});

test('ROC AUC by hand: perfect, inverted and all-tied scores', () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
  assert.equal(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]), 0);
  assert.equal(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]), 0.5);
  // pos {0.35, 0.8} vs neg {0.1, 0.4}: 3 of 4 pairs ordered correctly
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
});

test('average precision matches the explicit threshold loop; the PR curve starts at (recall 0, precision 1)', () => {
  for (const c of cases) close(prAuc(c.labels, c.scores), c.average_precision, `${c.name} AP`);
  // by hand: thresholds .8 (P 1, R .5), .4 (P .5, R .5), .35 (P 2/3, R 1): AP = .5·1 + .5·2/3
  close(prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.5 + 0.5 * (2 / 3), 'hand AP');
  const pr = prCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.deepEqual(pr.recall, [0, 0.5, 0.5, 1, 1]);
  assert.deepEqual(pr.precision, [1, 1, 0.5, 2 / 3, 0.5]);
  assert.deepEqual(pr.thresholds, [Infinity, 0.8, 0.4, 0.35, 0.1]);
});

test('classificationReport reproduces sklearn text character for character (round-half-even included)', () => {
  for (const c of cases) {
    const preds = c.scores.map((s) => (s >= c.threshold ? 1 : 0));
    assert.equal(classificationReport(c.labels, preds), c.report, c.name);
    if (c.report_named_3digits) {
      assert.equal(classificationReport(c.labels, preds, { targetNames: ['not_capuchin', 'capuchin'], digits: 3 }), c.report_named_3digits, c.name);
    }
  }
  assert.equal(pythonFixed(0.625, 2), '0.62'); // exact half: Python rounds to even, toFixed would give 0.63
  assert.equal(pythonFixed(0.375, 2), '0.38');
  assert.equal(pythonFixed(2 / 3, 2), '0.67');
});

test('hard predictions and the sklearn matrix layout', () => {
  const c = confusionFromPredictions([1, 1, 0, 0, 1], [1, 0, 0, 1, 1]);
  assert.deepEqual(c, { tp: 2, fp: 1, tn: 1, fn: 1 });
  assert.deepEqual(confusionMatrix(c), [
    [1, 1],
    [1, 2],
  ]);
  assert.equal(precision({ tp: 0, fp: 0, tn: 3, fn: 2 }), 0); // zero_division = 0
  assert.throws(() => confusionFromPredictions([1, 0], [0.7, 0]), /predictions\[0\] is 0.7/);
});

test('bad input fails with a message naming the problem and the fix', () => {
  assert.throws(() => rocAuc([0, 1, 1], [0.1, 0.2]), /labels has 3 entries but scores has 2/);
  assert.throws(() => rocAuc([0, 2], [0.1, 0.2]), /labels\[1\] is 2, expected 0 or 1/);
  assert.throws(() => rocAuc([0, 1], [0.1, NaN]), /scores\[1\] is NaN.*Fix/);
  assert.throws(() => rocAuc([1, 1], [0.1, 0.2]), /needs both classes but got 2 positive and 0 negative/);
  assert.throws(() => prAuc([0, 0], [0.1, 0.2]), /needs both classes/);
  assert.throws(() => confusion([], [], 0.5), /no clips/);
  assert.throws(() => classificationReport([0, 1], [0, 1], { digits: 20 }), /digits: must be in \[0, 10\]/);
});
