/** errors.csv: one row per recording that could not be processed, with the reason. */
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.ts';
import { byName, readTable, requireColumns } from './csv.ts';

export const ERRORS_COLUMNS = ['recording', 'error'] as const;
export const ERRORS_FILE = 'errors.csv';

export interface ErrorRow {
  recording: string;
  error: string;
}

export function errorsCsv(rows: readonly ErrorRow[]): string {
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording));
  return stringify(sorted.map((r) => [r.recording, r.error]), { header: true, columns: [...ERRORS_COLUMNS] });
}

export function writeErrorsCsv(path: string, rows: readonly ErrorRow[]): void {
  writeFileAtomic(path, errorsCsv(rows));
}

export function readErrorsCsv(path: string): ErrorRow[] {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, ERRORS_COLUMNS, 'pass an errors.csv written by capuchin.');
  return records.map((r) => ({ recording: r.recording, error: r.error }));
}
