/**
 * The text of a Raven Pro selection table, free of imports so that the CLI (lib/records/raven.ts) and the
 * browser's review app (its Raven export) write the same layout: tab-separated, header first, one row per
 * selection, times with 3 decimals, frequencies with 1, scores with 4.
 */

export const RAVEN_TABLE_HEADER = ['Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)', 'Score'] as const;

/**
 * Default box height: the band that holds most of a Capuchinbird call's energy (its low, growling
 * "moo" and first harmonics). A display choice only; nothing is filtered by it.
 */
export const DEFAULT_CALL_BAND_HZ = { lowHz: 500, highHz: 2500 } as const;

/** One row: a box from begin_s to end_s over lowHz–highHz; `file` and `verdict` fill their optional columns. */
export interface RavenRowOut {
  begin_s: number;
  end_s: number;
  lowHz: number;
  highHz: number;
  /** Empty when null (a call a reviewer added). */
  score: number | null;
  /** 'Begin File' (multi-file tables), with 'File Offset (s)' = begin_s last. */
  file?: string;
  /** The review's verdict ('' when undecided). */
  verdict?: string | null;
}

/**
 * The table of `rows`, numbered in the order given. `verdict` adds a 'Verdict' column after 'Score'; `files`
 * adds 'Begin File' after 'Channel' and 'File Offset (s)' last, as Raven's multi-file tables have them.
 */
export function ravenTableText(rows: readonly RavenRowOut[], columns: { verdict?: boolean; files?: boolean } = {}): string {
  const header: string[] = [...RAVEN_TABLE_HEADER];
  if (columns.verdict) header.push('Verdict');
  if (columns.files) header.splice(3, 0, 'Begin File');
  if (columns.files) header.push('File Offset (s)');
  const cell = (s: string) => s.replace(/[\t\r\n]/g, ' ');
  const lines = rows.map((r, i) => {
    const cells = [String(i + 1), 'Spectrogram 1', '1', r.begin_s.toFixed(3), r.end_s.toFixed(3), r.lowHz.toFixed(1), r.highHz.toFixed(1), r.score === null ? '' : r.score.toFixed(4)];
    if (columns.verdict) cells.push(r.verdict ?? '');
    if (columns.files) cells.splice(3, 0, cell(r.file ?? ''));
    if (columns.files) cells.push(r.begin_s.toFixed(3));
    return cells.join('\t');
  });
  return [header.join('\t'), ...lines].join('\n') + '\n';
}
