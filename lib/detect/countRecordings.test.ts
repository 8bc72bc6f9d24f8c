/**
 * Counting with worker threads: a worker killed mid-file costs that file alone (its row says why, errors.csv gets it),
 * and every other file is counted as one in-process count counts it. Real audio: the sample's forest excerpt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { tempDir } from '../util/__fixtures__/tempDir.ts';
import { resolveDetectorConfig } from './config.ts';
import { countRecordings } from './countRecordings.ts';

test('a counting worker killed mid-file costs that file; its replacement counts the rest exactly', { timeout: 300_000 }, async () => {
  const dir = tempDir('capuchin-crash-');
  const excerpt = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
  const files = ['a', 'b', 'c', 'd', 'e'].map((n) => join(dir, `${n}.mp3`));
  files.forEach((f) => copyFileSync(excerpt, f));
  const detector = resolveDetectorConfig(JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'detector.json'), 'utf8')).detector);
  const alone = await countRecordings({ modelDir: DEFAULT_MODEL_DIR, files: [files[0]], detector, concurrency: 1 });
  const killed: string[] = [];
  const results = await countRecordings({
    modelDir: DEFAULT_MODEL_DIR, files, detector, concurrency: 2,
    onWorkerStart: (file, worker) => {
      if (file.endsWith('c.mp3')) {
        killed.push(file);
        // killed while it holds the file, as a crash would (at once: a timer could fire after a quick file is done)
        void worker.terminate();
      }
    },
  });
  assert.deepEqual(killed, [files[2]]);
  assert.equal(results[2].count, null);
  assert.match(results[2].error!, /c\.mp3: the worker counting it died \(exit code 1\); the batch went on without it\. Fix: \S/);
  for (const k of [0, 1, 3, 4]) {
    assert.equal(results[k].error, undefined, results[k].error);
    assert.equal(results[k].count, alone[0].count, `${results[k].recording}`);
    assert.deepEqual(results[k].events.map((e) => e.start_s), alone[0].events.map((e) => e.start_s));
  }
  assert.equal(alone[0].count, 3, 'the excerpt holds three calls');
});
