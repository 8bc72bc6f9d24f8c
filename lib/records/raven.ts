/**
 * Raven Pro selection tables: one tab-separated table per recording, named
 * `<recording-stem>.capuchin.selection.table.txt` (BirdNET's `.BirdNET.selection.table.txt`
 * convention), so each recording's calls open as boxes over its spectrogram in Raven.
 */
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DEFAULT_CALL_BAND_HZ, ravenTableText } from './ravenFormat.ts';
import { writeFileAtomic } from '../util/atomic.ts';

export { DEFAULT_CALL_BAND_HZ, RAVEN_TABLE_HEADER } from './ravenFormat.ts';

export const RAVEN_SUFFIX = '.capuchin.selection.table.txt';


export interface RavenSelection {
  begin_s: number;
  end_s: number;
  score: number;
  lowHz?: number;
  highHz?: number;
}

export interface RavenOptions {
  lowHz?: number;
  highHz?: number;
}

/** File names longer than this many bytes are refused by most file systems (ext4, APFS, NTFS). */
const MAX_NAME_BYTES = 255;

/** FNV-1a, 32 bit, as 8 hex digits: a short stable tag for a cut name. */
function nameHash(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** `stem + RAVEN_SUFFIX`, the stem cut (with a hash of the whole name) when the result would not fit a file name. */
function fitName(stem: string, whole: string): string {
  const bytes = (t: string) => new TextEncoder().encode(t).length;
  if (bytes(stem + RAVEN_SUFFIX) <= MAX_NAME_BYTES) return stem + RAVEN_SUFFIX;
  const tag = `~${nameHash(whole)}`;
  let cut = stem;
  while (bytes(cut + tag + RAVEN_SUFFIX) > MAX_NAME_BYTES) cut = cut.slice(0, -1);
  return cut + tag + RAVEN_SUFFIX;
}

/** The folders of a recording id (`siteA/sd1/x.WAV` → `siteA/sd1/`; '' for a plain file name). */
function folderOf(recording: string): string {
  const cut = recording.lastIndexOf('/');
  return cut < 0 ? '' : recording.slice(0, cut + 1);
}

/**
 * `recording_00.mp3` → `recording_00.capuchin.selection.table.txt` (a too-long stem is cut and tagged with a hash);
 * a recording id with folders keeps them (`siteA/20240301_050000.WAV` → `siteA/20240301_050000.capuchin…`), so the
 * tables mirror the recordings' tree.
 */
export function ravenFileName(recording: string): string {
  const name = basename(recording);
  return folderOf(recording) + fitName(name.slice(0, name.length - extname(name).length), name);
}

/**
 * Raven table names for the recordings of one run, all distinct: recordings that share a stem
 * (`a.wav` and `a.mp3`) keep their extension (`a.wav.capuchin…`, `a.mp3.capuchin…`) instead of overwriting one table.
 */
export function ravenFileNames(recordings: readonly string[]): Map<string, string> {
  const plain = recordings.map((r) => ravenFileName(r));
  const uses = new Map<string, number>();
  for (const name of plain) uses.set(name, (uses.get(name) ?? 0) + 1);
  return new Map(recordings.map((r, i) => [r, uses.get(plain[i])! > 1 ? folderOf(r) + fitName(basename(r), basename(r)) : plain[i]]));
}

export function ravenTable(selections: readonly RavenSelection[], opts: RavenOptions = {}): string {
  const lowHz = opts.lowHz ?? DEFAULT_CALL_BAND_HZ.lowHz;
  const highHz = opts.highHz ?? DEFAULT_CALL_BAND_HZ.highHz;
  if (!(lowHz >= 0 && highHz > lowHz))
    throw new Error(`capuchin: Raven band must satisfy 0 ≤ lowHz < highHz, got ${lowHz}–${highHz} Hz`);
  const sorted = [...selections].sort((a, b) => a.begin_s - b.begin_s);
  return ravenTableText(sorted.map((s) => ({ begin_s: s.begin_s, end_s: s.end_s, lowHz: s.lowHz ?? lowHz, highHz: s.highHz ?? highHz, score: s.score })));
}

/** Write one table into `dir`; returns its path. A recording without calls gets a header-only table. */
export function writeRavenTable(dir: string, recording: string, selections: readonly RavenSelection[], opts: RavenOptions & { fileName?: string } = {}): string {
  const path = join(dir, opts.fileName ?? ravenFileName(recording));
  writeFileAtomic(path, ravenTable(selections, opts));
  return path;
}

/** One data row of a selection table: its cells by column name and its 1-based line in the file. */
export interface RavenRow {
  cells: Record<string, string>;
  line: number;
}

/**
 * The rows of any Raven selection table (tab-separated, header first, columns in any order; BOM and blank lines
 * allowed), each with its line, after checking the columns every table has (`Selection`, `Begin Time (s)`,
 * `End Time (s)`).
 */
export function readRavenRows(path: string, text = readFileSync(path, 'utf8')): { columns: string[]; rows: RavenRow[] } {
  let columns: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: '\t',
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      info: true,
    }) as typeof records;
  } catch (err) {
    throw new Error(`capuchin: ${path} is not a tab-separated Raven table: ${(err as Error).message}`);
  }
  const need = ['Selection', 'Begin Time (s)', 'End Time (s)'];
  const missing = need.filter((c) => !columns.includes(c));
  if (missing.length)
    throw new Error(`capuchin: ${path} lacks Raven column(s) ${missing.join(', ')} (line 1: ${columns.join(', ') || 'empty'}). Fix: export the table from Raven as a selection table.`);
  return { columns, rows: records.map((r) => ({ cells: r.record, line: r.info.lines })) };
}

/** A numeric cell of a Raven row, or undefined when the column is absent or empty (`required` throws instead). */
export function ravenNumber(path: string, row: RavenRow, col: string, required: boolean): number | undefined {
  const cell = row.cells[col];
  if (cell === undefined || cell === '') {
    if (!required) return undefined;
    throw new Error(`capuchin: ${path} line ${row.line}: '${col}' is empty, expected a number. Fix: fill in the cell or delete the row.`);
  }
  const v = Number(cell);
  if (!Number.isFinite(v)) throw new Error(`capuchin: ${path} line ${row.line}: '${col}' is '${cell}', expected a number.`);
  return v;
}

/** Read a Raven selection table back (round-trip tests, merging, re-scoring edited tables). */
export function readRavenTable(path: string): (RavenSelection & { selection: number })[] {
  return readRavenRows(path).rows.map((r) => ({
    selection: ravenNumber(path, r, 'Selection', true)!,
    begin_s: ravenNumber(path, r, 'Begin Time (s)', true)!,
    end_s: ravenNumber(path, r, 'End Time (s)', true)!,
    lowHz: ravenNumber(path, r, 'Low Freq (Hz)', false),
    highHz: ravenNumber(path, r, 'High Freq (Hz)', false),
    score: ravenNumber(path, r, 'Score', false) ?? NaN,
  }));
}
