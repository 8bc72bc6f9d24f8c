/**
 * Counting accuracy as files and text: read a data folder's labels, write count_eval.json, and
 * format the per-recording table. Shared by `npm run evaluate-counts` and the counting pipeline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CallLabel, CountEvalReport, CountLabel } from '../detect/countEval.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { readDetectionsCsv, readResultsCsv } from './results.ts';

export const COUNT_EVAL_FILE = 'count_eval.json';
export const LABELS_COUNTS_FILE = 'labels_counts.csv';
export const LABELS_CALLS_FILE = 'labels_calls.csv';

export interface CountLabels {
  counts: CountLabel[];
  calls?: CallLabel[];
  source: string;
}

/** Read labels_counts.csv (required) and labels_calls.csv (optional). */
export function readLabelFiles(countsPath: string, callsPath?: string): CountLabels {
  const counts = readResultsCsv(countsPath).rows.map((r) => {
    if (r.count === null) throw new Error(`${countsPath}: ${r.recording} has no count. Fix: labels must give every recording a number.`);
    return { recording: r.recording, capuchin_calls: r.count };
  });
  const calls = callsPath ? readDetectionsCsv(callsPath) : undefined;
  return { counts, calls, source: countsPath };
}

/** The labels of a data folder in the team/Kaggle layout, or null when it has none. */
export function readCountLabels(dataDir: string): CountLabels | null {
  const countsPath = join(dataDir, LABELS_COUNTS_FILE);
  if (!existsSync(countsPath)) return null;
  const callsPath = join(dataDir, LABELS_CALLS_FILE);
  return readLabelFiles(countsPath, existsSync(callsPath) ? callsPath : undefined);
}

export function writeCountEval(outDir: string, report: CountEvalReport, inputs: Record<string, unknown> = {}): string[] {
  const path = join(outDir, COUNT_EVAL_FILE);
  writeJsonAtomic(path, { inputs, ...report });
  return [path];
}

const f2 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(2));

/** A fixed-width per-recording table with the summary lines. */
export function countEvalTable(report: CountEvalReport): string {
  const width = Math.max(9, ...report.recordings.map((r) => r.recording.length));
  const withEvents = report.events !== undefined;
  const head = `${'recording'.padEnd(width)}  truth  pred  |err|${withEvents ? '   TP  FP  FN    F1' : ''}`;
  const lines = report.recordings.map((r) => {
    const pred = r.status === 'ok' ? String(r.predicted) : r.status;
    const ev = r.events ? ` ${String(r.events.tp).padStart(4)}${String(r.events.fp).padStart(4)}${String(r.events.fn).padStart(4)}${f2(r.events.f1).padStart(6)}` : '';
    return `${r.recording.padEnd(width)}  ${String(r.truth).padStart(5)}  ${pred.padStart(4)}  ${String(r.absError).padStart(5)}${ev}`;
  });
  const e = report.events;
  const summary = [
    `n=${report.n}  MAE ${f2(report.mae)}  RMSE ${f2(report.rmse)}  bias ${report.bias >= 0 ? '+' : ''}${f2(report.bias)}  exact ${(100 * report.exactRate).toFixed(1)}%`,
    e ? `events (±${e.toleranceSec} s): TP ${e.tp} FP ${e.fp} FN ${e.fn}  precision ${f2(e.precision)}  recall ${f2(e.recall)}  F1 ${f2(e.f1)}  mean start error ${f2(e.meanStartErrorSec)} s` : '',
    report.missing.length ? `missing from results (scored as 0): ${report.missing.join(', ')}` : '',
    report.undecodable.length ? `undecodable (scored as 0): ${report.undecodable.join(', ')}` : '',
    report.unlabelled.length ? `no label, ignored: ${report.unlabelled.length} recording(s)` : '',
  ].filter(Boolean);
  return [head, ...lines, '', ...summary].join('\n') + '\n';
}
