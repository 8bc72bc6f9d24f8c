/**
 * Tune the detector's post-processing by cross-validation over recordings: the score tracks are
 * computed once, then every grid point is turned into events and scored against the call labels.
 * Within each fold the best grid point is chosen on the other folds' recordings and scored on the
 * held fold, which gives an honest estimate of the tuning itself; the final choice is the best
 * grid point on all tuning recordings. Recordings held out for testing are never passed in here.
 *
 * Many grid points often tie for the best score (a plateau). The choice is the plateau's centre: the tied point
 * nearest the mean of the tied points, each parameter measured in grid steps scaled to [0, 1], so the detector sits
 * where small changes of the scores (another recorder, gain, noise) change the least, not on the first corner
 * the grid happened to list. The plateau's size and each parameter's range on it are reported.
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
  /** The grid points tying for the best score on all tuning recordings, and each tuned parameter's range on them. */
  plateau: Plateau;
}

export interface Plateau {
  points: number;
  /** Share of the grid on the plateau. */
  share: number;
  ranges: Record<string, (number | string | null)[]>;
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

const tied = (a: TuneScore, b: TuneScore) => !better(a, b) && !better(b, a);

/** The best grid point (the centre of the plateau of points tying for the best score), its score and its plateau. */
function bestOf(points: readonly DetectorConfig[], grid: TuneGrid, tracks: readonly ScoreTrack[], counts: readonly CountLabel[], calls: readonly CallLabel[], toleranceSec?: number) {
  const scores = points.map((p) => score(evaluateDetector(tracks, p, counts, calls, toleranceSec)));
  let top = scores[0];
  for (const s of scores) if (better(s, top)) top = s;
  const plateau = points.filter((_, i) => tied(scores[i], top));
  return { best: plateauCentre(plateau, grid), score: top, plateau: describePlateau(plateau, grid, points.length) };
}

/** Position of a point's value for each grid parameter, in [0, 1] along that parameter's list. */
function gridPosition(p: DetectorConfig, grid: TuneGrid): number[] {
  return Object.entries(grid).map(([key, values]) => {
    const list = values ?? [];
    return list.length > 1 ? Math.max(0, list.indexOf(p[key as keyof DetectorConfig] as never)) / (list.length - 1) : 0;
  });
}

/** The plateau point nearest the plateau's mean position (ties: the first listed). */
export function plateauCentre(plateau: readonly DetectorConfig[], grid: TuneGrid): DetectorConfig {
  const positions = plateau.map((p) => gridPosition(p, grid));
  const mean = positions[0].map((_, d) => positions.reduce((sum, x) => sum + x[d], 0) / positions.length);
  let best = 0;
  let bestDistance = Infinity;
  positions.forEach((x, i) => {
    const distance = x.reduce((sum, v, d) => sum + (v - mean[d]) ** 2, 0);
    if (distance < bestDistance - 1e-12) [best, bestDistance] = [i, distance];
  });
  return plateau[best];
}

function describePlateau(plateau: readonly DetectorConfig[], grid: TuneGrid, gridSize: number): Plateau {
  const ranges = Object.fromEntries(
    Object.entries(grid).map(([key, values]) => [key, (values ?? []).filter((v) => plateau.some((p) => p[key as keyof DetectorConfig] === v))]),
  );
  return { points: plateau.length, share: plateau.length / gridSize, ranges };
}

function changed(cfg: DetectorConfig, grid: TuneGrid): Partial<DetectorConfig> {
  return Object.fromEntries(Object.keys(grid).map((k) => [k, cfg[k as keyof DetectorConfig]])) as Partial<DetectorConfig>;
}

/**
 * Tune a detector on labelled score tracks: each grid point is chosen on k−1 folds of recordings and scored
 * on the fold left out (the cross-validated score); the detector returned is the centre of the best plateau
 * on all the tracks. The job around it (reading tracks and labels, writing detector.json) is
 * lib/pipeline/tuneDetector.ts.
 */
export function crossValidateGrid(
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
    const { best } = bestOf(points, grid, rest, counts, calls, opts.toleranceSec);
    const heldResults = held.map((t) => trackEvents(t, best));
    folds.push({ recordings: held.map((t) => t.recording), chosen: changed(best, grid), score: score(evaluateProcessed(heldResults, counts, calls, { toleranceSec: opts.toleranceSec })) });
    oof.push(...heldResults);
  }
  const cvReport = evaluateProcessed(oof, counts, calls, { toleranceSec: opts.toleranceSec });
  const final = bestOf(points, grid, sorted, counts, calls, opts.toleranceSec);
  const cvRecordings = cvReport.recordings.map((r) => ({ recording: r.recording, truth: r.truth, predicted: r.predicted, fp: r.events?.fp ?? 0, fn: r.events?.fn ?? 0 }));
  return { best: final.best, trainScore: final.score, cvScore: score(cvReport), folds, cvRecordings, gridSize: points.length, plateau: final.plateau };
}
