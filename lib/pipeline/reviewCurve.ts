/**
 * The review loop, measured (`npm run review-curve`): how well does a model count the held-out
 * recordings after retraining on N reviewed field recordings?
 *
 *   1. Train the base model (no field labels; nothing reviewed yet, so the default detector) and count
 *      the held-out recordings 40–49 with it: the batch of 0 reviewed recordings.
 *   2. Count the field recordings 00–39 with it: the detections a reviewer would see.
 *   3. Order 00–39 by a seeded shuffle. For each batch size N a simulated reviewer reviews the first N:
 *      reviewed_calls.csv is their labels (the data folder's labels_calls.csv), verdicts.csv marks each
 *      base-model detection accept when it matches a labelled call (the event matching of
 *      lib/evaluate/countEval.ts: start within ±1 s, one detection per call) and reject otherwise, and
 *      adds each labelled call no detection matched.
 *   4. Retrain with `--field-labels` that reviewed_calls.csv (verdicts.csv beside it: hard negatives),
 *      the detector tuned on the reviewed recordings only, and count 40–49 with the new model.
 *   5. Write review_curve.csv and compare.html (MAE and event F1 against recordings reviewed).
 * The recordings 50–99 (the contest's evaluation set) are never read. Everything is written as one
 * output set (lib/util/outputSet.ts), each batch's experiment folder inside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { listAudioFiles } from '../audio/listing.ts';
import { findCallLabelsFile } from '../data/labels.ts';
import { FOREST_DIR } from '../data/paths.ts';
import { DEFAULT_RECORDING_ROLES, recordingsInRole, type RecordingRoles } from '../data/roles.ts';
import { matchStarts, DEFAULT_MATCH_TOLERANCE_SEC } from '../evaluate/countEval.ts';
import type { BackendName } from '../model/backend/select.ts';
import type { ExperimentConfig } from '../model/experimentConfig.ts';
import { byName } from '../records/csv.ts';
import { LABELS_CALLS_FILE, LABELS_COUNTS_FILE, readLabelledRecordings, type CallSpan } from '../records/labels.ts';
import { labelledRecordingsCsv, writeVerdictsCsv, type VerdictRow } from '../records/verdicts.ts';
import { REVIEWED_CALLS_FILE, VERDICTS_FILE } from '../report/review/types.ts';
import { targetMet, writeReviewCurve, REVIEW_CURVE_TARGET, type ReviewCurveMeta, type ReviewCurveRow } from '../report/reviewCurveReport.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { linkFolder } from '../util/linkFolder.ts';
import { withOutputSet } from '../util/outputSet.ts';
import { formatSec } from '../util/progress.ts';
import { createRng } from '../util/random.ts';
import { runCount } from './count.ts';
import { runExperiment, type ExperimentRun } from './experiment.ts';

export const DEFAULT_REVIEW_BATCHES = [0, 5, 10, 20, 40] as const;
export const REVIEW_CURVE_JSON = 'review_curve.json';

/** A detection the reviewer sees: an event of the base model. */
export interface SeenDetection {
  start_s: number;
  end_s: number;
  score: number;
}

export interface SimulatedReview {
  /** reviewed_calls.csv: every reviewed recording with its labelled calls (possibly none). */
  reviewed: Map<string, CallSpan[]>;
  /** verdicts.csv rows: each detection accepted or rejected, then the added calls, per recording. */
  verdicts: VerdictRow[];
  accepted: number;
  rejected: number;
  added: number;
}

/**
 * What a reviewer who knows the labels does with the detections of `recordings`: accept a detection that
 * matches a labelled call (countEval's matchStarts: one-to-one, start within `toleranceSec`), reject the
 * others, add the calls no detection matched. Pure.
 */
export function simulateReview(
  recordings: readonly string[],
  labels: ReadonlyMap<string, readonly CallSpan[]>,
  detections: ReadonlyMap<string, readonly SeenDetection[]>,
  opts: { toleranceSec?: number } = {},
): SimulatedReview {
  const tolerance = opts.toleranceSec ?? DEFAULT_MATCH_TOLERANCE_SEC;
  const reviewed = new Map<string, CallSpan[]>();
  const verdicts: VerdictRow[] = [];
  let accepted = 0;
  let rejected = 0;
  let added = 0;
  for (const recording of [...recordings].sort(byName)) {
    const calls = labels.get(recording);
    if (!calls) throw new Error(`capuchin: review curve: ${recording} has no labels, so it cannot be reviewed from them. Fix: review only recordings of ${LABELS_CALLS_FILE} / ${LABELS_COUNTS_FILE}.`);
    const sortedCalls = [...calls].sort((a, b) => a.start_s - b.start_s).map((c) => ({ start_s: c.start_s, end_s: c.end_s }));
    const dets = [...(detections.get(recording) ?? [])].sort((a, b) => a.start_s - b.start_s);
    const pairs = matchStarts(dets.map((d) => d.start_s), sortedCalls.map((c) => c.start_s), tolerance);
    const matchedDetections = new Set(pairs.map((p) => p[0]));
    const matchedCalls = new Set(pairs.map((p) => p[1]));
    dets.forEach((d, i) => {
      const verdict = matchedDetections.has(i) ? 'accept' : 'reject';
      if (verdict === 'accept') accepted++;
      else rejected++;
      verdicts.push({ recording, detection: i + 1, start_s: d.start_s, end_s: d.end_s, verdict, score: d.score });
    });
    let next = dets.length;
    sortedCalls.forEach((c, j) => {
      if (matchedCalls.has(j)) return;
      added++;
      verdicts.push({ recording, detection: ++next, start_s: c.start_s, end_s: c.end_s, verdict: 'added', score: null });
    });
    reviewed.set(recording, sortedCalls);
  }
  return { reviewed, verdicts, accepted, rejected, added };
}

/** The field recordings in the simulated reviewer's order: a seeded shuffle of the sorted names. */
export function reviewOrder(recordings: readonly string[], seed: number): string[] {
  return createRng(seed).shuffle([...recordings].sort(byName));
}

/** --batches: whole numbers ≥ 0, each at most the field recordings available. */
export function checkBatches(batches: readonly number[], available: number): number[] {
  if (!batches.length) throw new Error('capuchin: review curve: no batch sizes. Fix: pass --batches 0,5,10,20,40');
  for (const n of batches) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`capuchin: review curve: batch size '${n}' is not a whole number ≥ 0. Fix: pass --batches like 0,5,10,20,40`);
    if (n > available) throw new Error(`capuchin: review curve: batch size ${n} is more than the ${available} labelled field recordings. Fix: pass batch sizes ≤ ${available}.`);
  }
  return [...new Set(batches)].sort((a, b) => a - b);
}

export interface ReviewCurveOptions {
  dataDir: string;
  outDir: string;
  /** The configuration every batch trains (its base without field labels, the others with them). */
  config: ExperimentConfig;
  batches?: readonly number[];
  seed?: number;
  roles?: RecordingRoles;
  backend?: BackendName;
  allowCpuTraining?: boolean;
  concurrency?: number;
  cacheDir?: string | false;
  bootstrap?: number;
  log?: (line: string) => void;
}

export interface ReviewCurveRun {
  rows: ReviewCurveRow[];
  outDir: string;
  order: string[];
  holdout: string[];
  seconds: number;
}

type Log = (line: string) => void;

/** The labelled field and held-out recordings of the data folder, with their labels; refuses a folder without both. */
function curveRecordings(dataDir: string, roles: RecordingRoles) {
  const forest = join(dataDir, FOREST_DIR);
  // the data folder's labels, else the repository's labels of the Kaggle recordings (data/labels/)
  const callsFile = findCallLabelsFile(dataDir);
  if (!callsFile) {
    throw new Error(`capuchin: review curve: ${dataDir} has no ${LABELS_CALLS_FILE} and holds none of the Kaggle recordings data/labels/ labels. Fix: pass --data with the Kaggle 'Forest Recordings' (README "Data"), or put labels_calls.csv beside your recordings.`);
  }
  const labels = readLabelledRecordings(callsFile);
  const audio = listAudioFiles(forest);
  const field = recordingsInRole(audio, 'field', roles).filter((f) => labels.has(basename(f)));
  const holdout = recordingsInRole(audio, 'holdout', roles).filter((f) => labels.has(basename(f)));
  if (field.length === 0 || holdout.length === 0) {
    throw new Error(
      `capuchin: review curve: ${forest} has ${field.length} labelled field recording(s) (${roles.field}) and ${holdout.length} labelled held-out one(s) (${roles.holdout}); both are needed. ` +
        `Fix: pass --data with the Kaggle 'Forest Recordings' (README "Data"; the labels of recordings 00–49 are in data/labels/).`,
    );
  }
  return { labels, field, holdout };
}

/** One row of the curve: a batch's run scored on the held-out recordings. */
function curveRow(batch: number, n: number, run: ExperimentRun, review: { order: readonly string[]; calls: number; hardNegatives: number; folder: string }): ReviewCurveRow {
  const held = run.count?.evaluation?.holdout ?? null;
  return {
    batch,
    reviewedRecordings: n,
    recordings: review.order.slice(0, n),
    calls: review.calls,
    hardNegatives: review.hardNegatives,
    mae: held?.mae ?? null,
    exact: held?.exactRate ?? null,
    eventPrecision: held?.events?.precision ?? null,
    eventRecall: held?.events?.recall ?? null,
    eventF1: held?.events?.f1 ?? null,
    trainSeconds: run.result.trainSeconds,
    experimentDir: `${review.folder}/experiment`,
  };
}

const curveSummary = (r: ReviewCurveRow) => `MAE ${r.mae?.toFixed(3) ?? '–'}, exact ${r.exact === null ? '–' : `${(100 * r.exact).toFixed(0)}%`}, event F1 ${r.eventF1?.toFixed(3) ?? '–'}`;

/** A simulated review of the first n recordings, written as the review page exports it (reviewed_calls.csv, verdicts.csv). */
function writeSimulatedReview(reviewDir: string, reviewed: readonly string[], labels: ReadonlyMap<string, CallSpan[]>, detections: ReadonlyMap<string, SeenDetection[]>, log: Log) {
  const review = simulateReview(reviewed, labels, detections);
  const reviewedCalls = join(reviewDir, REVIEWED_CALLS_FILE);
  writeFileAtomic(reviewedCalls, labelledRecordingsCsv(review.reviewed));
  writeVerdictsCsv(join(reviewDir, VERDICTS_FILE), review.verdicts);
  const calls = [...review.reviewed.values()].reduce((k, c) => k + c.length, 0);
  log(`simulated review of ${reviewed.length} recording(s): ${calls} call(s); of the base model's detections ${review.accepted} accepted, ${review.rejected} rejected; ${review.added} call(s) added`);
  return { reviewedCalls, calls, hardNegatives: review.rejected };
}

/** review_curve.csv / compare.html / review_curve.json, and the curve in the log. */
function finishCurve(dir: string, target: string, rows: ReviewCurveRow[], meta: ReviewCurveMeta, extra: { batches: readonly number[]; seconds: number; seen: Awaited<ReturnType<typeof runCount>>; holdoutCount: number }, log: Log): void {
  writeReviewCurve(dir, rows, meta);
  const { seen, seconds } = extra;
  writeJsonAtomic(join(dir, REVIEW_CURVE_JSON), { ...meta, batches: extra.batches, seconds, baseFieldCount: seen.evaluation?.field ? { mae: seen.evaluation.field.mae, events: seen.evaluation.field.events ?? null } : null, rows });
  const met = targetMet(rows);
  log(
    `\nreview curve (${formatSec(seconds)}), counting ${extra.holdoutCount} held-out recordings:\n` +
      rows.map((r) => `  ${String(r.reviewedRecordings).padStart(3)} reviewed (${r.calls} calls, ${r.hardNegatives} hard negatives): ${curveSummary(r)}, ${r.trainSeconds.toFixed(0)} s training`).join('\n') +
      `\ntarget MAE ≤ ${REVIEW_CURVE_TARGET.mae} after ≤ ${REVIEW_CURVE_TARGET.reviewedAtMost} reviewed: ${met ? `met with ${met.reviewedRecordings} reviewed` : 'not met'}` +
      `\n→ ${join(target, 'review_curve.csv')}, ${join(target, 'compare.html')}`,
  );
}

export async function runReviewCurve(opts: ReviewCurveOptions): Promise<ReviewCurveRun> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const roles = opts.roles ?? DEFAULT_RECORDING_ROLES;
  const seed = opts.seed ?? 42;
  if (opts.config.field.labels === 'required') {
    throw new Error(`capuchin: review curve: '${opts.config.name}' needs field labels, but the curve's first model trains before anything is reviewed. Fix: pass --config mel (or another config whose field.labels is not 'required').`);
  }
  // the curve decides which labels train each batch: none before the first review, then the reviewed ones
  const config: ExperimentConfig = { ...opts.config, field: { ...opts.config.field, labels: 'given' } };
  const { labels, field, holdout } = curveRecordings(opts.dataDir, roles);
  const batches = checkBatches(opts.batches ?? DEFAULT_REVIEW_BATCHES, field.length);
  const order = reviewOrder(field.map((f) => basename(f)), seed);
  const width = String(Math.max(...batches)).length;
  const folderOf = (n: number) => `reviewed-${String(n).padStart(width, '0')}`;
  const trained = batches.filter((n) => n > 0);
  const steps = 1 + trained.length;
  log(
    `review curve: '${config.name}', batches ${batches.join(', ')} of ${field.length} field recordings (seed ${seed}); ` +
      `each model counts the ${holdout.length} held-out recordings (${roles.holdout}); ${steps} trainings`,
  );

  const started = Date.now();
  const temp = mkdtempSync(join(tmpdir(), 'capuchin-review-curve-'));
  try {
    const holdoutDir = linkFolder(join(temp, 'holdout'), holdout);
    const fieldDir = linkFolder(join(temp, 'field'), field);
    return await withOutputSet(opts.outDir, 'review-curve', { formerMarker: 'review_curve.csv' }, async (set) => {
      const rows: ReviewCurveRow[] = [];
      let step = 0;
      const progress = (what: string) => {
        step++;
        const elapsed = (Date.now() - started) / 1000;
        log(`review curve: step ${step}/${steps} done (${what}); elapsed ${formatSec(elapsed)}, ETA ${formatSec((elapsed / step) * (steps - step))}`);
      };
      const common = { dataDir: opts.dataDir, backend: opts.backend, concurrency: opts.concurrency, roles, log };
      const experiment = (n: number, fieldLabels?: string) =>
        runExperiment(config, { ...common, outDir: join(set.dir, folderOf(n), 'experiment'), allowCpuTraining: opts.allowCpuTraining, cacheDir: opts.cacheDir, bootstrap: opts.bootstrap, fieldLabels, tuneLabels: 'fieldLabels', countDir: holdoutDir, countReview: false });
      const logRow = (row: ReviewCurveRow) => (rows.push(row), log(`review curve: ${row.reviewedRecordings} reviewed: ${curveSummary(row)}`));

      // 1–2: the base model, its count of the held-out recordings, and the detections a reviewer sees
      log(`\n=== review curve ${step + 1}/${steps}: base model, 0 recordings reviewed ===`);
      const base = await experiment(0);
      if (!base.modelDir) throw new Error('capuchin: review curve: the base experiment saved no model');
      const seen = await runCount({ ...common, modelDir: base.modelDir, recordingsDir: fieldDir, outDir: join(set.dir, folderOf(0), 'count-field'), review: false });
      const detections = new Map(seen.results.map((r) => [r.recording, r.events.map((e) => ({ start_s: e.start_s, end_s: e.end_s, score: e.peak_score }))]));
      if (batches[0] === 0) logRow(curveRow(rows.length + 1, 0, base, { order, calls: 0, hardNegatives: 0, folder: folderOf(0) }));
      progress('base model');

      // 3–4: each batch of reviewed recordings, retrained
      for (const n of trained) {
        log(`\n=== review curve ${step + 1}/${steps}: ${n} recording(s) reviewed ===`);
        const review = writeSimulatedReview(join(set.dir, folderOf(n), 'review'), order.slice(0, n), labels, detections, log);
        const run = await experiment(n, review.reviewedCalls);
        logRow(curveRow(rows.length + 1, n, run, { order, calls: review.calls, hardNegatives: review.hardNegatives, folder: folderOf(n) }));
        progress(`${n} reviewed`);
      }

      // 5: the curve
      const holdoutNames = holdout.map((f) => basename(f));
      const seconds = (Date.now() - started) / 1000;
      finishCurve(set.dir, set.target, rows, { config: config.name, seed, holdout: holdoutNames, order, dataDir: opts.dataDir }, { batches, seconds, seen, holdoutCount: holdout.length }, log);
      return { rows, outDir: set.target, order, holdout: holdoutNames, seconds };
    });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
