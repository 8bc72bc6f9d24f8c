/**
 * `npm run screen-check -- [--model MODEL_DIR] [--data DIR] [--out DIR] [--workers N]`
 * What screened counting changes for a model, on the labelled recordings: each field (00–39) and
 * held-out (40–49) recording is scored twice, every window on its own and every window by its screening
 * score only, and a grid of screenBelow × screenRadius is evaluated on those two tracks
 * (lib/detect/screenGrid.ts): the share of windows scored exactly, the recordings whose count changes,
 * the largest call-start shift and the largest score difference. Judge the grid on the field rows; the
 * held-out rows are the check. Writes screen_grid.csv; exit 1 when the model cannot be screened.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { listAudioFiles } from '../lib/audio/listing.ts';
import { stringify } from 'csv-stringify/sync';
import { FOREST_DIR, DEFAULT_MODEL_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { DEFAULT_RECORDING_ROLES, roleOf } from '../lib/data/roles.ts';
import { runCount, type CountRun } from '../lib/pipeline/count.ts';
import { screenGrid, type ScreenTracks } from '../lib/detect/screenGrid.ts';
import { writeFileAtomic } from '../lib/util/atomic.ts';
import { dataOption, newCommand, outOption, parsePositiveInt, runMain } from './cli.ts';

const BELOW = [0.02, 0.05, 0.1, 0.2];
const RADII = [0, 2, 4, 8];

const program = newCommand('screen-check', 'What screened counting changes, on the labelled field and held-out recordings')
  .option('--model <dir>', 'model folder (default: the shipped models/default)', DEFAULT_MODEL_DIR)
  .addOption(dataOption())
  .addOption(outOption('output folder (default artifacts/screen-check/<timestamp>/)'))
  .option('--workers <n>', 'worker threads', parsePositiveInt('--workers'));

await runMain(async () => {
  const o = program.parse().opts<{ model: string; data?: string; out?: string; workers?: number }>();
  const dataDir = resolveDataDir(o.data);
  const outDir = o.out ?? defaultOutDir('screen-check');
  const roles = DEFAULT_RECORDING_ROLES;
  // only the field and held-out recordings (never the contest's evaluation set), linked into one folder
  const labelled = listAudioFiles(join(dataDir, FOREST_DIR)).filter((f) => ['field', 'holdout'].includes(roleOf(basename(f), roles) ?? ''));
  if (labelled.length === 0) throw new Error(`screen-check: no field or held-out recordings (${roles.field.source}, ${roles.holdout.source}) in ${join(dataDir, FOREST_DIR)}. Fix: --data the Kaggle root`);
  const folder = mkdtempSync(join(tmpdir(), 'capuchin-screen-check-'));
  for (const f of labelled) symlinkSync(f, join(folder, basename(f)));
  const count = async (label: string, screenBelow: number | null) => {
    process.stderr.write(`screen-check: scoring ${labelled.length} recordings ${label === 'exact' ? 'window by window' : 'by screening scores only'} …\n`);
    return runCount({ modelDir: o.model, recordingsDir: folder, outDir: join(outDir, label), review: false, activity: false, concurrency: o.workers, detector: { screenBelow }, log: () => {} });
  };
  let exact: CountRun;
  let screening: CountRun;
  try {
    exact = await count('exact', null);
    // screenBelow 1: no window is scored exactly for its screening score (only the last few, whose neighbours are unknown)
    screening = await count('screening', 1);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  if (screening.results.every((r, i) => r.scored?.exactWindows === exact.results[i].scored?.exactWindows)) {
    throw new Error(`screen-check: ${o.model} cannot be screened (it needs global average pooling before one sigmoid unit, and PCEN or spectrogram features); it is always scored window by window`);
  }
  const byRole = new Map<string, ScreenTracks[]>();
  exact.results.forEach((r, i) => {
    const role = roleOf(r.recording, roles);
    const s = screening.results[i];
    if ((role !== 'field' && role !== 'holdout') || !r.scored || !s.scored) return;
    const list = byRole.get(role) ?? [];
    list.push({ recording: r.recording, durationSec: r.scored.durationSec, exact: r.scored.scores, screening: s.scored.scores });
    byRole.set(role, list);
  });
  const detector = exact.detector;
  const rows: (string | number)[][] = [['role', 'recordings', 'screenBelow', 'screenRadius', 'exact_share', 'counts_differ', 'max_start_shift_s', 'max_score_diff']];
  for (const role of ['field', 'holdout']) {
    const tracks = byRole.get(role) ?? [];
    if (tracks.length === 0) continue;
    process.stdout.write(`\n${role} (${tracks.length} recordings)\n`);
    for (const g of screenGrid(tracks, detector, BELOW, RADII)) {
      rows.push([role, g.recordings, g.below, g.radius, g.exactShare.toFixed(4), g.countsDiffer, g.maxStartShiftSec.toFixed(2), g.maxScoreDiff.toFixed(4)]);
      process.stdout.write(`  below ${g.below} radius ${g.radius}: ${(100 * g.exactShare).toFixed(1)} % exact, ${g.countsDiffer} count(s) differ, start shift ≤ ${g.maxStartShiftSec.toFixed(2)} s, score diff ≤ ${g.maxScoreDiff.toFixed(3)}\n`);
    }
  }
  writeFileAtomic(join(outDir, 'screen_grid.csv'), stringify(rows));
  process.stdout.write(`\nwrote ${join(outDir, 'screen_grid.csv')}\n`);
});
