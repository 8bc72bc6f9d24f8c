/**
 * The review's exports as text (types.ts has the layouts): reviewed_calls.csv, verdicts.csv and Raven
 * selection tables with a Verdict column. Pure functions of the index and the saved state.
 */
import { VERDICTS_COLUMNS, type ReviewIndex, type ReviewIndexRecording, type Verdict } from '../types.ts';
import type { RecordingState } from './state.ts';
import { DEFAULT_CALL_BAND_HZ, ravenTableText } from '../../../records/ravenFormat.ts';

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


/**
 * A Raven selection table of the recordings given with a Verdict column, in the CLI's layout
 * (lib/records/ravenFormat.ts): one recording, its per-recording table; several (or `combined`), with 'Begin
 * File' and 'File Offset (s)' columns. Each recording's calls in start order, undecided ones with an empty
 * Verdict; boxes at the target's band (the Capuchinbird's for an index without one).
 */
export function reviewRavenTable(recordings: readonly ReviewIndexRecording[], states: States, combined = recordings.length > 1, band: { lowHz: number; highHz: number } = DEFAULT_CALL_BAND_HZ): string {
  const rows = recordings.flatMap((rec) =>
    reviewedCalls(rec, states[rec.key])
      .sort((a, b) => a.start_s - b.start_s || a.detection - b.detection)
      .map((c) => ({ begin_s: c.start_s, end_s: c.end_s, ...band, score: c.score, verdict: c.verdict, file: rec.recording })),
  );
  return ravenTableText(rows, { verdict: true, files: combined });
}
