/**
 * The counting run's tables: results.csv, detections.csv, errors.csv and detector_config.json,
 * with readers for the same layouts (evaluate-counts, merge and tests read them back).
 *
 * results.csv, 'original' layout (the tutorial the challenge grew from writes this):
 *   recording,capuchin_calls — one row per audio file of the folder, file name with extension,
 *   sorted by name (code-point order, like Python's sorted(os.listdir)), zeros included, and an
 *   empty count for a file that could not be decoded.
 * 'contest' layout: clip_name,call_count — the submission layout of the challenge's own
 *   notebook (Z-Unlocked/Unlocked_Challenge_3, solution_challenge_3.ipynb, "Sample Output
 *   File": "a csv with … two columns: clip_name and call_count", clip names are the sorted
 *   os.listdir names with the extension, e.g. recording_00.mp3, one row for each of the 100 files).
 * Writers never filter: they format what they are given. All writes are atomic.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { basename, join } from 'node:path';
import type { DetectorConfig } from '../detect/config.ts';
import type { DetectedEvent } from '../detect/events.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { writeRavenTable, type RavenOptions } from './raven.ts';

export const RESULTS_COLUMNS = ['recording', 'capuchin_calls'] as const;
export const CONTEST_COLUMNS = ['clip_name', 'call_count'] as const;
export const DETECTIONS_COLUMNS = ['recording', 'call_index', 'start_s', 'end_s', 'score'] as const;
export const ERRORS_COLUMNS = ['recording', 'error'] as const;

export const RESULTS_FILE = 'results.csv';
export const DETECTIONS_FILE = 'detections.csv';
export const ERRORS_FILE = 'errors.csv';
export const DETECTOR_CONFIG_FILE = 'detector_config.json';

export type ResultsFormat = 'original' | 'contest';

export interface ResultRow {
  /** File name with extension. */
  recording: string;
  /** null: the file could not be decoded. */
  count: number | null;
}

export interface DetectionRow {
  recording: string;
  /** 0-based, in start order within the recording. */
  call_index: number;
  start_s: number;
  end_s: number;
  /** Peak (smoothed) score; NaN when the table had no score column (labels_calls.csv). */
  score: number;
}

export interface ErrorRow {
  recording: string;
  error: string;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round = (x: number, digits: number) => Number(x.toFixed(digits));

function assertUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(`capuchin: ${what} has two rows for ${n}. Fix: give each recording one row.`);
    seen.add(n);
  }
}

/**
 * One row per audio file of the folder (names or paths; the file name is kept), sorted: the count
 * from `counts`, or null (empty cell) when the file has no count because it failed.
 */
export function resultRowsForFolder(audioFiles: readonly string[], counts: ReadonlyMap<string, number | null>): ResultRow[] {
  const names = audioFiles.map((f) => basename(f));
  assertUnique(names, 'the audio file list');
  for (const key of counts.keys())
    if (!names.includes(key))
      throw new Error(`capuchin: a count was given for ${key}, which is not among the folder's audio files. Fix: key counts by file name with extension.`);
  return names.sort(byName).map((recording) => ({ recording, count: counts.get(recording) ?? null }));
}

export function resultsCsv(rows: readonly ResultRow[], format: ResultsFormat = 'original'): string {
  assertUnique(rows.map((r) => r.recording), 'results');
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording));
  const header = format === 'contest' ? CONTEST_COLUMNS : RESULTS_COLUMNS;
  return stringify(sorted.map((r) => [r.recording, r.count === null ? '' : r.count]), { header: true, columns: [...header] });
}

export function writeResultsCsv(path: string, rows: readonly ResultRow[], format: ResultsFormat = 'original'): void {
  writeFileAtomic(path, resultsCsv(rows, format));
}

/** detections.csv rows for one recording's events (call_index in start order). */
export function detectionRowsFromEvents(recording: string, events: readonly DetectedEvent[]): DetectionRow[] {
  return [...events]
    .sort((a, b) => a.start_s - b.start_s)
    .map((e, call_index) => ({ recording, call_index, start_s: e.start_s, end_s: e.end_s, score: e.peak_score }));
}

export function detectionsCsv(rows: readonly DetectionRow[]): string {
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording) || a.start_s - b.start_s);
  return stringify(
    sorted.map((r) => [r.recording, r.call_index, round(r.start_s, 3), round(r.end_s, 3), Number.isNaN(r.score) ? '' : round(r.score, 4)]),
    { header: true, columns: [...DETECTIONS_COLUMNS] },
  );
}

export function writeDetectionsCsv(path: string, rows: readonly DetectionRow[]): void {
  writeFileAtomic(path, detectionsCsv(rows));
}

export function errorsCsv(rows: readonly ErrorRow[]): string {
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording));
  return stringify(sorted.map((r) => [r.recording, r.error]), { header: true, columns: [...ERRORS_COLUMNS] });
}

export function writeErrorsCsv(path: string, rows: readonly ErrorRow[]): void {
  writeFileAtomic(path, errorsCsv(rows));
}

export function writeDetectorConfig(path: string, cfg: DetectorConfig): void {
  writeJsonAtomic(path, cfg);
}

// ---------------------------------------------------------------- readers

type Record_ = Record<string, string>;

function readTable(path: string): { columns: string[]; records: Record_[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`capuchin: cannot read ${path}: ${(err as Error).message}. Fix: check the path.`);
  }
  let columns: string[] = [];
  let records: Record_[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
    }) as Record_[];
  } catch (err) {
    throw new Error(`capuchin: ${path} is not valid CSV: ${(err as Error).message}`);
  }
  return { columns, records };
}

function requireColumns(path: string, columns: string[], wanted: readonly string[], hint: string): void {
  const missing = wanted.filter((c) => !columns.includes(c));
  if (missing.length)
    throw new Error(`capuchin: ${path} has no column(s) ${missing.join(', ')} (header: ${columns.join(',') || '(none)'}). Fix: ${hint}`);
}

function parseNumberCell(path: string, line: number, column: string, cell: string, integer: boolean): number {
  const n = Number(cell);
  if (cell === '' || !Number.isFinite(n) || (integer && (!Number.isInteger(n) || n < 0)))
    throw new Error(
      `capuchin: ${path} line ${line}: ${column} is '${cell}', expected ${integer ? 'a whole number ≥ 0' : 'a number'}.`,
    );
  return n;
}

/** Which layout a results table uses, from its header. */
export function resultsFormatOf(columns: readonly string[]): ResultsFormat | null {
  if (RESULTS_COLUMNS.every((c) => columns.includes(c))) return 'original';
  if (CONTEST_COLUMNS.every((c) => columns.includes(c))) return 'contest';
  return null;
}

/**
 * Read results.csv in either layout (also labels_counts.csv, which has the original layout).
 * An empty count reads as null.
 */
export function readResultsCsv(path: string): { rows: ResultRow[]; format: ResultsFormat } {
  const { columns, records } = readTable(path);
  const format = resultsFormatOf(columns);
  if (!format)
    throw new Error(
      `capuchin: ${path} has header '${columns.join(',')}'; expected ${RESULTS_COLUMNS.join(',')} or ${CONTEST_COLUMNS.join(',')}. ` +
        'Fix: pass a results.csv written by capuchin or a labels_counts.csv.',
    );
  const [nameCol, countCol] = format === 'contest' ? CONTEST_COLUMNS : RESULTS_COLUMNS;
  const rows = records.map((r, i) => ({
    recording: r[nameCol],
    count: r[countCol] === '' ? null : parseNumberCell(path, i + 2, countCol, r[countCol], true),
  }));
  assertUnique(rows.map((r) => r.recording), path);
  return { rows, format };
}

/** Read detections.csv; also reads labels_calls.csv (no score column: score is NaN). */
export function readDetectionsCsv(path: string): DetectionRow[] {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, ['recording', 'start_s', 'end_s'], 'pass a detections.csv written by capuchin or a labels_calls.csv.');
  return records.map((r, i) => ({
    recording: r.recording,
    call_index: r.call_index === undefined || r.call_index === '' ? i : parseNumberCell(path, i + 2, 'call_index', r.call_index, true),
    start_s: parseNumberCell(path, i + 2, 'start_s', r.start_s, false),
    end_s: parseNumberCell(path, i + 2, 'end_s', r.end_s, false),
    score: r.score === undefined || r.score === '' ? NaN : parseNumberCell(path, i + 2, 'score', r.score, false),
  }));
}

export function readErrorsCsv(path: string): ErrorRow[] {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, ERRORS_COLUMNS, 'pass an errors.csv written by capuchin.');
  return records.map((r) => ({ recording: r.recording, error: r.error }));
}

// ---------------------------------------------------------------- one run's outputs

export const RAVEN_DIR = 'raven';

export interface RecordingOutcome {
  /** File name with extension. */
  recording: string;
  /** null when the file failed (then `error` says why). */
  count: number | null;
  events: readonly DetectedEvent[];
  error?: string;
}

export interface CountOutputOptions {
  outDir: string;
  /** Every audio file the run was given (names or paths): results.csv gets one row for each. */
  audioFiles: readonly string[];
  outcomes: readonly RecordingOutcome[];
  detector: DetectorConfig;
  format?: ResultsFormat;
  /** Write raven/<stem>.capuchin.selection.table.txt per decoded recording (default true). */
  raven?: boolean | RavenOptions;
}

/**
 * Write results.csv, detections.csv, errors.csv, detector_config.json and the Raven tables of a
 * counting run into outDir (the one place that owns these names). Returns the paths written.
 */
export function writeCountOutputs(opts: CountOutputOptions): string[] {
  const { outDir, outcomes } = opts;
  assertUnique(outcomes.map((o) => o.recording), 'the run outcomes');
  const counts = new Map(outcomes.map((o) => [o.recording, o.count] as const));
  const written: string[] = [];
  const out = (name: string) => {
    const p = join(outDir, name);
    written.push(p);
    return p;
  };
  writeResultsCsv(out(RESULTS_FILE), resultRowsForFolder(opts.audioFiles, counts), opts.format);
  writeDetectionsCsv(out(DETECTIONS_FILE), outcomes.flatMap((o) => detectionRowsFromEvents(o.recording, o.events)));
  writeErrorsCsv(
    out(ERRORS_FILE),
    outcomes.filter((o) => o.count === null).map((o) => ({ recording: o.recording, error: o.error ?? 'unknown error' })),
  );
  writeDetectorConfig(out(DETECTOR_CONFIG_FILE), opts.detector);
  if (opts.raven !== false) {
    const ravenOpts = typeof opts.raven === 'object' ? opts.raven : {};
    for (const o of outcomes)
      if (o.count !== null) {
        const selections = o.events.map((e) => ({ begin_s: e.start_s, end_s: e.end_s, score: e.peak_score }));
        written.push(writeRavenTable(join(outDir, RAVEN_DIR), o.recording, selections, ravenOpts));
      }
  }
  return written;
}
