/**
 * Audacity label tracks (File > Export Labels): one tab-separated line per label, `start end text`, in
 * seconds, no header. The extended style adds a line `\ low high` (Hz, -1 for undefined) under a label made
 * on a spectral selection. Count runs write one per recording beside the Raven tables
 * (`<stem>.capuchin.labels.txt`, File > Import > Labels in Audacity); annotation reading takes the same files back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';
import { ravenFileName } from './raven.ts';

export const AUDACITY_SUFFIX = '.capuchin.labels.txt';

export interface AudacityLabel {
  start_s: number;
  end_s: number;
  text: string;
  lowHz?: number;
  highHz?: number;
  /** 1-based line of the label in its file (reading only). */
  line?: number;
}

/** The label file name of a recording: its Raven table's name (tree, length limit, shared stems) with the Audacity suffix. */
export function audacityFileName(ravenName: string): string {
  return ravenName.endsWith('.capuchin.selection.table.txt') ? ravenName.slice(0, -'.capuchin.selection.table.txt'.length) + AUDACITY_SUFFIX : ravenName + AUDACITY_SUFFIX;
}

const fixed = (x: number) => x.toFixed(6);

export function audacityLabels(labels: readonly AudacityLabel[]): string {
  const lines: string[] = [];
  for (const l of [...labels].sort((a, b) => a.start_s - b.start_s)) {
    lines.push(`${fixed(l.start_s)}\t${fixed(l.end_s)}\t${l.text.replace(/[\t\r\n]+/g, ' ')}`);
    if (l.lowHz !== undefined || l.highHz !== undefined) lines.push(`\\\t${fixed(l.lowHz ?? -1)}\t${fixed(l.highHz ?? -1)}`);
  }
  return lines.map((l) => l + '\n').join('');
}

/** Write one recording's labels into `dir` (named after its Raven table unless `fileName`); returns the path. */
export function writeAudacityLabels(dir: string, recording: string, labels: readonly AudacityLabel[], fileName?: string): string {
  const path = join(dir, fileName ?? audacityFileName(ravenFileName(recording)));
  writeFileAtomic(path, audacityLabels(labels));
  return path;
}

/** True when `text` looks like a label track: its first non-empty line is two numbers and optional text, tab-separated. */
export function isAudacityLabels(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '');
  if (first === undefined) return false;
  const cells = first.split('\t');
  return cells.length >= 2 && cells.slice(0, 2).every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
}

/**
 * Read a label track. Every label line must be `start<TAB>end[<TAB>text]` with start ≤ end; a `\` line gives the
 * frequencies of the label above it (-1 = undefined). Throws naming the file, the line and the fix.
 */
export function readAudacityLabels(path: string, text = readFileSync(path, 'utf8')): AudacityLabel[] {
  const labels: AudacityLabel[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const cells = raw.split('\t');
    const num = (cell: string | undefined, what: string) => {
      const v = Number(cell);
      if (cell === undefined || cell.trim() === '' || !Number.isFinite(v))
        throw new Error(`capuchin: ${path} line ${line}: ${what} is '${cell ?? ''}', expected a number. Fix: an Audacity label line is start<TAB>end<TAB>text in seconds (File > Export Labels).`);
      return v;
    };
    if (cells[0].trim() === '\\') {
      const prev = labels[labels.length - 1];
      if (!prev) throw new Error(`capuchin: ${path} line ${line}: a frequency line (\\) before any label. Fix: it belongs under the label it describes.`);
      const low = num(cells[1], 'the low frequency');
      const high = num(cells[2], 'the high frequency');
      if (low >= 0) prev.lowHz = low;
      if (high >= 0) prev.highHz = high;
      return;
    }
    const start = num(cells[0], 'the start');
    const end = num(cells[1], 'the end');
    if (start < 0 || end < start) throw new Error(`capuchin: ${path} line ${line}: start ${start} s and end ${end} s; expected 0 ≤ start ≤ end. Fix: correct the label's times.`);
    labels.push({ start_s: start, end_s: end, text: cells.slice(2).join('\t').trim(), line });
  });
  return labels;
}
