/**
 * Per-recording call counts: results.csv (and labels_counts.csv, the 'original' layout).
 *
 * 'calls' layout (the default for any target but the Capuchinbird): recording,calls — one row per audio file of
 *   the folder, as below.
 * 'original' layout (the Capuchinbird's default) (the tutorial the challenge grew from writes this):
 *   recording,capuchin_calls — one row per audio file of the folder, file name with extension,
 *   sorted by name (code-point order, like Python's sorted(os.listdir)), zeros included, and an
 *   empty count for a file that could not be decoded.
 * 'contest' layout: clip_name,call_count — the submission layout of the challenge's own
 *   notebook (Z-Unlocked/Unlocked_Challenge_3, solution_challenge_3.ipynb, "Sample Output
 *   File": "a csv with … two columns: clip_name and call_count", clip names are the sorted
 *   os.listdir names with the extension, e.g. recording_00.mp3, one row for each of the 100 files).
 * Writers never filter: they format what they are given. All writes are atomic.
 */
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.ts';
import { assertUnique, byName, parseNumberCell, readTable } from './csv.ts';
import { isCapuchinbird } from './target.ts';

export const CALLS_COLUMNS = ['recording', 'calls'] as const;
export const RESULTS_COLUMNS = ['recording', 'capuchin_calls'] as const;
export const CONTEST_COLUMNS = ['clip_name', 'call_count'] as const;
export const RESULTS_FILE = 'results.csv';

export const RESULTS_FORMATS = ['calls', 'original', 'contest'] as const;
export type ResultsFormat = (typeof RESULTS_FORMATS)[number];

const COLUMNS: Readonly<Record<ResultsFormat, readonly [string, string]>> = { calls: CALLS_COLUMNS, original: RESULTS_COLUMNS, contest: CONTEST_COLUMNS };

/** The layout a count writes unless told: the Kaggle layout for the Capuchinbird, `recording,calls` for any other target. */
export function defaultResultsFormat(target: { name: string }): ResultsFormat {
  return isCapuchinbird(target) ? 'original' : 'calls';
}

/** One recording's count: a results.csv row, a labels_counts.csv row, what count evaluation scores. */
export interface ResultRow {
  /** The recording id: file name with extension, or its path under the counted folder (`siteA/x.WAV`, `--recursive`). */
  recording: string;
  /** null: the file could not be decoded (an empty cell). */
  count: number | null;
}

/**
 * One row per recording of the folder (by recording id), sorted: the count from `counts`, or null
 * (empty cell) when the file has no count because it failed.
 */
export function resultRowsForFolder(recordings: readonly string[], counts: ReadonlyMap<string, number | null>): ResultRow[] {
  const names = [...recordings];
  assertUnique(names, 'the audio file list');
  for (const key of counts.keys())
    if (!names.includes(key))
      throw new Error(`capuchin: a count was given for ${key}, which is not among the folder's audio files. Fix: key counts by recording id (the file name with extension, or its path under the folder).`);
  return names.sort(byName).map((recording) => ({ recording, count: counts.get(recording) ?? null }));
}

export function resultsCsv(rows: readonly ResultRow[], format: ResultsFormat = 'original'): string {
  assertUnique(rows.map((r) => r.recording), 'results');
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording));
  const header = COLUMNS[format];
  return stringify(sorted.map((r) => [r.recording, r.count === null ? '' : r.count]), { header: true, columns: [...header] });
}

export function writeResultsCsv(path: string, rows: readonly ResultRow[], format: ResultsFormat = 'original'): void {
  writeFileAtomic(path, resultsCsv(rows, format));
}

/** Which layout a results table uses, from its header. */
export function resultsFormatOf(columns: readonly string[]): ResultsFormat | null {
  return RESULTS_FORMATS.find((f) => COLUMNS[f].every((c) => columns.includes(c))) ?? null;
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
      `capuchin: ${path} has header '${columns.join(',')}'; expected ${RESULTS_FORMATS.map((f) => COLUMNS[f].join(',')).join(' or ')}. ` +
        'Fix: pass a results.csv written by capuchin or a labels_counts.csv.',
    );
  const [nameCol, countCol] = COLUMNS[format];
  const rows = records.map((r, i) => ({
    recording: r[nameCol],
    count: r[countCol] === '' ? null : parseNumberCell(path, i + 2, countCol, r[countCol], true),
  }));
  assertUnique(rows.map((r) => r.recording), path);
  return { rows, format };
}
