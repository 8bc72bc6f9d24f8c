/**
 * verdicts.csv, the review page's record of what a person decided about each detection
 * (`recording,detection,start_s,end_s,verdict,score`, lib/records/verdictFormat.ts): `detection` is the
 * 1-based index of the detector's event in its recording (added calls come after the events), `verdict`
 * one of accept, reject, unsure, added; `score` is empty for added calls. Also the labels_calls.csv
 * layout of reviewed recordings (reviewed_calls.csv), written by the simulated reviewer of the review curve.
 */
import { stringify } from 'csv-stringify/sync';
import { VERDICTS, VERDICTS_COLUMNS, type Verdict } from './verdictFormat.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { byName, parseNumberCell, readTable, requireColumns, round } from './csv.ts';
import type { CallSpan } from './labels.ts';

export interface VerdictRow {
  recording: string;
  /** 1-based: the detector's events of the recording in start order, then added calls. */
  detection: number;
  start_s: number;
  end_s: number;
  verdict: Verdict;
  /** The event's peak score; null for added calls (or when the cell is empty). */
  score: number | null;
}

const isVerdict = (v: string): v is Verdict => (VERDICTS as readonly string[]).includes(v);

/** Read verdicts.csv, every cell checked: an error names the file, the line, the cell and the fix. */
export function readVerdictsCsv(path: string): VerdictRow[] {
  const { columns, records } = readTable(path);
  requireColumns(path, columns, VERDICTS_COLUMNS, `export verdicts.csv again from review.html (header ${VERDICTS_COLUMNS.join(',')}).`);
  return records.map((r, i) => {
    const line = i + 2;
    if (!r.recording) throw new Error(`capuchin: ${path} line ${line}: empty recording name. Fix: every row names its recording (export verdicts.csv again from review.html).`);
    if (!isVerdict(r.verdict)) {
      throw new Error(`capuchin: ${path} line ${line}: verdict is '${r.verdict}', expected one of ${VERDICTS.join(', ')}. Fix: correct that cell, or export verdicts.csv again from review.html.`);
    }
    const detection = parseNumberCell(path, line, 'detection', r.detection, true);
    if (detection < 1) throw new Error(`capuchin: ${path} line ${line}: detection is ${detection}, expected the 1-based index of the detection (≥ 1). Fix: correct that cell.`);
    const start_s = parseNumberCell(path, line, 'start_s', r.start_s, false);
    const end_s = parseNumberCell(path, line, 'end_s', r.end_s, false);
    if (!(start_s >= 0 && end_s > start_s)) throw new Error(`capuchin: ${path} line ${line}: start_s ${start_s}, end_s ${end_s}; expected 0 ≤ start_s < end_s. Fix: correct those cells.`);
    const score = r.score === '' ? null : parseNumberCell(path, line, 'score', r.score, false);
    return { recording: r.recording, detection, start_s, end_s, verdict: r.verdict, score };
  });
}

export function verdictsCsv(rows: readonly VerdictRow[]): string {
  const sorted = [...rows].sort((a, b) => byName(a.recording, b.recording) || a.detection - b.detection);
  return stringify(
    sorted.map((r) => [r.recording, r.detection, round(r.start_s, 3), round(r.end_s, 3), r.verdict, r.score === null ? '' : round(r.score, 4)]),
    { header: true, columns: [...VERDICTS_COLUMNS] },
  );
}

export function writeVerdictsCsv(path: string, rows: readonly VerdictRow[]): void {
  writeFileAtomic(path, verdictsCsv(rows));
}

/**
 * Fully labelled recordings in the labels_calls.csv layout (what the review page exports as
 * reviewed_calls.csv): call_index 0-based in start order; a recording without calls gets one row with
 * empty call_index, start_s and end_s.
 */
export function labelledRecordingsCsv(labels: ReadonlyMap<string, readonly CallSpan[]>): string {
  const rows: (string | number)[][] = [];
  for (const recording of [...labels.keys()].sort(byName)) {
    const calls = [...labels.get(recording)!].sort((a, b) => a.start_s - b.start_s);
    if (!calls.length) rows.push([recording, '', '', '']);
    calls.forEach((c, i) => rows.push([recording, i, round(c.start_s, 3), round(c.end_s, 3)]));
  }
  return stringify(rows, { header: true, columns: ['recording', 'call_index', 'start_s', 'end_s'] });
}
