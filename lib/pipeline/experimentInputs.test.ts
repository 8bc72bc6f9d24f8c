/** The data flags of `experiment`: the Kaggle layout by default, clip folders, annotated recordings; half-given pairs refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanClips } from '../data/dataset.ts';
import { NEGATIVE_DIR, POSITIVE_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { loadExperimentConfig, resolveExperimentConfig, type FieldLabelMode } from '../model/experimentConfig.ts';
import { describeInputs, fieldLabelsFor, readExperimentInputs, targetContextOf } from './experimentInputs.ts';

const SPECIES = join(REPO_ROOT, 'data', 'species-sample');

test('no data flags: the Kaggle layout and the Capuchinbird; clip folders or annotations: a target of their own', () => {
  const kaggle = readExperimentInputs({ dataDir: SAMPLE_DATA_DIR });
  assert.equal(kaggle.kaggle, true);
  assert.deepEqual(kaggle.clips, { positives: join(SAMPLE_DATA_DIR, POSITIVE_DIR), negatives: join(SAMPLE_DATA_DIR, NEGATIVE_DIR) });
  assert.equal(targetContextOf(kaggle, 'mel').preset?.name, 'Capuchinbird');
  const clips = readExperimentInputs({ dataDir: SPECIES, positives: join(SPECIES, 'killer-whale/KillerWhale'), negatives: join(SPECIES, 'killer-whale/Noise'), groups: /^(.*)_Ch1/ });
  assert.equal(clips.kaggle, false);
  assert.equal(clips.annotated, null);
  assert.deepEqual(targetContextOf(clips, 'whale', { callSec: 1 }), { preset: null, name: 'whale', calls: [], flags: { callSec: 1 } });
  const annotated = readExperimentInputs({ dataDir: SPECIES, recordings: join(SPECIES, 'screaming-piha/recordings'), annotations: join(SPECIES, 'screaming-piha/annotations.csv') });
  assert.equal(annotated.clips, null, 'annotated recordings alone: no clips');
  assert.equal(targetContextOf(annotated, 'piha').calls?.length, 14);
  assert.match(describeInputs(annotated).join('\n'), /annotated recordings: 2 in .* with 14 call\(s\) from 1 csv file\(s\)/);
});

test('flags that go together are refused alone, naming the fix', () => {
  assert.throws(() => readExperimentInputs({ dataDir: SPECIES, positives: 'x' }), /--positives and --negatives go together \(got only --positives\)\. Fix: pass both clip folders/);
  assert.throws(() => readExperimentInputs({ dataDir: SPECIES, annotations: 'a.csv' }), /--recordings and --annotations go together \(got only --annotations\)/);
  assert.throws(() => readExperimentInputs({ dataDir: SPECIES, annotationClass: 'bird' }), /--annotation-class chooses among annotation rows\. Fix: pass --recordings DIR --annotations FILE with it/);
  assert.throws(() => readExperimentInputs({ dataDir: SPECIES, groups: /x/ }), /--groups reads source groups from clip names\. Fix: pass it with --positives DIR --negatives DIR/);
  // a clip name the group pattern does not match is refused when the folders are read
  const bad = readExperimentInputs({ dataDir: SPECIES, positives: join(SPECIES, 'killer-whale/KillerWhale'), negatives: join(SPECIES, 'killer-whale/Noise'), groups: /^(\d{4})-/ });
  assert.throws(() => scanClips(bad.clips!), /clip 2016\d+_\d+_Ch1_\d+s_sar\.flac does not match --groups \/\^\(\\d\{4\}\)-\/, so its source recording is unknown/);
});

test("field.labels: 'given' trains only on --field-labels; 'found' adds the labels that go with Kaggle data; 'required' refuses without; old configs' required reads as the mode", () => {
  const fieldSample = join(REPO_ROOT, 'data', 'field-sample');
  const empty = mkdtempSync(join(tmpdir(), 'capuchin-nolabels-'));
  try {
    const config = (labels: FieldLabelMode) => ({ name: 'x', field: { ...resolveExperimentConfig({ name: 'x' }).field, labels } });
    const kaggle = { dataDir: fieldSample, kaggle: true };
    assert.equal(fieldLabelsFor(config('given'), kaggle), undefined, "'given': labels beside the data do not train");
    assert.equal(fieldLabelsFor(config('given'), { ...kaggle, given: 'mine.csv' }), 'mine.csv');
    assert.equal(fieldLabelsFor(config('found'), kaggle), join(fieldSample, 'labels_calls.csv'));
    assert.equal(fieldLabelsFor(config('required'), { ...kaggle, given: 'mine.csv' }), 'mine.csv', 'given labels come first');
    const lines: string[] = [];
    assert.equal(fieldLabelsFor(config('found'), { dataDir: empty, kaggle: true }, (l) => lines.push(l)), undefined);
    assert.match(lines.join('\n'), /field labels: none for .*; 'x' trains without field windows \(pass --field-labels/);
    assert.equal(fieldLabelsFor(config('found'), { dataDir: fieldSample, kaggle: false }), undefined, 'clip folders and annotations bring their own labels');
    assert.throws(() => fieldLabelsFor(config('required'), { dataDir: empty, kaggle: true }), /experiment 'x' trains on labelled field recordings, and .* has no labels_calls\.csv.*Fix: pass --field-labels/);

    assert.equal(resolveExperimentConfig({ name: 'old', field: { required: true } }).field.labels, 'required');
    assert.equal(resolveExperimentConfig({ name: 'old', field: { required: false } }).field.labels, 'given');
    assert.throws(() => resolveExperimentConfig({ name: 'bad', field: { labels: 'always' } }), /field\.labels/);
    assert.equal(loadExperimentConfig(join(REPO_ROOT, 'experiments', 'configs', 'mel.json')).field.labels, 'found', "the user's default trains on the labels that ship for the Kaggle recordings");
    assert.equal(loadExperimentConfig(join(REPO_ROOT, 'experiments', 'configs', 'field.json')).field.labels, 'required');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
