import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapCi, bootstrapMany, mulberry32, quantileSorted } from './bootstrap.ts';
import { rocAuc } from './roc.ts';
import { summarize } from './summarize.ts';
import { accuracy, confusion, f1 } from './confusion.ts';
import { prAuc } from './pr.ts';

/** Synthetic classifier: negatives ~ N(0,1), positives ~ N(d,1), via a seeded Box–Muller. */
function synthetic(nPos: number, nNeg: number, d: number, seed: number) {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const labels = new Uint8Array(nPos + nNeg);
  const scores = new Float64Array(nPos + nNeg);
  for (let i = 0; i < nPos + nNeg; i++) {
    labels[i] = i < nPos ? 1 : 0;
    scores[i] = normal() + (i < nPos ? d : 0);
  }
  return { labels, scores };
}

test('quantiles interpolate linearly like numpy; mulberry32 is uniform-looking and reproducible', () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Math.abs(quantileSorted([1, 2, 3, 4], 0.025) - 1.075) < 1e-12);
  assert.equal(quantileSorted([7], 0.975), 7);
  const a = mulberry32(42);
  const b = mulberry32(42);
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    const x = a();
    assert.equal(x, b());
    assert.ok(x >= 0 && x < 1);
    sum += x;
  }
  assert.ok(Math.abs(sum / 10000 - 0.5) < 0.01);
});

test('same seed → same interval; another seed → a different one; value inside the interval', () => {
  const { labels, scores } = synthetic(60, 140, 1, 1);
  const a = bootstrapCi(labels, scores, rocAuc, { n: 300, seed: 7 });
  const b = bootstrapCi(labels, scores, rocAuc, { n: 300, seed: 7 });
  const c = bootstrapCi(labels, scores, rocAuc, { n: 300, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a.value, rocAuc(labels, scores));
  assert.ok(a.lo < a.value && a.value < a.hi, JSON.stringify(a));
  assert.equal(a.n, 300);
});

test('the stratified bootstrap keeps the class counts in every resample; the plain one does not', () => {
  const { labels, scores } = synthetic(30, 70, 1, 2);
  const positives = (l: Uint8Array) => l.reduce((s, v) => s + v, 0);
  const strat = bootstrapCi(labels, scores, positives, { n: 200, seed: 1 });
  assert.deepEqual([strat.lo, strat.hi], [30, 30]);
  const plain = bootstrapCi(labels, scores, positives, { n: 200, seed: 1, stratified: false });
  assert.ok(plain.lo < 30 && plain.hi > 30);
});

test('plain bootstrap CI of a proportion matches the normal approximation ±1.96·sqrt(p(1−p)/n)', () => {
  const { labels, scores } = synthetic(100, 300, 0, 3);
  const ci = bootstrapCi(labels, scores, (l) => l.reduce((s, v) => s + v, 0) / l.length, { n: 2000, seed: 5, stratified: false });
  const half = 1.96 * Math.sqrt((0.25 * 0.75) / 400);
  assert.ok(Math.abs((ci.hi - ci.lo) / 2 / half - 1) < 0.1, `half-width ${(ci.hi - ci.lo) / 2} vs ${half}`);
});

test('AUC CI width agrees with the Hanley–McNeil standard error', () => {
  const { labels, scores } = synthetic(200, 400, 1, 4);
  const ci = bootstrapCi(labels, scores, rocAuc, { n: 1000, seed: 11 });
  const A = ci.value;
  const q1 = A / (2 - A);
  const q2 = (2 * A * A) / (1 + A);
  const se = Math.sqrt((A * (1 - A) + (200 - 1) * (q1 - A * A) + (400 - 1) * (q2 - A * A)) / (200 * 400));
  const ratio = (ci.hi - ci.lo) / (2 * 1.96 * se);
  assert.ok(ratio > 0.85 && ratio < 1.15, `bootstrap width / Hanley–McNeil width = ${ratio}`);
});

test('plain resamples with one class are skipped for AUC and counted out of n', () => {
  const ci = bootstrapCi([1, 0, 0, 0, 0, 0], [0.9, 0.1, 0.2, 0.3, 0.4, 0.5], rocAuc, { n: 200, seed: 3, stratified: false });
  assert.ok(ci.n < 200 && ci.n > 100, `valid resamples ${ci.n}`);
  assert.deepEqual([ci.lo, ci.hi], [1, 1]);
});

test('options are validated with the field name and range', () => {
  assert.throws(() => bootstrapCi([0, 1], [0, 1], rocAuc, { n: 0 }), /n: must be in \[1, 100000\]/);
  assert.throws(() => bootstrapCi([0, 1], [0, 1], rocAuc, { alpha: 1.5 }), /alpha: must be in \(0, 1\)/);
});

test('summarize: metrics equal the individual functions, CIs bracket them, paired resamples are reproducible', () => {
  const { labels, scores } = synthetic(50, 150, 1.5, 6);
  const t = 0.75;
  const s = summarize(labels, scores, t, { bootstrap: { n: 400, seed: 2 } });
  const c = confusion(labels, scores, t);
  assert.equal(s.roc_auc, rocAuc(labels, scores));
  assert.equal(s.pr_auc, prAuc(labels, scores));
  assert.equal(s.f1, f1(c));
  assert.equal(s.accuracy, accuracy(c));
  assert.deepEqual(s.confusion, c);
  assert.deepEqual([s.n, s.n_pos, s.n_neg, s.threshold], [200, 50, 150, t]);
  assert.ok(s.ci);
  for (const k of ['roc_auc', 'pr_auc', 'f1', 'precision', 'recall', 'accuracy'] as const) {
    assert.ok(s.ci[k].lo <= s[k] && s[k] <= s.ci[k].hi, `${k} ${s[k]} outside [${s.ci[k].lo}, ${s.ci[k].hi}]`);
  }
  assert.equal(s.ci.level, 0.95);
  const many = bootstrapMany(labels, scores, { roc_auc: rocAuc }, { n: 400, seed: 2 });
  assert.deepEqual([many.roc_auc.lo, many.roc_auc.hi], [s.ci.roc_auc.lo, s.ci.roc_auc.hi]);
  assert.equal(summarize(labels, scores, t).ci, null);
  const defaults = summarize(labels, scores, t, { bootstrap: true }).ci!;
  assert.deepEqual([defaults.n, defaults.seed, defaults.level, defaults.stratified], [1000, 0, 0.95, true]);
});

test('summarize on a one-class set gives NaN AUCs instead of throwing', () => {
  const s = summarize([1, 1, 1], [0.2, 0.7, 0.9], 0.5, { bootstrap: { n: 20 } });
  assert.ok(Number.isNaN(s.roc_auc) && Number.isNaN(s.pr_auc));
  assert.equal(s.recall, 2 / 3);
  assert.ok(s.ci && Number.isNaN(s.ci.roc_auc.lo));
});

test('resampling by source group widens the interval when clips of a group are alike', () => {
  // 6 positive and 6 negative groups of 20 near-identical clips each; one positive group scores low
  const labels: number[] = [];
  const scores: number[] = [];
  const groups: string[] = [];
  const random = mulberry32(9);
  for (let g = 0; g < 12; g++) {
    const pos = g < 6 ? 1 : 0;
    const centre = pos ? (g === 0 ? 0.2 : 0.8) : 0.3 + 0.05 * g - 0.3;
    for (let k = 0; k < 20; k++) {
      labels.push(pos);
      scores.push(centre + 0.01 * random());
      groups.push(`g${g}`);
    }
  }
  const byClip = bootstrapCi(labels, scores, rocAuc, { n: 500, seed: 2 });
  const byGroup = bootstrapCi(labels, scores, rocAuc, { n: 500, seed: 2, groups });
  assert.equal(byClip.value, byGroup.value);
  assert.ok(byGroup.hi - byGroup.lo > 2 * (byClip.hi - byClip.lo), `group interval [${byGroup.lo}, ${byGroup.hi}] vs clip [${byClip.lo}, ${byClip.hi}]`);
  assert.throws(() => bootstrapCi(labels, scores, rocAuc, { groups: groups.slice(1) }), /groups has 239 entries for 240 examples/);
  const summary = summarize(labels, scores, 0.5, { bootstrap: { n: 100, groups } });
  assert.equal(summary.ci?.resampled, 'groups');
});
