/**
 * The evaluation protocol end to end, on real field audio: `experiment` with the shipped model's `field`
 * configuration on the committed field excerpts (data/field-sample/README.md: six excerpts of field recordings
 * 00–08 with the team's labels) and the sample clips. Field folds by recording, background mixing, labelled
 * field windows, detector tuning on the out-of-fold tracks; a held-out and an evaluation recording sit in the
 * same folder, labelled, and must never be read: their files are not audio, so decoding one would fail the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kaggleClipFolders } from '../data/dataset.ts';
import { DEFAULT_RECORDING_ROLES, roleOf } from '../data/roles.ts';
import { FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { loadExperimentConfig } from '../model/experimentConfig.ts';
import { FIELD_FOLDS_FILE, runExperiment } from './experiment.ts';
import { dataDigest, PROVENANCE_FILE } from './provenance.ts';
import { degradeRecordings } from './degrade.ts';

const FIELD_SAMPLE = join(REPO_ROOT, 'data', 'field-sample');
const NOT_AUDIO = 'these bytes are not audio: a run that decodes this file has read a recording it must not read\n';

test('field protocol: folds never train on, validate on or mix background from their own recordings; held-out and evaluation recordings are never read; the detector is tuned out of fold', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-protocol-'));
  try {
    const data = join(root, 'kaggle');
    mkdirSync(join(data, FOREST_DIR), { recursive: true });
    const field = readdirSync(join(FIELD_SAMPLE, FOREST_DIR)).sort();
    for (const f of field) symlinkSync(join(FIELD_SAMPLE, FOREST_DIR, f), join(data, FOREST_DIR, f));
    // a held-out and an evaluation recording, labelled like the rest: neither may train, tune or be decoded
    for (const f of ['recording_46.mp3', 'recording_77.mp3']) writeFileSync(join(data, FOREST_DIR, f), NOT_AUDIO);
    copyFileSync(join(FIELD_SAMPLE, 'labels_calls.csv'), join(data, 'labels_calls.csv'));
    writeFileSync(join(data, 'labels_calls.csv'), readFileSync(join(data, 'labels_calls.csv'), 'utf8') + 'recording_46.mp3,0,3.000,7.100\nrecording_77.mp3,0,2.000,6.100\n');
    writeFileSync(join(data, 'labels_counts.csv'), readFileSync(join(FIELD_SAMPLE, 'labels_counts.csv'), 'utf8') + 'recording_46.mp3,1\nrecording_77.mp3,1\n');

    const shipped = loadExperimentConfig(join(REPO_ROOT, 'experiments', 'configs', 'field.json'));
    const config = {
      ...shipped,
      train: { ...shipped.train, folds: 3, maxEpochs: 4 },
      augment: { ...shipped.augment, background: { ...shipped.augment.background, enabled: true, fieldWindows: true } },
    };
    // a degraded copy of every field excerpt (12 dB louder, clipped), scored out of fold beside the originals
    const degraded = join(root, 'degraded');
    degradeRecordings({ files: field.map((f) => join(FIELD_SAMPLE, FOREST_DIR, f)), outDir: degraded, only: ['gain+12-clipped'] });
    const lines: string[] = [];
    const run = await runExperiment(config, {
      degradedDir: degraded,
      dataDir: data,
      inputs: { clips: kaggleClipFolders(SAMPLE_DATA_DIR), annotated: null, kaggle: true },
      outDir: join(root, 'run'),
      cacheDir: join(root, 'cache'),
      concurrency: 2,
      bootstrap: 50,
      log: (line) => lines.push(line),
    });

    // no --field-labels: the data folder's labels train, and only its field recordings
    assert.ok(lines.some((l) => l.startsWith(`field labels ${join(data, 'labels_calls.csv')}: 6 field recording(s), 9 call(s) train`)), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('not used for training: recording_46.mp3 (holdout recording')));
    assert.ok(lines.some((l) => l.includes('not used for training: recording_77.mp3 (evaluation recording')));
    assert.equal(readFileSync(join(run.outDir, 'errors.csv'), 'utf8').trim().split('\n').length, 1, 'nothing failed to decode: the non-audio recordings were never read');

    // the audit trail: per fold, what trained, what was mixed in, what was scored
    const folds = run.cv.fieldFolds;
    assert.deepEqual(JSON.parse(readFileSync(join(run.outDir, FIELD_FOLDS_FILE), 'utf8')).folds, folds);
    assert.equal(folds.length, 3);
    assert.deepEqual(folds.flatMap((f) => f.scored).sort(), field, 'every field excerpt is scored out of fold exactly once');
    for (const f of folds) {
      const used = [...f.train, ...f.innerValidation, ...f.background];
      assert.deepEqual(used.filter((r) => f.scored.includes(r)), [], `fold ${f.fold} saw its own recordings`);
      assert.ok(f.train.length > 0 && f.background.length > 0, `fold ${f.fold} trains on field windows and mixes background`);
      for (const r of [...used, ...f.scored]) assert.equal(roleOf(r, DEFAULT_RECORDING_ROLES), 'field', `${r} is not a field recording`);
    }

    // the detector is tuned on the out-of-fold tracks of the field recordings, and only those
    const tracks = JSON.parse(readFileSync(join(run.outDir, 'field_oof_tracks.json'), 'utf8')).tracks as { recording: string; fold: number }[];
    for (const t of tracks) assert.ok(folds[t.fold].scored.includes(t.recording), `${t.recording} scored by fold ${t.fold}, which trained on it`);
    // the clipped copies: each scored by the fold model that never saw its original, counted with the CV detector
    assert.equal(run.cv.degradedTracks.length, 1);
    const clipped = run.cv.degradedTracks[0];
    assert.equal(clipped.name, 'gain+12-clipped');
    assert.deepEqual(clipped.tracks.map((t) => t.recording), field);
    for (const t of clipped.tracks) {
      assert.ok(folds[t.fold].scored.includes(t.recording), `${t.recording}'s copy scored by fold ${t.fold}, which trained on it`);
      const original = run.cv.tracks.find((o) => o.recording === t.recording)!;
      assert.equal(t.scores.length, original.scores.length, 'the copy has the original\'s windows');
    }
    const differs = clipped.tracks.some((t) => {
      const original = run.cv.tracks.find((o) => o.recording === t.recording)!.scores;
      return t.scores.some((v, i) => Math.abs(v - original[i]) > 1e-3);
    });
    assert.ok(differs, 'the copies are scored, not the originals again');
    const row = run.result.counting!.degraded![0];
    assert.deepEqual([row.name, row.recordings], ['gain+12-clipped', 6]);
    assert.ok(Number.isFinite(row.mae) && row.exactRate >= 0 && row.exactRate <= 1);
    assert.ok(lines.some((l) => l.startsWith('  field CV on gain+12-clipped copies (6 recordings): MAE ')));
    const detector = JSON.parse(readFileSync(join(run.modelDir!, 'detector.json'), 'utf8'));
    assert.deepEqual([...detector.tunedOn.recordings].sort(), field);
    const meta = JSON.parse(readFileSync(join(run.modelDir!, 'capuchin.json'), 'utf8'));
    assert.deepEqual([...meta.trainedOn.fieldRecordings].sort(), field);

    // provenance: the data that trained and tuned it (20 sample clips and the 6 field excerpts, nothing else), its
    // checksum as a rerun would recompute it, the versions and the commit
    const prov = JSON.parse(readFileSync(join(run.modelDir!, PROVENANCE_FILE), 'utf8'));
    assert.equal(prov.data.files, 26);
    const folders = kaggleClipFolders(SAMPLE_DATA_DIR);
    const read = [folders.positives, folders.negatives].flatMap((d) => readdirSync(d).map((f) => join(d, f)));
    assert.equal(read.length, 20);
    assert.equal(prov.data.sha256, (await dataDigest([...read, ...field.map((f) => join(data, FOREST_DIR, f))], data)).sha256);
    assert.match(prov.versions.tfjs, /^4\./);
    assert.ok(prov.commit === null || /^[0-9a-f]{40}$/.test(prov.commit.id));
    assert.ok(prov.trainSeconds > 0 && prov.config.name === 'field');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
