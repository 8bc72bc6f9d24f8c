/**
 * Tune the detector's post-processing by cross-validation over recordings: the score tracks are
 * computed once, then every grid point is turned into events and scored against the call labels.
 * Within each fold the best grid point is chosen on the other folds' recordings and scored on the
 * held fold, which gives an honest estimate of the tuning itself; the final choice is the best
 * grid point on all tuning recordings. Recordings held out for testing are never passed in here.
 */
import { resolveDetectorConfig, type DetectorConfig } from './config.ts';
import { CAPUCHINBIRD_TARGET } from '../records/target.ts';
import { evaluateProcessed, type CallLabel, type CountEvalReport, type CountLabel } from '../evaluate/countEval.ts';
import { scoreTrackToEvents, type ScoreTrack } from './events.ts';

export type { ScoreTrack };


export type TuneGrid = Partial<Record<keyof DetectorConfig, readonly (number | string | null)[]>>;

/**
 * The operating points searched by default, the Capuchinbird's (its target pins them): hysteresis thresholds from
 * lenient to strict (a model that fires on whole backgrounds needs a high 'on'), smoothing, minimum event length,
 * peak spacing, and whether runs longer than any call are dropped as noise. Other targets get theirs from
 * lib/detect/targetDetector.ts.
 */
export const DEFAULT_TUNE_GRID: TuneGrid = CAPUCHINBIRD_TARGET.tuneGrid as TuneGrid;

export interface TuneScore {
  f1: number;
  mae: number;
  exactRate: number;
}

export interface TuneResult {
  best: DetectorConfig;
  /** The chosen point's score on all tuning recordings (optimistic: it was chosen there). */
  trainScore: TuneScore;
  /** Out-of-fold score of the tuning procedure (each fold's recordings scored with parameters chosen without them). */
  cvScore: TuneScore;
  folds: { recordings: string[]; chosen: Partial<DetectorConfig>; score: TuneScore }[];
  /** Per recording: its out-of-fold count with the parameters chosen without it. */
  cvRecordings: { recording: string; truth: number; predicted: number | null; fp: number; fn: number }[];
  gridSize: number;
}

/** Every combination of the grid's values over `base`; invalid combinations (off > on …) are dropped. */
export function expandGrid(base: DetectorConfig, grid: TuneGrid): DetectorConfig[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    points = points.flatMap((p) => (values ?? []).map((v) => ({ ...p, [key]: v })));
  }
  const out: DetectorConfig[] = [];
  for (const p of points) {
    try {
      out.push(resolveDetectorConfig({ ...base, ...p }));
    } catch {
      // e.g. offThreshold above onThreshold: not a valid detector
    }
  }
  return out;
}

function score(report: CountEvalReport): TuneScore {
  return { f1: report.events?.f1 ?? 0, mae: report.mae, exactRate: report.exactRate };
}

/** Higher F1 first, then lower MAE, then more exact counts. */
function better(a: TuneScore, b: TuneScore): boolean {
  if (Math.abs(a.f1 - b.f1) > 1e-9) return a.f1 > b.f1;
  if (Math.abs(a.mae - b.mae) > 1e-9) return a.mae < b.mae;
  return a.exactRate > b.exactRate;
}

/** Score a detector over tracks against labels (the recordings of `tracks` only); starts match within `toleranceSec` (default 1 s). */
export function evaluateDetector(tracks: readonly ScoreTrack[], cfg: DetectorConfig, counts: readonly CountLabel[], calls: readonly CallLabel[], toleranceSec?: number): CountEvalReport {
  return evaluateProcessed(tracks.map((t) => trackEvents(t, cfg)), counts, calls, { toleranceSec });
}

/** A track's events under `cfg`, as a counting result. */
export function trackEvents(t: ScoreTrack, cfg: DetectorConfig) {
  const events = scoreTrackToEvents(t.scores, cfg, { durationSec: t.durationSec });
  return { recording: t.recording, count: events.length, events };
}

function bestOf(points: readonly DetectorConfig[], tracks: readonly ScoreTrack[], counts: readonly CountLabel[], calls: readonly CallLabel[], toleranceSec?: number) {
  let best = points[0];
  let bestScore = score(evaluateDetector(tracks, best, counts, calls, toleranceSec));
  for (const p of points.slice(1)) {
    const s = score(evaluateDetector(tracks, p, counts, calls, toleranceSec));
    if (better(s, bestScore)) [best, bestScore] = [p, s];
  }
  return { best, score: bestScore };
}

function changed(cfg: DetectorConfig, grid: TuneGrid): Partial<DetectorConfig> {
  return Object.fromEntries(Object.keys(grid).map((k) => [k, cfg[k as keyof DetectorConfig]])) as Partial<DetectorConfig>;
}

export function tuneDetector(
  tracks: readonly ScoreTrack[],
  counts: readonly CountLabel[],
  calls: readonly CallLabel[],
  base: DetectorConfig,
  opts: { grid?: TuneGrid; folds?: number; toleranceSec?: number } = {},
): TuneResult {
  if (tracks.length < 2) throw new Error(`tune: need at least 2 labelled recordings to cross-validate, got ${tracks.length}`);
  const grid = opts.grid ?? DEFAULT_TUNE_GRID;
  const points = expandGrid(base, grid);
  if (!points.length) throw new Error('tune: the grid has no valid detector configuration');
  const k = Math.min(opts.folds ?? 5, tracks.length);
  const sorted = [...tracks].sort((a, b) => a.recording.localeCompare(b.recording));
  const foldOf = (i: number) => i % k;

  const folds: TuneResult['folds'] = [];
  const oof: ReturnType<typeof trackEvents>[] = [];
  for (let f = 0; f < k; f++) {
    const held = sorted.filter((_, i) => foldOf(i) === f);
    const rest = sorted.filter((_, i) => foldOf(i) !== f);
    const { best } = bestOf(points, rest, counts, calls, opts.toleranceSec);
    const heldResults = held.map((t) => trackEvents(t, best));
    folds.push({ recordings: held.map((t) => t.recording), chosen: changed(best, grid), score: score(evaluateProcessed(heldResults, counts, calls, { toleranceSec: opts.toleranceSec })) });
    oof.push(...heldResults);
  }
  const cvReport = evaluateProcessed(oof, counts, calls, { toleranceSec: opts.toleranceSec });
  const final = bestOf(points, sorted, counts, calls, opts.toleranceSec);
  const cvRecordings = cvReport.recordings.map((r) => ({ recording: r.recording, truth: r.truth, predicted: r.predicted, fp: r.events?.fp ?? 0, fn: r.events?.fn ?? 0 }));
  return { best: final.best, trainScore: final.score, cvScore: score(cvReport), folds, cvRecordings, gridSize: points.length };
}
