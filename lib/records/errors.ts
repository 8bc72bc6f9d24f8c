/** errors.csv: one row per recording that could not be processed, with the reason. */
import { readRecordingNotes, recordingNotesCsv, writeRecordingNotes } from './recordingNotes.ts';

export const ERRORS_COLUMNS = ['recording', 'error'] as const;
export const ERRORS_FILE = 'errors.csv';

export interface ErrorRow {
  recording: string;
  error: string;
}

export const errorsCsv = (rows: readonly ErrorRow[]): string => recordingNotesCsv('error', rows);
export const writeErrorsCsv = (path: string, rows: readonly ErrorRow[]): void => writeRecordingNotes(path, 'error', rows);
export const readErrorsCsv = (path: string): ErrorRow[] => readRecordingNotes(path, 'error', 'an errors.csv');
