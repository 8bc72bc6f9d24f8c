/**
 * The detector is tuned on the tracks `count` computes: a field recording scored the way the folds score their
 * own recordings (its whole windows from its frames, then the windows past its end) equals, window for window,
 * the track `count` scores for it with the same model (every window exact, no screening), end windows included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFieldRecordings } from '../data/field.ts';
import { frameView } from '../data/frames.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, REPO_ROOT } from '../data/paths.ts';
import { resolveDetectorConfig } from '../detect/config.ts';
import { countRecordings } from '../detect/countRecordings.ts';
import { windowHopFrames } from '../detect/windows.ts';
import { configureFeatures } from '../features/extractor.ts';
import { selectBackend } from '../model/backend/select.ts';
import { loadModel } from '../model/io.ts';
import { scoreFieldRecording } from '../model/scoreWindows.ts';

const FIELD = join(REPO_ROOT, 'data', 'field-sample', FOREST_DIR);

test("out-of-fold tracks are count's tracks: whole windows and the windows past the end, equal window for window", { timeout: 300_000 }, async () => {
  await selectBackend({ log: () => {} });
  const files = readdirSync(FIELD).sort().map((f) => join(FIELD, f));
  const { model, meta } = await loadModel(DEFAULT_MODEL_DIR);
  const detector = resolveDetectorConfig({ windowSec: meta.feature.clipSec, screenBelow: null });
  const extractor = configureFeatures(meta.feature);
  const hopFrames = windowHopFrames(detector.hopSec, extractor.config.sampleRate, extractor.config.hopLength);
  const field = await loadFieldRecordings(files, meta.feature, { cacheDir: false, endWindowHopFrames: hopFrames, onProgress: () => {} });
  const counted = await countRecordings({ modelDir: DEFAULT_MODEL_DIR, files, detector, concurrency: 1, score: { keepAudioSec: 0 } });
  let endWindows = 0;
  for (const [i, file] of files.entries()) {
    const ours = scoreFieldRecording(model, extractor, frameView(field.frames, i), frameView(field.endWindows, i), hopFrames);
    const theirs = counted.find((r) => r.file === file)!.scored!.scores;
    assert.equal(ours.length, theirs.length, `${file}: ${ours.length} windows vs count's ${theirs.length}`);
    for (let w = 0; w < ours.length; w++) assert.ok(Math.abs(ours[w] - theirs[w]) < 1e-4, `${file} window ${w}: ${ours[w]} vs ${theirs[w]}`);
    endWindows += frameView(field.endWindows, i).rows;
  }
  assert.ok(endWindows >= files.length, `${endWindows} windows past the ends of ${files.length} recordings`);
  model.dispose();
});
