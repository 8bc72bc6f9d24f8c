/**
 * Calls in time: detections.csv (what counting found, with a score) and labels_calls.csv (what a
 * person labelled; the same columns without the score), one row per call.
 */
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.ts';
import { byName, parseNumberCell, readTable, requireColumns, round } from './csv.ts';

export const DETECTIONS_COLUMNS = ['recording', 'call_index', 'start_s', 'end_s', 'score', 'start_time', 'site'] as const;
export const DETECTIONS_FILE = 'detections.csv';

/** A labelled call: a labels_calls.csv row. */
export interface CallLabel {
  recording: string;
  /** 0-based, in start order within the recording. */
  call_index: number;
  start_s: number;
  end_s: number;
}

/** A detected call: a detections.csv row. */
export interface DetectionRow extends CallLabel {
  /** Peak (smoothed) score; NaN when the table had no score column (labels_calls.csv). */
  score: number;
  /** The call's start as ISO 8601 with the recorder's offset (`2024-03-01T05:31:12.500-03:00`) when the recording's start is known, else ''. */
  start_time?: string;
  /** The recording's site ('' when unknown). */
  site?: string;
}

/** Where and when a recording was made, for its detection rows. */
export interface RecordingPlace {
  site: string;
  /** ISO 8601 of a moment `sec` seconds into the recording, or undefined when its start is unknown. */
  timeAt?: (sec: number) => string;
}

/** detections.csv rows for one recording's events (call_index in start order). */
export function detectionRowsFromEvents(recording: string, events: readonly { start_s: number; end_s: number; peak_score: number }[], place?: RecordingPlace): DetectionRow[] {
  return [...events]
    .sort((a, b) => a.start_s - b.start_s)
    .map((e, call_index) => ({ recording, call_index, start_s: e.start_s, end_s: e.end_s, score: e.peak_score, start_time: place?.timeAt?.(e.start_s) ?? '', site: place?.site ?? '' }));
}

export function detectionsCsv(rows: readonly DetectionRow[]): string {
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording) || a.start_s - b.start_s);
  return stringify(
    sorted.map((r) => [r.recording, r.call_index, round(r.start_s, 3), round(r.end_s, 3), Number.isNaN(r.score) ? '' : round(r.score, 4), r.start_time ?? '', r.site ?? '']),
    { header: true, columns: [...DETECTIONS_COLUMNS] },
  );
}

export function writeDetectionsCsv(path: string, rows: readonly DetectionRow[]): void {
  writeFileAtomic(path, detectionsCsv(rows));
}

/** Read detections.csv; also reads labels_calls.csv (no score column: score is NaN). */
export function readDetectionsCsv(path: string): DetectionRow[] {
  return readCalls(path, false).rows;
}

/**
 * Read a labels_calls.csv-layout file in which a row with empty start_s and end_s names a recording
 * without calls (the review page's export): those recordings come back in `emptyRecordings`.
 */
export function readCallsWithEmptyRecordings(path: string): { rows: DetectionRow[]; emptyRecordings: string[] } {
  return readCalls(path, true);
}

function readCalls(path: string, allowEmpty: boolean): { rows: DetectionRow[]; emptyRecordings: string[] } {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, ['recording', 'start_s', 'end_s'], 'pass a detections.csv written by capuchin or a labels_calls.csv (recording,call_index,start_s,end_s).');
  const rows: DetectionRow[] = [];
  const emptyRecordings: string[] = [];
  records.forEach((r, i) => {
    if (!r.recording) throw new Error(`capuchin: ${path} line ${i + 2}: empty recording name`);
    if (allowEmpty && r.start_s === '' && r.end_s === '') {
      emptyRecordings.push(r.recording);
      return;
    }
    rows.push({
      recording: r.recording,
      call_index: r.call_index === undefined || r.call_index === '' ? i : parseNumberCell(path, i + 2, 'call_index', r.call_index, true),
      start_s: parseNumberCell(path, i + 2, 'start_s', r.start_s, false),
      end_s: parseNumberCell(path, i + 2, 'end_s', r.end_s, false),
      score: r.score === undefined || r.score === '' ? NaN : parseNumberCell(path, i + 2, 'score', r.score, false),
      ...(r.start_time !== undefined ? { start_time: r.start_time } : {}),
      ...(r.site !== undefined ? { site: r.site } : {}),
    });
  });
  return { rows, emptyRecordings };
}
