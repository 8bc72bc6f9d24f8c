/**
 * Raven Pro selection tables as annotations. Raven writes one row per view of a selection (a table saved
 * with a waveform and a spectrogram open has a `Waveform 1` and a `Spectrogram 1` row for every call), so rows
 * are taken once per `Selection` number, preferring the spectrogram view. A table with `Begin File` may span
 * several recordings: there `Begin Time (s)` runs on across files, and the time within the file is
 * `File Offset (s)`; a table without it holds one recording, named by the table's file name. A table the review
 * page exported (a `Verdict` column) gives its accepted and added calls; rejected ones are not calls, and an
 * undecided or unsure row is refused, since the recording was not fully reviewed.
 */
import { basename } from 'node:path';
import { ravenNumber, readRavenRows, type RavenRow } from '../raven.ts';
import type { Annotation, AnnotationTable } from './types.ts';

/** Suffixes Raven, BirdNET and capuchin give a recording's table: `x.Table.1.selections.txt` → `x`. */
const TABLE_SUFFIXES = [/\.Table\.\d+\.selections(?:_[^.]*)?\.txt$/i, /\.capuchin(?:\.reviewed)?\.selection\.table\.txt$/i, /\.[A-Za-z]+\.selection\.table\.txt$/i, /\.selections?\.txt$/i, /\.txt$/i];

/** The recording stem a per-recording table names (its file name without Raven's, BirdNET's or capuchin's suffix). */
export function ravenTableStem(path: string): string {
  const name = basename(path);
  for (const re of TABLE_SUFFIXES) if (re.test(name)) return name.replace(re, '');
  return name;
}

const CLASS_COLUMNS = ['Species', 'Class', 'Label', 'Annotation', 'Call Type', 'Common Name', 'Sound Type', 'Type'];

/** True when the text's first line is a Raven header. */
export function isRavenTable(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const cells = first.split('\t').map((c) => c.trim());
  return cells.includes('Selection') && cells.includes('Begin Time (s)');
}

/** One row per selection: the spectrogram view's when a selection has several. */
function onePerSelection(rows: readonly RavenRow[], hasSelection: boolean): RavenRow[] {
  if (!hasSelection) return [...rows];
  const bySelection = new Map<string, RavenRow>();
  for (const row of rows) {
    const key = `${row.cells['Selection']}|${row.cells['Begin File'] ?? ''}`;
    const kept = bySelection.get(key);
    if (!kept || (!/^spectrogram/i.test(kept.cells['View'] ?? '') && /^spectrogram/i.test(row.cells['View'] ?? ''))) bySelection.set(key, row);
  }
  return [...bySelection.values()].sort((a, b) => a.line - b.line);
}

export function readRavenAnnotations(path: string, text: string): AnnotationTable {
  const { columns, rows } = readRavenRows(path, text);
  const classColumn = CLASS_COLUMNS.find((c) => columns.includes(c));
  const multiFile = columns.includes('Begin File');
  const files = new Set(rows.map((r) => r.cells['Begin File'] ?? ''));
  if (multiFile && files.size > 1 && !columns.includes('File Offset (s)')) {
    throw new Error(
      `capuchin: ${path} spans ${files.size} recordings (Begin File) but has no 'File Offset (s)' column, so its times cannot be placed in each file. ` +
        "Fix: add the 'File Offset (s)' measurement in Raven (Choose Measurements) and save the table again.",
    );
  }
  const stem = ravenTableStem(path);
  const reviewed = columns.includes('Verdict');
  const kept = onePerSelection(rows, columns.includes('Selection')).filter((row) => {
    if (!reviewed) return true;
    const verdict = (row.cells['Verdict'] ?? '').trim().toLowerCase();
    if (verdict === 'accept' || verdict === 'added') return true;
    if (verdict === 'reject') return false;
    throw new Error(
      `capuchin: ${path} line ${row.line}: Verdict is '${row.cells['Verdict'] ?? ''}', so the call was not decided. ` +
        'Fix: accept or reject it in review.html and export again (or export reviewed_calls.csv, which holds only recordings marked fully reviewed).',
    );
  });
  const annotations: Annotation[] = kept.map((row) => {
    const begin = ravenNumber(path, row, 'Begin Time (s)', true)!;
    const end = ravenNumber(path, row, 'End Time (s)', true)!;
    const offset = multiFile ? ravenNumber(path, row, 'File Offset (s)', false) : undefined;
    const start_s = offset ?? begin;
    const recording = multiFile ? basename((row.cells['Begin File'] || row.cells['Begin Path'] || '').replace(/\\/g, '/')) : stem;
    if (multiFile && !recording) throw new Error(`capuchin: ${path} line ${row.line}: 'Begin File' is empty. Fix: every row of a table with Begin File names its recording.`);
    return {
      recording,
      start_s,
      end_s: start_s + (end - begin),
      lowHz: ravenNumber(path, row, 'Low Freq (Hz)', false),
      highHz: ravenNumber(path, row, 'High Freq (Hz)', false),
      label: classColumn ? (row.cells[classColumn] ?? '').trim() : '',
      source: path,
      line: row.line,
    };
  });
  // an empty table (its recording annotated, without calls) is named by its file name
  const recordings = multiFile && rows.length ? [...new Set(rows.map((r) => basename((r.cells['Begin File'] || r.cells['Begin Path'] || '').replace(/\\/g, '/'))))] : [stem];
  return { source: path, layout: 'raven', annotations, recordings, hasClasses: classColumn !== undefined };
}
