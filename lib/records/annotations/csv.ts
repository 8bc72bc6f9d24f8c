/**
 * Annotations in a CSV (or TSV) with one row per call: a column naming the recording and either start and end
 * or start and duration columns, found by name whatever their case and punctuation:
 * - PyHa / OpenSoundscape manual labels: `IN FILE, OFFSET, DURATION, MANUAL ID` (OFFSET is the start there);
 * - OpenSoundscape's annotation tables: `audio_file, start_time, end_time, low_f, high_f, annotation`;
 * - capuchin's own labels_calls.csv / reviewed_calls.csv (`recording,call_index,start_s,end_s`), where a row with
 *   empty times names a recording without calls;
 * - and the like (`file, onset, offset, label`, `filename, begin, end, species`, …).
 */
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Annotation, AnnotationLayout, AnnotationTable } from './types.ts';

/** Column names reduced to lower-case letters and digits: `Begin Time (s)` → `begintimes`. */
const norm = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const FILE_COLUMNS = ['infile', 'file', 'filename', 'filepath', 'path', 'audiofile', 'audiopath', 'recording', 'recordingid', 'beginfile', 'sourcefile', 'soundfile', 'wav', 'clip'];
const START_COLUMNS = ['start', 'starts', 'startsec', 'starttime', 'starttimes', 'begin', 'begins', 'begintime', 'begintimes', 'onset', 'onsets', 'onsetsec', 'tstart'];
const END_COLUMNS = ['end', 'ends', 'endsec', 'endtime', 'endtimes', 'stop', 'stoptime', 'tend'];
const DURATION_COLUMNS = ['duration', 'durations', 'durationsec', 'dur', 'length', 'deltatime', 'deltatimes'];
const CLASS_COLUMNS = ['manualid', 'label', 'class', 'classname', 'species', 'commonname', 'annotation', 'calltype', 'category', 'tag'];
const LOW_COLUMNS = ['lowfreq', 'lowfreqhz', 'lowf', 'lowhz', 'minfreq', 'fmin', 'freqmin'];
const HIGH_COLUMNS = ['highfreq', 'highfreqhz', 'highf', 'highhz', 'maxfreq', 'fmax', 'freqmax'];

/** The columns of a call table, or a list of what is missing. */
interface Columns {
  file: string;
  start: string;
  end?: string;
  duration?: string;
  label?: string;
  low?: string;
  high?: string;
}

function findColumns(header: readonly string[]): Columns | string[] {
  const byNorm = new Map(header.map((h) => [norm(h), h] as const));
  const pick = (names: readonly string[]) => names.map((n) => byNorm.get(n)).find((h) => h !== undefined);
  const file = pick(FILE_COLUMNS);
  const onset = pick(['onset', 'onsets']);
  // 'offset' is the start in PyHa's layout (OFFSET, DURATION) and the end beside an onset column
  const start = pick(START_COLUMNS) ?? (byNorm.has('offset') && !onset ? byNorm.get('offset') : undefined);
  const end = pick(END_COLUMNS) ?? (onset && byNorm.has('offset') ? byNorm.get('offset') : undefined);
  const duration = pick(DURATION_COLUMNS);
  const missing = [...(file ? [] : ['a file column (e.g. IN FILE, file, recording, audio_file)']), ...(start ? [] : ['a start column (e.g. start, OFFSET, begin, onset)']), ...(end || duration ? [] : ['an end or duration column (e.g. end, DURATION)'])];
  if (missing.length) return missing;
  return { file: file!, start: start!, end, duration: end ? undefined : duration, label: pick(CLASS_COLUMNS), low: pick(LOW_COLUMNS), high: pick(HIGH_COLUMNS) };
}

/** True when the header is capuchin's labels_calls.csv layout. */
function isLabelsCalls(header: readonly string[]): boolean {
  return ['recording', 'start_s', 'end_s'].every((c) => header.includes(c)) && !header.some((c) => CLASS_COLUMNS.includes(norm(c)));
}

/** The layout of a CSV whose header this reader understands, else null. */
export function csvLayoutOf(text: string): AnnotationLayout | null {
  const header = headerOf(text);
  if (header === null || header.length < 2) return null;
  const found = findColumns(header);
  // a header with some of the columns is read as a call table, so the error names the ones it lacks
  if (Array.isArray(found) && found.length === 3) return null;
  return isLabelsCalls(header) ? 'labels-calls' : 'csv';
}

function delimiterOf(firstLine: string): string {
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
}

function headerOf(text: string): string[] | null {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '');
  if (!first) return null;
  return first.split(delimiterOf(first)).map((c) => c.trim().replace(/^"|"$/g, ''));
}

export function readCsvAnnotations(path: string, text: string): AnnotationTable {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: delimiterOf(first), bom: true, skip_empty_lines: true, trim: true, info: true, columns: (h: string[]) => (header = h.map((c) => c.trim())) }) as typeof records;
  } catch (err) {
    throw new Error(`capuchin: ${path} is not valid CSV: ${(err as Error).message}`);
  }
  const cols = findColumns(header);
  if (Array.isArray(cols)) {
    throw new Error(
      `capuchin: ${path} line 1: no ${cols.join(', no ')} in the header '${header.join(',')}'. ` +
        'Fix: annotations are a Raven selection table, an Audacity label track, or a CSV with a file column and start/end (or start/duration) columns in seconds.',
    );
  }
  const layout: AnnotationLayout = isLabelsCalls(header) ? 'labels-calls' : 'csv';
  const named: string[] = [];
  const annotations: Annotation[] = [];
  for (const { record: r, info } of records) {
    const line = info.lines;
    const file = r[cols.file] ?? '';
    if (!file) throw new Error(`capuchin: ${path} line ${line}: '${cols.file}' is empty. Fix: every row names its recording.`);
    const recording = basename(file.replace(/\\/g, '/'));
    named.push(recording);
    const other = cols.end ?? cols.duration!;
    if (layout === 'labels-calls' && r[cols.start] === '' && r[other] === '') continue; // a recording without calls
    const num = (col: string | undefined, required: boolean) => {
      if (col === undefined) return undefined;
      const cell = r[col] ?? '';
      const v = Number(cell);
      if (cell === '' && !required) return undefined;
      if (cell === '' || !Number.isFinite(v)) throw new Error(`capuchin: ${path} line ${line}: '${col}' is '${cell}', expected a number of seconds. Fix: correct the cell or delete the row.`);
      return v;
    };
    const start_s = num(cols.start, true)!;
    const end_s = cols.end ? num(cols.end, true)! : start_s + num(cols.duration, true)!;
    const freq = (col: string | undefined) => {
      const v = num(col, false);
      return v !== undefined && v >= 0 ? v : undefined;
    };
    annotations.push({ recording, start_s, end_s, lowHz: freq(cols.low), highHz: freq(cols.high), label: cols.label ? (r[cols.label] ?? '').trim() : '', source: path, line });
  }
  return { source: path, layout, annotations, recordings: [...new Set(named)], hasClasses: cols.label !== undefined };
}
