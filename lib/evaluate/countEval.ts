/**
 * Counting accuracy: per-recording count error against labels_counts.csv and, with call labels
 * and detections, event precision / recall / F1.
 *
 * Matching rule: a detection matches a labelled call when |detection.start_s - label.start_s|
 * ≤ toleranceSec (default 1.0 s). Matching is one-to-one and greedy by time distance: all
 * candidate pairs of a recording are sorted by distance (ties: earlier label, then earlier
 * detection) and taken in that order, skipping pairs whose label or detection is already used.
 * Unmatched detections are false positives, unmatched labels false negatives.
 *
 * Missing / undecodable recordings: a labelled recording absent from the results, or present
 * with an empty count (file that could not be decoded), is scored as a prediction of 0 for the
 * absolute error and never as exact, and is listed in `missing` / `undecodable`.
 */

import { join } from 'node:path';
import type { CallLabel, CountLabel } from '../records/labels.ts';
import type { ResultRow } from '../records/results.ts';
import { writeJsonAtomic } from '../util/atomic.ts';

export type { CallLabel, CountLabel };
export const COUNT_EVAL_FILE = 'count_eval.json';

export interface DetectionRecord {
  recording: string;
  start_s: number;
}

export type ResultStatus = 'ok' | 'missing' | 'undecodable';

export interface EventScores {
  tp: number;
  fp: number;
  fn: number;
  /** null when undefined (0/0). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Mean |detection.start_s - label.start_s| over matched pairs; null when nothing matched. */
  meanStartErrorSec: number | null;
}

export interface RecordingCountEval {
  recording: string;
  truth: number;
  predicted: number | null;
  status: ResultStatus;
  /** |predicted - truth|, with a missing/undecodable prediction taken as 0. */
  absError: number;
  /** predicted - truth (same convention). */
  signedError: number;
  exact: boolean;
  events?: EventScores;
}

export interface CountEvalReport {
  recordings: RecordingCountEval[];
  /** Number of labelled recordings evaluated. */
  n: number;
  mae: number;
  rmse: number;
  /** Mean signed error: > 0 means over-counting. */
  bias: number;
  exactRate: number;
  missing: string[];
  undecodable: string[];
  /** Recordings in the results that have no label (ignored). */
  unlabelled: string[];
  /** Summed over recordings (micro average); absent without call labels and detections. */
  events?: EventScores & { toleranceSec: number };
}

export interface CountEvalOptions {
  toleranceSec?: number;
}

export const DEFAULT_MATCH_TOLERANCE_SEC = 1.0;

/** One-to-one greedy matching by time distance; returns [detectionIndex, labelIndex, distance] pairs. */
export function matchStarts(
  detectionStarts: readonly number[],
  labelStarts: readonly number[],
  toleranceSec = DEFAULT_MATCH_TOLERANCE_SEC,
): [number, number, number][] {
  const candidates: [number, number, number][] = [];
  detectionStarts.forEach((d, di) =>
    labelStarts.forEach((l, li) => {
      const distance = Math.abs(d - l);
      if (distance <= toleranceSec + 1e-9) candidates.push([di, li, distance]);
    }),
  );
  candidates.sort((a, b) => a[2] - b[2] || a[1] - b[1] || a[0] - b[0]);
  const usedD = new Set<number>();
  const usedL = new Set<number>();
  const pairs: [number, number, number][] = [];
  for (const c of candidates) {
    if (usedD.has(c[0]) || usedL.has(c[1])) continue;
    usedD.add(c[0]);
    usedL.add(c[1]);
    pairs.push(c);
  }
  return pairs;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function eventScores(tp: number, fp: number, fn: number, startErrorSum: number): EventScores {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = ratio(2 * tp, 2 * tp + fp + fn);
  return { tp, fp, fn, precision, recall, f1, meanStartErrorSec: ratio(startErrorSum, tp) };
}

function indexUnique<T extends { recording: string }>(rows: readonly T[], what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) {
    if (map.has(row.recording))
      throw new Error(`capuchin: ${what} lists ${row.recording} twice. Fix: keep one row per recording.`);
    map.set(row.recording, row);
  }
  return map;
}

function groupBy<T extends { recording: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.recording) ?? [];
    list.push(row);
    map.set(row.recording, list);
  }
  return map;
}

export function evaluateCounts(
  results: readonly ResultRow[],
  labelsCounts: readonly CountLabel[],
  labelsCalls?: readonly CallLabel[],
  detections?: readonly DetectionRecord[],
  opts: CountEvalOptions = {},
): CountEvalReport {
  const tolerance = opts.toleranceSec ?? DEFAULT_MATCH_TOLERANCE_SEC;
  const byResult = indexUnique(results, 'the results');
  const byLabel = indexUnique(labelsCounts, 'the count labels');
  const callsBy = labelsCalls ? groupBy(labelsCalls) : undefined;
  const detectionsBy = detections ? groupBy(detections) : undefined;
  const withEvents = callsBy !== undefined && detectionsBy !== undefined;

  if (callsBy)
    for (const label of labelsCounts) {
      const n = callsBy.get(label.recording)?.length ?? 0;
      if (n !== label.capuchin_calls)
        throw new Error(
          `capuchin: the call labels have ${n} call(s) for ${label.recording} but the count labels say ${label.capuchin_calls}. ` +
            'Fix: pass the labels_calls.csv and labels_counts.csv of the same data set.',
        );
    }

  const recordings = [...byLabel.values()]
    .sort((a, b) => a.recording.localeCompare(b.recording))
    .map((label): RecordingCountEval => {
      const result = byResult.get(label.recording);
      const status: ResultStatus = !result ? 'missing' : result.count === null ? 'undecodable' : 'ok';
      const predicted = result?.count ?? null;
      const signedError = (predicted ?? 0) - label.capuchin_calls;
      const row: RecordingCountEval = {
        recording: label.recording,
        truth: label.capuchin_calls,
        predicted,
        status,
        absError: Math.abs(signedError),
        signedError,
        exact: status === 'ok' && signedError === 0,
      };
      if (withEvents) {
        const dets = (detectionsBy.get(label.recording) ?? []).map((d) => d.start_s);
        const labs = (callsBy.get(label.recording) ?? []).map((c) => c.start_s);
        const pairs = matchStarts(dets, labs, tolerance);
        const errSum = pairs.reduce((a, p) => a + p[2], 0);
        row.events = eventScores(pairs.length, dets.length - pairs.length, labs.length - pairs.length, errSum);
      }
      return row;
    });

  const n = recordings.length;
  const mean = (f: (r: RecordingCountEval) => number) => (n ? recordings.reduce((a, r) => a + f(r), 0) / n : 0);
  const report: CountEvalReport = {
    recordings,
    n,
    mae: mean((r) => r.absError),
    rmse: Math.sqrt(mean((r) => r.signedError ** 2)),
    bias: mean((r) => r.signedError),
    exactRate: mean((r) => (r.exact ? 1 : 0)),
    missing: recordings.filter((r) => r.status === 'missing').map((r) => r.recording),
    undecodable: recordings.filter((r) => r.status === 'undecodable').map((r) => r.recording),
    unlabelled: [...byResult.keys()].filter((k) => !byLabel.has(k)).sort(),
  };
  if (withEvents) {
    const sum = (f: (e: EventScores) => number) => recordings.reduce((a, r) => a + f(r.events!), 0);
    const tp = sum((e) => e.tp);
    const errSum = sum((e) => (e.meanStartErrorSec ?? 0) * e.tp);
    report.events = { ...eventScores(tp, sum((e) => e.fp), sum((e) => e.fn), errSum), toleranceSec: tolerance };
  }
  return report;
}

/**
 * Score the counts and event starts of the recordings that were processed, against the labels
 * of those recordings only (a shard, a subset, or a folder with fewer files than the labels).
 */
export function evaluateProcessed(
  results: readonly { recording: string; count: number | null; events: readonly { start_s: number }[] }[],
  labelsCounts: readonly CountLabel[],
  labelsCalls?: readonly CallLabel[],
  opts: CountEvalOptions = {},
): CountEvalReport {
  const processed = new Set(results.map((r) => r.recording));
  return evaluateCounts(
    results.map((r) => ({ recording: r.recording, count: r.count })),
    labelsCounts.filter((c) => processed.has(c.recording)),
    labelsCalls?.filter((c) => processed.has(c.recording)),
    results.flatMap((r) => r.events.map((e) => ({ recording: r.recording, start_s: e.start_s }))),
    opts,
  );
}

/** count_eval.json: the report with the inputs that produced it. */
export function writeCountEval(outDir: string, report: CountEvalReport, inputs: Record<string, unknown> = {}): string[] {
  const path = join(outDir, COUNT_EVAL_FILE);
  writeJsonAtomic(path, { inputs, ...report });
  return [path];
}
