/**
 * Read annotations, whatever their layout, from a file or a folder of files: Raven selection tables, Audacity
 * label tracks, capuchin's labels_calls.csv and CSVs of calls (PyHa, OpenSoundscape, …). The layout is
 * detected from each file's first line. `--annotation-class` keeps the rows of one class; a table with several
 * classes and no class chosen is refused, naming them, so calls of two species never train as one.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { isAudacityLabels, readAudacityLabels } from '../audacity.ts';
import { LABELS_COUNTS_FILE, readLabelledRecordings } from '../labels.ts';
import { VERDICTS_FILE } from '../verdictFormat.ts';
import { csvLayoutOf, readCsvAnnotations } from './csv.ts';
import { isRavenTable, ravenTableStem, readRavenAnnotations } from './raven.ts';
import { LAYOUT_NAMES, type Annotation, type AnnotationLayout, type AnnotationTable } from './types.ts';

export * from './types.ts';
export { ravenTableStem } from './raven.ts';

/** Which layout a file's text is in, or null. */
export function annotationLayoutOf(text: string): AnnotationLayout | null {
  if (isRavenTable(text)) return 'raven';
  if (isAudacityLabels(text)) return 'audacity';
  return csvLayoutOf(text);
}

/** The recording an Audacity label track is for: its file name without `.txt` and a `.labels`/`.audacity`/`.capuchin.labels` tag. */
function audacityStem(path: string): string {
  return basename(path).replace(/\.txt$/i, '').replace(/\.(capuchin\.labels|labels?|audacity)$/i, '');
}

/** Read one annotation file, its layout detected from its first line. */
export function readAnnotationFile(path: string): AnnotationTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`capuchin: cannot read annotations ${path}: ${(err as Error).message}. Fix: check the path given to --annotations.`);
  }
  const layout = annotationLayoutOf(text);
  if (layout === 'raven') return readRavenAnnotations(path, text);
  if (layout === 'audacity') {
    const stem = audacityStem(path);
    const annotations = readAudacityLabels(path, text).map((l): Annotation => ({ recording: stem, start_s: l.start_s, end_s: l.end_s, lowHz: l.lowHz, highHz: l.highHz, label: l.text, source: path, line: l.line! }));
    return { source: path, layout, annotations, recordings: [stem], hasClasses: annotations.some((a) => a.label !== '') };
  }
  if (layout === 'labels-calls' || layout === 'csv') {
    const table = readCsvAnnotations(path, text);
    // labels_calls.csv: empty rows and a labels_counts.csv beside it name recordings without calls (and must agree)
    return layout === 'labels-calls' ? { ...table, recordings: [...readLabelledRecordings(path).keys()] } : table;
  }
  if (text.trim() === '') {
    // an empty file is an empty Audacity label track: its recording was annotated and holds no calls
    const stem = audacityStem(path);
    return { source: path, layout: 'audacity', annotations: [], recordings: [stem], hasClasses: false };
  }
  const first = text.split(/\r?\n/, 1)[0];
  throw new Error(
    `capuchin: ${path} line 1 ('${first.slice(0, 80)}') is not a header capuchin reads. Fix: use one of: ${Object.values(LAYOUT_NAMES).join('; ')}.`,
  );
}

/** Files that sit beside annotations and are read with them, not as tables of their own. */
const COMPANION_FILES = [LABELS_COUNTS_FILE, VERDICTS_FILE];

/** Annotation files of a folder (recursively): .txt, .csv, .tsv, hidden files and folders left out. */
function annotationFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...annotationFiles(path));
    else if (['.txt', '.csv', '.tsv'].includes(extname(entry.name).toLowerCase()) && !COMPANION_FILES.includes(entry.name)) out.push(path);
  }
  return out;
}

export interface ReadAnnotationsOptions {
  /** Keep only rows of this class (case-insensitive); required when the tables hold more than one. */
  annotationClass?: string;
}

/** Annotations read from every file, grouped by the recording each names, after the class filter. */
export interface AnnotationSet {
  /** The files read. */
  sources: string[];
  layouts: AnnotationLayout[];
  /** Recording name (as the tables give it) → its calls in start order; recordings annotated without calls map to []. */
  byRecording: Map<string, Annotation[]>;
  /** Rows left out by --annotation-class, per class. */
  otherClasses: Map<string, number>;
  calls: number;
}

/** Read a file or a folder of annotation files; throws naming the file, the line and the fix. */
export function readAnnotations(path: string, opts: ReadAnnotationsOptions = {}): AnnotationSet {
  if (!existsSync(path)) throw new Error(`capuchin: annotations ${path} do not exist. Fix: pass --annotations FILE or a folder of annotation files.`);
  const files = statSync(path).isDirectory() ? annotationFiles(path) : [path];
  if (files.length === 0) throw new Error(`capuchin: ${path} holds no annotation files (.txt, .csv, .tsv). Fix: pass the folder of Raven tables, Audacity label tracks or CSVs.`);
  const tables = files.map(readAnnotationFile);
  const all = tables.flatMap((t) => t.annotations);
  const classes = new Map<string, number>();
  for (const a of all) classes.set(a.label, (classes.get(a.label) ?? 0) + 1);
  const wanted = opts.annotationClass?.trim().toLowerCase();
  const named = [...classes.keys()].filter((c) => c !== '');
  if (wanted === undefined && named.length > 1) {
    const list = [...classes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `'${c || '(none)'}' (${n})`).join(', ');
    throw new Error(`capuchin: the annotations in ${path} hold ${classes.size} classes: ${list}. Fix: pass --annotation-class with the one to count.`);
  }
  const keep = (a: Annotation) => wanted === undefined || a.label.toLowerCase() === wanted;
  const byRecording = new Map<string, Annotation[]>();
  for (const t of tables) for (const r of t.recordings) if (!byRecording.has(r)) byRecording.set(r, []);
  const otherClasses = new Map<string, number>();
  for (const a of all) {
    if (!keep(a)) {
      otherClasses.set(a.label, (otherClasses.get(a.label) ?? 0) + 1);
      continue;
    }
    if (!(a.start_s >= 0 && a.end_s > a.start_s)) {
      throw new Error(`capuchin: ${a.source} line ${a.line}: start ${a.start_s} s, end ${a.end_s} s; a call needs 0 ≤ start < end (a point label has no extent). Fix: give the call its start and end.`);
    }
    byRecording.get(a.recording)!.push(a);
  }
  const calls = all.length - [...otherClasses.values()].reduce((n, c) => n + c, 0);
  if (calls === 0) {
    const why = wanted !== undefined && all.length > 0
      ? `none of its ${all.length} row(s) has class '${opts.annotationClass}' (classes: ${[...classes.keys()].map((c) => `'${c || '(none)'}'`).join(', ')}). Fix: pass --annotation-class with one of those.`
      : 'they hold no calls. Fix: annotate at least one call, or check that the files are the right ones.';
    throw new Error(`capuchin: no usable annotation rows in ${files.length === 1 ? files[0] : `${files.length} files under ${path}`}: ${why}`);
  }
  for (const calls of byRecording.values()) calls.sort((a, b) => a.start_s - b.start_s);
  return { sources: files, layouts: [...new Set(tables.map((t) => t.layout))], byRecording, otherClasses, calls };
}
