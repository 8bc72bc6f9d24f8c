/**
 * A table of notes about recordings, one `recording,<note>` row each, sorted by recording: errors.csv
 * (`recording,error`, lib/records/errors.ts) and warnings.csv (`recording,warning`, lib/records/warnings.ts).
 */
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.ts';
import { byName, readTable, requireColumns } from './csv.ts';

export type RecordingNote<K extends string> = { recording: string } & Record<K, string>;

export function recordingNotesCsv<K extends string>(note: K, rows: readonly RecordingNote<K>[]): string {
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording));
  return stringify(sorted.map((r) => [r.recording, r[note]]), { header: true, columns: ['recording', note] });
}

export function writeRecordingNotes<K extends string>(path: string, note: K, rows: readonly RecordingNote<K>[]): void {
  writeFileAtomic(path, recordingNotesCsv(note, rows));
}

/** `file` names the table in the fix of a missing column (e.g. 'an errors.csv'). */
export function readRecordingNotes<K extends string>(path: string, note: K, file: string): RecordingNote<K>[] {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, ['recording', note], `pass ${file} written by capuchin.`);
  return records.map((r) => ({ recording: r.recording, [note]: r[note] }) as RecordingNote<K>);
}
