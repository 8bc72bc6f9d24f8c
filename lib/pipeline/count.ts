/**
 * Count Capuchinbird calls in a folder of long recordings with a saved model: list (and shard)
 * the audio files, score them in worker_threads, write results.csv, detections.csv, errors.csv,
 * detector_config.json, Raven tables and the review (review.html + review/, written as each file finishes). Used by `npm run count`, by the last step
 * of `npm run experiment`, and by the counting notebook.
 */
import { basename, join } from 'node:path';
import { emptyFolderError, recordingIdOf, scanAudioFolder, type SkippedEntry } from '../audio/listing.ts';
import { readRecordingInfo, recordingInfoFromName, type RecordingInfo, type RecordingInfoOptions } from '../audio/recordingInfo.ts';
import { DEFAULT_RECORDING_ROLES, roleOf, type RecordingRole, type RecordingRoles } from '../data/roles.ts';
import type { DetectorConfig } from '../detect/config.ts';
import { modelDetector } from '../detect/targetDetector.ts';
import { countRecordings, selectShard, type RecordingResult } from '../detect/countRecordings.ts';
import { evaluateProcessed, writeCountEval, type CountEvalReport } from '../evaluate/countEval.ts';
import { checkModelFolder, type ModelMeta } from '../model/io.ts';
import { windowHopFrames } from '../detect/windows.ts';
import { OutputSet } from '../util/outputSet.ts';
import { CountJournal, JOURNAL_DIR, countConfigHash } from './countJournal.ts';
import { type CountLabels } from '../records/labels.ts';
import { findCountLabels } from '../data/labels.ts';
import { defaultResultsFormat, type ResultsFormat } from '../records/results.ts';
import { targetOfModel, type Target } from '../records/target.ts';
import { detectionRows, recordingRows, writeCountOutputs } from './countOutputs.ts';
import { activityOf, writeActivity } from './activity.ts';
import { ReviewWriter, type ReviewAudioMode } from '../report/review/writer.ts';

export interface RunCountOptions {
  modelDir: string;
  /** Folder of recordings (e.g. "<data>/Forest Recordings"). */
  recordingsDir: string;
  outDir: string;
  /** Data root holding labels_counts.csv / labels_calls.csv, to score the counts when present. */
  dataDir?: string;
  /** Labels to score the counts against, in place of the data root's (an experiment's annotations). */
  labels?: CountLabels;
  /** Detector fields over the model's own (its detector.json), which are over the defaults. */
  detector?: Partial<DetectorConfig>;
  /** Roles of the recordings, to score the held-out ones apart (default: the protocol's). */
  roles?: RecordingRoles;
  /** results.csv layout (default: the Kaggle layout for a Capuchinbird model, `recording,calls` for any other). */
  format?: ResultsFormat;
  shard?: { index: number; count: number };
  concurrency?: number;
  backend?: string;
  /** Write review.html and review/ (default true). */
  review?: boolean;
  /** How the review page plays calls: links to the original files (default), 16 kHz clips written into review/clips/, or none. */
  reviewAudio?: ReviewAudioMode;
  /** Count the subfolders' recordings too; recording ids are then paths relative to recordingsDir. */
  recursive?: boolean;
  /** How sites and start times are read (detections.csv start_time and site, recordings.csv, activity). */
  recordingInfo?: RecordingInfoOptions;
  /** Write activity_hourly.csv, activity_daily.csv and activity.html when start times are known (default true). */
  activity?: boolean;
  /** Decode mp3s at their full rate, as before half-rate decoding (the count bench's check that counts do not change). */
  fullRateDecode?: boolean;
  /** false: each recording's stream allocates its buffers instead of borrowing the worker's (the count bench's comparison). */
  poolBuffers?: boolean;
  /** Continue an interrupted run into the same outDir: files it finished are read from its journal, not counted again. */
  resume?: boolean;
  log?: (line: string) => void;
}

export interface CountRun {
  results: RecordingResult[];
  detector: DetectorConfig;
  /** Where the detector came from: 'model' (its detector.json), 'default', plus 'overrides' when fields were given. */
  detectorSource: string;
  files: string[];
  /** Audio-looking entries of the folder that were not read (links to nothing, FIFOs, other formats): in errors.csv. */
  skipped: SkippedEntry[];
  /** Files without a count (decode failures and skipped entries). */
  failed: number;
  seconds: number;
  /** The output folder (the run wrote it as one unit). */
  outDir: string;
  written: string[];
  /** Scores against the data folder's labels: every labelled recording processed, and per role. */
  evaluation: ({ all: CountEvalReport } & Partial<Record<RecordingRole, CountEvalReport>>) | null;
}

/** Drop what only the review needed (the feature image and the audio), once it is written: the run keeps score tracks and events. */
function lighten(r: RecordingResult): void {
  if (r.scored) r.scored = { ...r.scored, image: { data: new Float32Array(0), rows: 0, cols: r.scored.image.cols, hopSec: r.scored.image.hopSec }, audio: null };
}

/**
 * Everything that can be wrong before the first file, checked before it: the model folder (each file
 * parsed, weights against model.json, shapes), the detector (hop against the feature hop), the folder.
 */
function preflight(opts: RunCountOptions): { meta: ModelMeta; target: Target; detector: DetectorConfig; detectorSource: string; configHash: string } {
  const { files, meta, detector: saved } = checkModelFolder(opts.modelDir);
  const target = targetOfModel(meta, `${opts.modelDir}/capuchin.json`);
  // the detector: the defaults, then the model's tuned detector.json, then explicit fields
  const { detector, source } = modelDetector(meta, saved?.detector, opts.detector);
  windowHopFrames(detector.hopSec, meta.feature.sampleRate, meta.feature.hopLength);
  if (Math.abs(detector.windowSec - meta.feature.clipSec) > 1e-9) {
    throw new Error(`detector: windowSec ${detector.windowSec} s differs from the model's clip length ${meta.feature.clipSec} s. Fix: leave windowSec at the model's clipSec.`);
  }
  return { meta, target, detector, detectorSource: source, configHash: countConfigHash(files, detector) };
}

/** The counts scored against labels (all, and the field and held-out roles apart), written as count_eval files; null without labels. */
function scoreCount(
  results: RecordingResult[],
  labels: CountLabels | null,
  ctx: { target: Target; roles: RecordingRoles; detectorSource: string; outDir: string; written: string[] },
  log: (line: string) => void,
): CountRun['evaluation'] {
  if (!labels) return null;
  const { roles } = ctx;
  const tolerance = { toleranceSec: ctx.target.toleranceSec };
  const report = evaluateProcessed(results, labels.counts, labels.calls, tolerance);
  const evaluation: NonNullable<CountRun['evaluation']> = { all: report };
  const summary = (r: CountEvalReport) => `MAE ${r.mae.toFixed(3)}, exact ${(100 * r.exactRate).toFixed(0)}%` + (r.events ? `, event F1 ${(r.events.f1 ?? 0).toFixed(3)}` : '');
  for (const role of ['field', 'holdout'] as const) {
    const mine = results.filter((r) => roleOf(r.recording, roles) === role);
    if (mine.some((r) => labels.counts.some((c) => c.recording === r.recording))) evaluation[role] = evaluateProcessed(mine, labels.counts, labels.calls, tolerance);
  }
  ctx.written.push(...writeCountEval(ctx.outDir, report, { detector: ctx.detectorSource, roles: Object.fromEntries(Object.entries(roles).map(([k, v]) => [k, String(v)])), byRole: { field: evaluation.field ?? null, holdout: evaluation.holdout ?? null } }));
  log(`count accuracy vs ${labels.source}, all ${report.n} labelled: ${summary(report)}`);
  if (evaluation.holdout) log(`  held-out recordings (${roles.holdout}): ${summary(evaluation.holdout)}`);
  if (evaluation.field) log(`  field recordings (${roles.field}; optimistic when the model trained on their labels): ${summary(evaluation.field)}`);
  return evaluation;
}

export async function runCount(opts: RunCountOptions): Promise<CountRun> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const { meta, target, detector, detectorSource, configHash } = preflight(opts);
  const format = opts.format ?? defaultResultsFormat(target);
  const roles = opts.roles ?? DEFAULT_RECORDING_ROLES;
  const scan = scanAudioFolder(opts.recordingsDir, { recursive: opts.recursive });
  const idOf = (file: string) => recordingIdOf(scan.root, file);
  if (scan.files.length === 0 && scan.skipped.length === 0) throw emptyFolderError(opts.recordingsDir);
  const everything = [...scan.files, ...scan.skipped.map((k) => k.file)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const inShard = new Set(opts.shard ? selectShard(everything, opts.shard) : everything);
  const files = scan.files.filter((f) => inShard.has(f));
  const skipped = scan.skipped.filter((k) => inShard.has(k.file));
  const set = OutputSet.open(opts.outDir, 'count', { formerMarker: 'detector_config.json', resumable: true, resume: opts.resume });
  let journal: CountJournal | undefined;
  try {
    set.clearExcept([JOURNAL_DIR]); // outputs half-written by a killed run are written again
    const opened = CountJournal.open(set.dir, configHash, opts.resume === true);
    journal = opened.journal;
    const done = opened.done;
    if (opts.resume) log(`resuming: ${files.filter((f) => done.has(f)).length} of ${files.length} file(s) already counted by the interrupted run`);
    log(`counting ${target.name} calls in ${files.length} recording(s) of ${opts.recordingsDir}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count})` : ''} → ${set.target}`);
    for (const k of skipped) log(`  skipped ${idOf(k.file)}: ${k.message}`);
    log(`detector: ${detectorSource} (on ${detector.onThreshold}, off ${detector.offThreshold}, smoothing ${detector.smoothing}×${detector.smoothingWindows}, min event ${detector.minEventSec} s, peaks ≥ ${detector.minPeakDistanceSec} s apart, max run ${detector.maxRunSec ?? '∞'} s)`);
    const started = Date.now();
    const review = opts.review === false ? null : new ReviewWriter({
      dir: set.dir, finalDir: set.target, title: `${target.name} calls in ${basename(opts.recordingsDir)}`, detector, band: { lowHz: target.lowHz, highHz: target.highHz },
      fminHz: meta.feature.fminHz, fmaxHz: meta.feature.fmaxHz, audio: opts.reviewAudio,
    });
    // each recording's review page is written as it finishes, then its image and audio are dropped
    const finished = (r: RecordingResult) => {
      review?.add(r);
      lighten(r);
    };
    const todo = files.filter((f) => !done.has(f));
    const score = { keepAudioSec: review && opts.reviewAudio === 'clips' ? undefined : 0, imageRowsPerSec: review ? undefined : 0, fullRateDecode: opts.fullRateDecode, poolBuffers: opts.poolBuffers };
    const fresh = todo.length
      ? await countRecordings({ modelDir: opts.modelDir, files: todo, root: scan.root, detector, concurrency: opts.concurrency, backend: opts.backend, score, onResult: (r) => (journal!.append(r), finished(r)) })
      : [];
    const restored = files.filter((f) => done.has(f)).map((f) => done.get(f)!);
    restored.forEach(finished);
    const counted = [...fresh, ...restored];
    const seconds = (Date.now() - started) / 1000;
    const results = [
      ...counted,
      ...skipped.map((k): RecordingResult => ({ recording: idOf(k.file), file: k.file, count: null, events: [], error: k.message, seconds: 0 })),
    ].sort((a, b) => (a.recording < b.recording ? -1 : a.recording > b.recording ? 1 : 0));
    const audioSec = results.reduce((s, r) => s + (r.scored?.durationSec ?? 0), 0);
    const failed = results.filter((r) => r.count === null).length;
    log(`counted ${results.reduce((n, r) => n + (r.count ?? 0), 0)} calls in ${files.length} file(s), ${audioSec.toFixed(0)} s of audio, in ${seconds.toFixed(1)} s (${(audioSec / Math.max(seconds, 1e-9)).toFixed(0)}× real time)`);
    for (const r of counted) if (r.error) log(`  FAILED ${r.recording}: ${r.error}`);
    if (failed) log(`${failed} of ${results.length} file(s) not counted: listed in errors.csv`);

    const outDir = set.dir;
    const info = new Map<string, RecordingInfo>();
    // only decoded files are opened again (a skipped entry may be a FIFO that would block); the rest get their name's time
    for (const r of results)
      info.set(r.recording, r.count === null ? recordingInfoFromName(r.file, r.recording, basename(scan.root), opts.recordingInfo) : await readRecordingInfo(r.file, r.recording, basename(scan.root), opts.recordingInfo));
    const timed = [...info.values()].filter((i) => i.start).length;
    log(`start times known for ${timed} of ${results.length} recording(s)${timed < results.length ? ' (AudioMoth/Song Meter names and GUANO metadata are read; --time-pattern reads other names)' : ''}`);
    const written = writeCountOutputs({ outDir, recordings: results.map((r) => r.recording), outcomes: results, detector, info, format, target });
    const activity = opts.activity === false ? null : activityOf(recordingRows(results, info), detectionRows(results, info));
    if (activity) {
      written.push(...writeActivity(outDir, activity, `${target.name} calls over time in ${basename(scan.root)}`));
      log(`activity: ${activity.sites.length} site(s), ${activity.days.length} site-day(s) → activity_hourly.csv, activity_daily.csv, activity.html`);
    }
    if (review) {
      const reviewed = new Set(counted);
      for (const r of results) if (!reviewed.has(r)) review.add(r); // skipped entries: a row saying why
      written.push(...review.finish());
    }
    const evaluation = opts.labels || opts.dataDir ? scoreCount(results, opts.labels ?? findCountLabels(opts.dataDir!), { target, roles, detectorSource, outDir, written }, log) : null;
    journal.discard();
    set.commit();
    return { results, detector, detectorSource, files, skipped, failed, seconds, written: written.map((p) => set.finalPath(p)), evaluation, outDir: set.target };
  } catch (err) {
    set.abort({ keep: journal !== undefined || opts.resume === true }); // the finished files stay for --resume (also when a resume is refused)
    throw err;
  }
}
