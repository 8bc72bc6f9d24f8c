/**
 * The shipped model on the real Kaggle data, when it is here: set CAPUCHIN_DATA to the Kaggle layout
 * (README "Data"); the labels are the project's (data/labels/). Without the
 * recordings these tests skip.
 * Recordings 40–49 are the protocol's held-out set: the shipped model never trained or tuned on them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, FOREST_DIR, KAGGLE_LABELS_DIR } from '../data/paths.ts';
import { readCountLabels } from '../records/labels.ts';
import { runCount } from './count.ts';

const data = process.env.CAPUCHIN_DATA;
const held = Array.from({ length: 10 }, (_, i) => `recording_4${i}.mp3`);
const available = Boolean(data && held.every((f) => existsSync(join(data, FOREST_DIR, f))));
const skip = available ? false : 'needs CAPUCHIN_DATA with the Kaggle Forest Recordings (README "Data")';

test('real data: the shipped model counts every held-out recording 40–49 exactly', { skip, timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-real-'));
  try {
    // only the held-out recordings, linked into the folder the count reads
    const recordings = join(root, 'recordings');
    mkdirSync(recordings);
    for (const f of held) symlinkSync(join(data!, FOREST_DIR, f), join(recordings, f));
    const count = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: recordings, outDir: join(root, 'count'), labels: readCountLabels(KAGGLE_LABELS_DIR)!, concurrency: 2, review: false, log: () => {} });
    const report = count.evaluation!.holdout!;
    assert.equal(report.n, 10);
    const wrong = report.recordings.filter((r) => !r.exact).map((r) => `${r.recording}: ${r.predicted} counted, ${r.truth} labelled`);
    assert.deepEqual(wrong, [], 'every held-out count is exact');
    assert.ok((report.events?.f1 ?? 0) >= 0.98, `event F1 ${report.events?.f1} (±1 s on the start)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
