/**
 * recordings.csv: one row per recording of a counting run: where (site) and when (start_time) it was
 * recorded, how long it is (the recording effort) and how many calls it holds. Activity over time is
 * computed from it and detections.csv, so an hour without recordings is never read as an hour without calls.
 */
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.ts';
import { assertUnique, byName, parseNumberCell, readTable, requireColumns, round } from './csv.ts';

export const RECORDINGS_COLUMNS = ['recording', 'site', 'start_time', 'time_source', 'duration_s', 'count'] as const;
export const RECORDINGS_FILE = 'recordings.csv';

export interface RecordingRow {
  recording: string;
  /** '' when unknown. */
  site: string;
  /** ISO 8601 of the first sample, with the offset when known (`2024-03-01T05:30:00-03:00`); '' when unknown. */
  start_time: string;
  /** What the start time came from (guano, pattern, audiomoth, songmeter); '' when unknown. */
  time_source: string;
  /** null when the file could not be decoded. */
  duration_s: number | null;
  count: number | null;
}

export function recordingsCsv(rows: readonly RecordingRow[]): string {
  assertUnique(rows.map((r) => r.recording), RECORDINGS_FILE);
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording));
  return stringify(
    sorted.map((r) => [r.recording, r.site, r.start_time, r.time_source, r.duration_s === null ? '' : round(r.duration_s, 3), r.count === null ? '' : r.count]),
    { header: true, columns: [...RECORDINGS_COLUMNS] },
  );
}

export function writeRecordingsCsv(path: string, rows: readonly RecordingRow[]): void {
  writeFileAtomic(path, recordingsCsv(rows));
}

export function readRecordingsCsv(path: string): RecordingRow[] {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, RECORDINGS_COLUMNS, `pass the folder of a capuchin count run (it writes ${RECORDINGS_FILE}).`);
  return records.map((r, i) => ({
    recording: r.recording,
    site: r.site,
    start_time: r.start_time,
    time_source: r.time_source,
    duration_s: r.duration_s === '' ? null : parseNumberCell(path, i + 2, 'duration_s', r.duration_s, false),
    count: r.count === '' ? null : parseNumberCell(path, i + 2, 'count', r.count, true),
  }));
}
