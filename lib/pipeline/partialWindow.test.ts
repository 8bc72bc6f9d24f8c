/**
 * The windows that run past a recording's end are scored (the audio to the end, padded like a clip),
 * through the real path: wav file → streamAudio → WindowAssembler → shipped model → events. The
 * recordings are the sample excerpt (recording 46, calls labelled at 2.57, 12.47 and 19.81 s) cut to
 * end 1 s and 1.5 s after the start of its second call. Without the end windows the 1 s case loses that call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wavBytes } from '../audio/__fixtures__/testAudio.ts';
import { loadAudio } from '../audio/load.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { runCount } from './count.ts';

test('a call that starts 1 or 1.5 s before the end of a recording is counted', { timeout: 120_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-end-'));
  try {
    const folder = join(root, 'in');
    mkdirSync(folder);
    const excerpt = await loadAudio(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'));
    for (const tail of [1, 1.5]) writeFileSync(join(folder, `ends_${tail}s_into_a_call.wav`), wavBytes([excerpt.samples.slice(0, Math.round((12.47 + tail) * 16000))], 16000));
    const run = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: folder, outDir: join(root, 'out'), concurrency: 1, review: false, log: () => {} });
    for (const r of run.results) {
      const duration = r.scored!.durationSec;
      const fullWindows = Math.floor((duration - 3) / 0.5) + 1;
      assert.ok(r.scored!.scores.length > fullWindows, `${r.recording}: ${r.scored!.scores.length} windows, only the ${fullWindows} full ones`);
      assert.equal(r.count, 2, `${r.recording}: calls at ${r.events.map((e) => e.start_s.toFixed(2))}`);
      assert.ok(Math.abs(r.events[0].start_s - 2.57) <= 1, `first call at ${r.events[0].start_s}`);
      assert.ok(r.events[1].start_s > 9 && r.events[1].end_s <= duration + 1e-9, `the call at the end: ${r.events[1].start_s}–${r.events[1].end_s} of ${duration} s`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
