/**
 * What people labelled: labels_counts.csv (`recording,capuchin_calls`) and labels_calls.csv
 * (`recording,call_index,start_s,end_s`), the team's labels of recordings 00–49 in the Kaggle layout,
 * and the same layout written by the review page for recordings someone reviewed.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readCallsWithEmptyRecordings, readDetectionsCsv, type CallLabel } from './detections.ts';
import { readResultsCsv } from './results.ts';

export type { CallLabel };
export const LABELS_COUNTS_FILE = 'labels_counts.csv';
export const LABELS_CALLS_FILE = 'labels_calls.csv';

/** A labelled count: a labels_counts.csv row. */
export interface CountLabel {
  recording: string;
  capuchin_calls: number;
}

export interface CountLabels {
  counts: CountLabel[];
  calls?: CallLabel[];
  source: string;
}

/** Where a call lies in its recording, seconds. */
export type CallSpan = Pick<CallLabel, 'start_s' | 'end_s'>;

/** Read labels_counts.csv (required) and labels_calls.csv (optional). */
export function readLabelFiles(countsPath: string, callsPath?: string): CountLabels {
  const counts = readResultsCsv(countsPath).rows.map((r) => {
    if (r.count === null) throw new Error(`${countsPath}: ${r.recording} has no count. Fix: labels must give every recording a number.`);
    return { recording: r.recording, capuchin_calls: r.count };
  });
  const calls = callsPath ? readDetectionsCsv(callsPath).map(({ score: _score, ...call }) => call) : undefined;
  return { counts, calls, source: countsPath };
}

/** The labels of a data folder in the Kaggle layout, or null when it has none. */
export function readCountLabels(dataDir: string): CountLabels | null {
  const countsPath = join(dataDir, LABELS_COUNTS_FILE);
  if (!existsSync(countsPath)) return null;
  const callsPath = join(dataDir, LABELS_CALLS_FILE);
  return readLabelFiles(countsPath, existsSync(callsPath) ? callsPath : undefined);
}

/**
 * The fully labelled recordings of a labels_calls.csv-layout file, each with its calls in start
 * order (possibly none). Every recording named in the file counts as fully labelled; a row with
 * empty start_s and end_s names a recording without calls; and when a labels_counts.csv sits beside
 * the file, its recordings count as labelled too and must agree with the calls listed.
 */
export function readLabelledRecordings(path: string): Map<string, CallSpan[]> {
  const { rows, emptyRecordings } = readCallsWithEmptyRecordings(path);
  const all = new Map<string, CallSpan[]>();
  for (const r of emptyRecordings) all.set(r, all.get(r) ?? []);
  for (const r of rows) {
    if (!(r.start_s >= 0 && r.end_s > r.start_s)) {
      throw new Error(`capuchin: ${path}: ${r.recording} call ${r.call_index} has start_s ${r.start_s}, end_s ${r.end_s}; expected 0 ≤ start_s < end_s`);
    }
    const calls = all.get(r.recording) ?? [];
    calls.push({ start_s: r.start_s, end_s: r.end_s });
    all.set(r.recording, calls);
  }
  const countsPath = join(dirname(path), LABELS_COUNTS_FILE);
  if (existsSync(countsPath)) {
    for (const r of readResultsCsv(countsPath).rows) {
      if (r.count === null) continue;
      const calls = all.get(r.recording);
      if (!calls && r.count === 0) all.set(r.recording, []);
      else if ((calls?.length ?? 0) !== r.count) {
        throw new Error(`capuchin: ${countsPath} gives ${r.recording} ${r.count} call(s) but ${path} lists ${calls?.length ?? 0}. Fix: make the two label files agree.`);
      }
    }
  }
  for (const calls of all.values()) calls.sort((a, b) => a.start_s - b.start_s);
  return all;
}
