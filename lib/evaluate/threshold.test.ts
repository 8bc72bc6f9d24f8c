import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chooseThreshold, chooseThresholdDetailed } from './threshold.ts';
import { confusion, f1 } from './confusion.ts';

const { cases } = JSON.parse(readFileSync(new URL('./__fixtures__/metrics.json', import.meta.url), 'utf8')) as {
  cases: { name: string; labels: number[]; scores: number[]; best_f1: number }[];
};

test('the chosen threshold reaches the brute-force best F1 (numpy reference) on every fixture case', () => {
  for (const c of cases) {
    const t = chooseThreshold(c.labels, c.scores, { metric: 'f1' });
    assert.ok(Math.abs(f1(confusion(c.labels, c.scores, t)) - c.best_f1) < 1e-12, c.name);
  }
});

test('by hand: F1 is best cutting at 0.35, threshold is the midpoint to the next score 0.1', () => {
  // descending: .8(1) .4(0) .35(1) .1(0) → F1 per cut: 2/3, 1/2, 4/5, 2/3
  const choice = chooseThresholdDetailed([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.equal(choice.metric, 'f1');
  assert.equal(choice.value, 0.8);
  assert.equal(choice.upper, 0.35);
  assert.equal(choice.lower, 0.1);
  assert.equal(choice.threshold, (0.35 + 0.1) / 2);
});

test('ties: a run of equally good neighbouring cuts gives the midpoint of the whole run', () => {
  // .9(1) | .6(1) .6(0) | .2(0): accuracy .75 at .9 and at .6, .5 at .2 → best interval (.2, .9]
  const choice = chooseThresholdDetailed([1, 1, 0, 0], [0.9, 0.6, 0.6, 0.2], { metric: 'accuracy' });
  assert.equal(choice.value, 0.75);
  assert.equal(choice.threshold, (0.9 + 0.2) / 2);
  // separate best cuts (.9 and .5 both .75): the first run (highest threshold) wins
  assert.equal(chooseThreshold([1, 0, 1, 0], [0.9, 0.7, 0.5, 0.3], { metric: 'accuracy' }), (0.9 + 0.7) / 2);
});

test('youden picks the cut maximising TPR − FPR; everything-positive best uses the lowest score', () => {
  assert.equal(chooseThreshold([0, 1, 0, 1], [0.1, 0.9, 0.3, 0.7], { metric: 'youden' }), (0.7 + 0.3) / 2);
  // all positives score lowest-but-tied with nothing: F1 best when everything is positive
  assert.equal(chooseThreshold([1, 1, 1, 0], [0.2, 0.2, 0.2, 0.9]), 0.2);
});

test('an unknown metric is rejected with the allowed values', () => {
  assert.throws(() => chooseThreshold([0, 1], [0.1, 0.9], { metric: 'auc' as never }), /metric: must be one of f1, accuracy, youden/);
});
