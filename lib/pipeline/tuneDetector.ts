/**
 * Tune the detector on labelled tuning recordings (cross-validated over recordings) and report
 * it on held-out recordings it never saw: score every recording once with the model, pick the
 * post-processing on the tuning set, then count the held-out set with the chosen detector.
 */
import { basename, join } from 'node:path';
import { listAudioFiles } from '../audio/listing.ts';
import { resolveDetectorConfig, type DetectorConfig } from '../detect/config.ts';
import { countRecordings } from '../detect/countRecordings.ts';
import { crossValidateGrid, evaluateDetector, trackEvents, type ScoreTrack, type TuneGrid, type TuneResult } from '../detect/tune.ts';
import { evaluateProcessed, writeCountEval, type CountEvalReport } from '../evaluate/countEval.ts';
import { loadModelMeta } from '../model/io.ts';
import { type CountLabels } from '../records/labels.ts';
import { findCountLabels } from '../data/labels.ts';
import { countEvalTable } from '../report/countEvalTable.ts';
import { writeCountOutputs } from './countOutputs.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { DEFAULT_RECORDING_ROLES, recordingsInRole, type RecordingRoles } from '../data/roles.ts';

/**
 * Tune the detector on score tracks of labelled recordings (the experiment's out-of-fold tracks of
 * the field recordings): cross-validated over recordings for an honest estimate, then chosen on all
 * of them. Recordings without count labels are left out. Null when fewer than 2 are labelled.
 */
export function tuneOnTracks(
  tracks: readonly ScoreTrack[],
  labels: CountLabels,
  base: DetectorConfig,
  log: (line: string) => void,
  opts: { grid?: TuneGrid; folds?: number; toleranceSec?: number } = {},
): (TuneResult & { recordings: string[] }) | null {
  const labelled = new Set(labels.counts.map((c) => c.recording));
  const usable = tracks.filter((t) => labelled.has(t.recording));
  if (usable.length < 2 || !labels.calls) return null;
  const started = Date.now();
  const tune = crossValidateGrid(usable, labels.counts, labels.calls, base, opts);
  const fmt = (s: { f1: number; mae: number; exactRate: number }) => `event F1 ${s.f1.toFixed(3)}, MAE ${s.mae.toFixed(3)}, exact ${(100 * s.exactRate).toFixed(0)}%`;
  log(
    `detector tuned on ${usable.length} recordings' out-of-fold tracks (${tune.gridSize} grid points, ${((Date.now() - started) / 1000).toFixed(0)} s): ` +
      `cross-validated ${fmt(tune.cvScore)}; on all of them ${fmt(tune.trainScore)} (optimistic)`,
  );
  const b = tune.best;
  log(`  chosen: on ${b.onThreshold}, off ${b.offThreshold}, smoothing ${b.smoothingWindows}, min event ${b.minEventSec} s, peak distance ${b.minPeakDistanceSec} s, max run ${b.maxRunSec ?? '∞'} s`);
  const p = tune.plateau;
  log(`  the centre of a plateau of ${p.points} grid point(s) tying for the best (${(100 * p.share).toFixed(1)}% of the grid): ${Object.entries(p.ranges).map(([k, v]) => `${k} ${v.map((x) => x ?? '∞').join('/')}`).join(', ')}`);
  return { ...tune, recordings: usable.map((t) => t.recording) };
}

export interface TuneRunOptions {
  modelDir: string;
  /** Data root with 'Forest Recordings/', labels_counts.csv and labels_calls.csv. */
  dataDir: string;
  recordingsDir: string;
  outDir: string;
  /** The protocol's roles: the field recordings tune, the held-out ones are reported, evaluation ones are never read (default 00–39, 40–49, 50–99). */
  roles?: RecordingRoles;
  grid?: TuneGrid;
  folds?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface TuneRun {
  tune: TuneResult;
  detector: DetectorConfig;
  heldOut: CountEvalReport | null;
  heldOutDefault: CountEvalReport | null;
}

export async function runTuneDetector(opts: TuneRunOptions): Promise<TuneRun> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const roles = opts.roles ?? DEFAULT_RECORDING_ROLES;
  const labels = findCountLabels(opts.dataDir);
  if (!labels?.calls) throw new Error(`capuchin: ${opts.dataDir} has no labels_counts.csv and labels_calls.csv. Fix: tuning needs call labels.`);
  const labelled = new Set(labels.counts.map((c) => c.recording));
  const candidates = listAudioFiles(opts.recordingsDir).filter((f) => labelled.has(basename(f)));
  const tuneFiles = recordingsInRole(candidates, 'field', roles);
  const testFiles = recordingsInRole(candidates, 'holdout', roles);
  const files = [...tuneFiles, ...testFiles];
  log(`tuning on ${tuneFiles.length} field recording(s) (${roles.field}), reporting on ${testFiles.length} held-out recording(s) (${roles.holdout})`);

  const meta = loadModelMeta(opts.modelDir);
  const base = resolveDetectorConfig({ windowSec: meta.feature.clipSec });
  const scored = await countRecordings({ modelDir: opts.modelDir, files, detector: base, concurrency: opts.concurrency, score: { keepAudioSec: 0 } });
  for (const r of scored) if (r.error) log(`  FAILED ${r.recording}: ${r.error}`);
  const track = (r: (typeof scored)[number]): ScoreTrack => ({ recording: r.recording, scores: r.scored!.scores, durationSec: r.scored!.durationSec, hopSec: base.hopSec, windowSec: base.windowSec });
  const ok = scored.filter((r) => r.scored);
  const tuneTracks = ok.filter((r) => tuneFiles.includes(r.file)).map(track);
  const testTracks = ok.filter((r) => testFiles.includes(r.file)).map(track);

  const tune = crossValidateGrid(tuneTracks, labels.counts, labels.calls, base, { grid: opts.grid, folds: opts.folds });
  const fmt = (s: { f1: number; mae: number; exactRate: number }) => `event F1 ${s.f1.toFixed(3)}, MAE ${s.mae.toFixed(3)}, exact ${(100 * s.exactRate).toFixed(0)}%`;
  log(`tuning (${tune.gridSize} grid points): cross-validated ${fmt(tune.cvScore)}; chosen on all tuning recordings ${fmt(tune.trainScore)} (optimistic)`);

  let heldOut: CountEvalReport | null = null;
  let heldOutDefault: CountEvalReport | null = null;
  if (testTracks.length) {
    const outcomes = testTracks.map((t) => trackEvents(t, tune.best));
    heldOut = evaluateProcessed(outcomes, labels.counts, labels.calls);
    heldOutDefault = evaluateDetector(testTracks, base, labels.counts, labels.calls);
    log(`held-out recordings with the tuned detector:\n${countEvalTable(heldOut)}`);
    log(`held-out with the default detector: MAE ${heldOutDefault.mae.toFixed(3)}, event F1 ${(heldOutDefault.events?.f1 ?? 0).toFixed(3)}`);
    writeCountOutputs({ outDir: join(opts.outDir, 'held-out'), recordings: testFiles.map((f) => basename(f)), outcomes, detector: tune.best });
    writeCountEval(join(opts.outDir, 'held-out'), heldOut, { recordings: String(roles.holdout), detector: 'tuned' });
  }
  writeJsonAtomic(join(opts.outDir, 'detector_config.json'), tune.best);
  writeJsonAtomic(join(opts.outDir, 'tune_report.json'), {
    model: opts.modelDir,
    tuneRecordings: tuneTracks.map((t) => t.recording),
    testRecordings: testTracks.map((t) => t.recording),
    gridSize: tune.gridSize,
    plateau: tune.plateau,
    cvScore: tune.cvScore,
    trainScore: tune.trainScore,
    folds: tune.folds,
    heldOut: heldOut && { mae: heldOut.mae, exactRate: heldOut.exactRate, events: heldOut.events },
    heldOutDefault: heldOutDefault && { mae: heldOutDefault.mae, exactRate: heldOutDefault.exactRate, events: heldOutDefault.events },
    detector: tune.best,
  });
  return { tune, detector: tune.best, heldOut, heldOutDefault };
}
