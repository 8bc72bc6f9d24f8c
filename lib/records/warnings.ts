/**
 * warnings.csv: one row per problem that did not stop a recording from being counted but may change
 * its count (a cut or damaged mp3, a sample rate below the model's band, a DC offset, clipping).
 */
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.ts';
import { byName, readTable, requireColumns } from './csv.ts';

export const WARNINGS_COLUMNS = ['recording', 'warning'] as const;
export const WARNINGS_FILE = 'warnings.csv';

export interface WarningRow {
  recording: string;
  warning: string;
}

export function warningsCsv(rows: readonly WarningRow[]): string {
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording));
  return stringify(sorted.map((r) => [r.recording, r.warning]), { header: true, columns: [...WARNINGS_COLUMNS] });
}

export function writeWarningsCsv(path: string, rows: readonly WarningRow[]): void {
  writeFileAtomic(path, warningsCsv(rows));
}

export function readWarningsCsv(path: string): WarningRow[] {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, WARNINGS_COLUMNS, 'pass a warnings.csv written by capuchin.');
  return records.map((r) => ({ recording: r.recording, warning: r.warning }));
}
