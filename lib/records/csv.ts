/** The CSV plumbing every table of lib/records shares: read with a header, check columns and cells, sort names. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export type CsvRecord = Record<string, string>;

/** Code-point order, like Python's sorted(os.listdir). */
export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function assertUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(`capuchin: ${what} has two rows for ${n}. Fix: give each recording one row.`);
    seen.add(n);
  }
}

export function readTable(path: string): { columns: string[]; records: CsvRecord[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`capuchin: cannot read ${path}: ${(err as Error).message}. Fix: check the path.`);
  }
  let columns: string[] = [];
  let records: CsvRecord[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
    }) as CsvRecord[];
  } catch (err) {
    throw new Error(`capuchin: ${path} is not valid CSV: ${(err as Error).message}`);
  }
  return { columns, records };
}

export function requireColumns(path: string, columns: string[], wanted: readonly string[], hint: string): void {
  const missing = wanted.filter((c) => !columns.includes(c));
  if (missing.length) throw new Error(`capuchin: ${path} has no column(s) ${missing.join(', ')} (header: ${columns.join(',') || '(none)'}). Fix: ${hint}`);
}

export function parseNumberCell(path: string, line: number, column: string, cell: string, integer: boolean): number {
  const n = Number(cell);
  if (cell === '' || !Number.isFinite(n) || (integer && (!Number.isInteger(n) || n < 0)))
    throw new Error(`capuchin: ${path} line ${line}: ${column} is '${cell}', expected ${integer ? 'a whole number ≥ 0' : 'a number'}.`);
  return n;
}
