/**
 * warnings.csv: one row per problem that did not stop a recording from being counted but may change
 * its count (a cut or damaged mp3, a sample rate below the model's band, a DC offset, clipping).
 */
import { readRecordingNotes, recordingNotesCsv, writeRecordingNotes } from './recordingNotes.ts';

export const WARNINGS_COLUMNS = ['recording', 'warning'] as const;
export const WARNINGS_FILE = 'warnings.csv';

export interface WarningRow {
  recording: string;
  warning: string;
}

export const warningsCsv = (rows: readonly WarningRow[]): string => recordingNotesCsv('warning', rows);
export const writeWarningsCsv = (path: string, rows: readonly WarningRow[]): void => writeRecordingNotes(path, 'warning', rows);
export const readWarningsCsv = (path: string): WarningRow[] => readRecordingNotes(path, 'warning', 'a warnings.csv');
