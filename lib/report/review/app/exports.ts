/**
 * The review's exports as text (types.ts has the layouts): reviewed_calls.csv, verdicts.csv and Raven
 * selection tables with a Verdict column. Pure functions of the index and the saved state.
 */
import { VERDICTS_COLUMNS, type ReviewIndex, type ReviewIndexRecording, type Verdict } from '../types.ts';
import type { RecordingState } from './state.ts';

/** RFC 4180: quote a field holding a comma, quote, CR or LF. */
export function csvField(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csv = (rows: (string | number | null)[][]) => rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
const n3 = (x: number) => Number(x.toFixed(3));
const n4 = (x: number) => Number(x.toFixed(4));

/** One call of a recording after review: the detector's (accepted, rejected, unsure, undecided) and the added ones. */
export interface ReviewedCall {
  /** 1-based: events first, in the index's order, then added calls. */
  detection: number;
  start_s: number;
  end_s: number;
  verdict: Verdict | null;
  score: number | null;
}

/** A recording's calls with the reviewer's decisions applied (a nudged start keeps the event's length). */
export function reviewedCalls(rec: ReviewIndexRecording, s: RecordingState | undefined): ReviewedCall[] {
  const out: ReviewedCall[] = rec.events.map((e, i) => {
    const start = s?.starts[i] ?? e.start_s;
    return { detection: i + 1, start_s: start, end_s: start + (e.end_s - e.start_s), verdict: s?.verdicts[i] ?? null, score: e.peak_score };
  });
  (s?.added ?? []).forEach((a, j) => out.push({ detection: rec.events.length + j + 1, start_s: a.start_s, end_s: a.end_s, verdict: 'added', score: null }));
  return out;
}

/** Length of a call the reviewer adds: the median length of the recording's detections, else `fallback` (the window). */
export function addedCallLength(rec: ReviewIndexRecording, fallback: number): number {
  const l = rec.events.map((e) => e.end_s - e.start_s).sort((a, b) => a - b);
  if (!l.length) return fallback;
  const m = l.length >> 1;
  return l.length % 2 ? l[m] : (l[m - 1] + l[m]) / 2;
}

/** Every event has accept or reject: the recording may be marked fully reviewed. */
export function canMarkDone(rec: ReviewIndexRecording, s: RecordingState | undefined): boolean {
  return rec.count !== null && rec.events.every((_, i) => s?.verdicts[i] === 'accept' || s?.verdicts[i] === 'reject');
}

type States = Readonly<Record<string, RecordingState | undefined>>;

/** labels_calls.csv layout, recordings marked fully reviewed only. */
export function reviewedCallsCsv(index: ReviewIndex, states: States): string {
  const rows: (string | number | null)[][] = [['recording', 'call_index', 'start_s', 'end_s']];
  for (const rec of index.recordings) {
    const s = states[rec.key];
    if (!s?.done) continue;
    const calls = reviewedCalls(rec, s).filter((c) => c.verdict === 'accept' || c.verdict === 'added').sort((a, b) => a.start_s - b.start_s);
    if (!calls.length) rows.push([rec.recording, '', '', '']);
    calls.forEach((c, i) => rows.push([rec.recording, i, n3(c.start_s), n3(c.end_s)]));
  }
  return csv(rows);
}

/** verdicts.csv: each detection with a verdict and each added call. */
export function verdictsCsv(index: ReviewIndex, states: States): string {
  const rows: (string | number | null)[][] = [[...VERDICTS_COLUMNS]];
  for (const rec of index.recordings)
    for (const c of reviewedCalls(rec, states[rec.key])) if (c.verdict) rows.push([rec.recording, c.detection, n3(c.start_s), n3(c.end_s), c.verdict, c.score === null ? '' : n4(c.score)]);
  return csv(rows);
}

/** lib/records/raven.ts RAVEN_TABLE_HEADER (which imports node:fs, so it is copied here) with a Verdict column. */
export const RAVEN_VERDICT_HEADER = ['Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)', 'Score', 'Verdict'] as const;
/** lib/records/raven.ts DEFAULT_CALL_BAND_HZ: the Capuchinbird's, for an index without a band. */
export const RAVEN_BAND_HZ = { lowHz: 500, highHz: 2500 } as const;

/**
 * A Raven selection table of the recordings given, numbers formatted as lib/records/raven.ts does (times 3
 * decimals, band 1, score 4): one recording, its per-recording table; several (or `combined`), with a
 * 'Begin File' column after 'Channel' and a 'File Offset (s)' column last. Each recording's calls in start order, undecided ones with an empty Verdict;
 * boxes at the target's band.
 */
export function ravenTable(recordings: readonly ReviewIndexRecording[], states: States, combined = recordings.length > 1, band: { lowHz: number; highHz: number } = RAVEN_BAND_HZ): string {
  const header: string[] = [...RAVEN_VERDICT_HEADER];
  // several recordings: Begin File names each row's, File Offset (s) its time in that file (as Raven's multi-file tables)
  if (combined) header.splice(3, 0, 'Begin File');
  if (combined) header.push('File Offset (s)');
  const lines = [header.join('\t')];
  const cell = (s: string) => s.replace(/[\t\r\n]/g, ' ');
  let selection = 0;
  for (const rec of recordings)
    for (const c of reviewedCalls(rec, states[rec.key]).sort((a, b) => a.start_s - b.start_s || a.detection - b.detection)) {
      const cells: string[] = [String(++selection), 'Spectrogram 1', '1', c.start_s.toFixed(3), c.end_s.toFixed(3), band.lowHz.toFixed(1), band.highHz.toFixed(1), c.score === null ? '' : c.score.toFixed(4), c.verdict ?? ''];
      if (combined) cells.splice(3, 0, cell(rec.recording));
      if (combined) cells.push(c.start_s.toFixed(3));
      lines.push(cells.join('\t'));
    }
  return lines.join('\n') + '\n';
}
