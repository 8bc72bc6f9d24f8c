/**
 * The `--field-labels` file: call labels of field recordings in the labels_calls.csv layout
 * (`recording,call_index,start_s,end_s`, seconds from the recording's start).
 *
 * Every recording named in the file counts as fully labelled: its calls are positives and the rest
 * of it is negative. A recording with no calls is named by a row with empty call_index, start_s and
 * end_s (the review page exports such rows); and when a labels_counts.csv (`recording,capuchin_calls`)
 * sits beside the file, its recordings count as labelled too, and must agree with the calls listed.
 *
 * Only recordings in the field role are ever used for training: the others are returned in
 * `ignored` with the reason, so a held-out or evaluation recording can never become training data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CallInterval, FieldLabels } from './field.ts';
import { roleOf, type RecordingRoles } from './recordings.ts';

export const FIELD_LABEL_COLUMNS = ['recording', 'call_index', 'start_s', 'end_s'] as const;
const COUNTS_FILE = 'labels_counts.csv';

export interface ReadFieldLabels {
  labels: FieldLabels;
  /** Recordings named in the file but not in the field role, and why they are not used. */
  ignored: { recording: string; reason: string }[];
  source: string;
  calls: number;
}

function readCsv(path: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`capuchin: cannot read field labels ${path}: ${(err as Error).message}. Fix: pass --field-labels PATH/labels_calls.csv`);
  }
  try {
    return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    throw new Error(`capuchin: ${path} is not a CSV file: ${(err as Error).message}`);
  }
}

export function readFieldLabels(path: string, roles: RecordingRoles): ReadFieldLabels {
  const rows = readCsv(path);
  const header = rows.length ? Object.keys(rows[0]) : FIELD_LABEL_COLUMNS;
  const missing = FIELD_LABEL_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`capuchin: ${path} lacks column(s) ${missing.join(', ')}. Fix: use the labels_calls.csv layout ${FIELD_LABEL_COLUMNS.join(',')}`);
  const all = new Map<string, CallInterval[]>();
  rows.forEach((r, i) => {
    const line = i + 2;
    if (!r.recording) throw new Error(`capuchin: ${path} line ${line}: empty recording name`);
    const calls = all.get(r.recording) ?? [];
    all.set(r.recording, calls);
    if (r.start_s === '' && r.end_s === '') return; // a reviewed recording without calls
    const start = Number(r.start_s);
    const end = Number(r.end_s);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end <= start) {
      throw new Error(`capuchin: ${path} line ${line}: start_s '${r.start_s}' / end_s '${r.end_s}' must be seconds with 0 ≤ start_s < end_s`);
    }
    calls.push({ start_s: start, end_s: end });
  });
  const countsPath = join(dirname(path), COUNTS_FILE);
  if (existsSync(countsPath)) {
    for (const r of readCsv(countsPath)) {
      const n = Number(r.capuchin_calls);
      if (!r.recording || !Number.isInteger(n) || n < 0) continue;
      const calls = all.get(r.recording);
      if (!calls && n === 0) all.set(r.recording, []);
      else if ((calls?.length ?? 0) !== n) {
        throw new Error(`capuchin: ${countsPath} gives ${r.recording} ${n} call(s) but ${path} lists ${calls?.length ?? 0}. Fix: make the two label files agree.`);
      }
    }
  }
  const labels = new Map<string, readonly CallInterval[]>();
  const ignored: ReadFieldLabels['ignored'] = [];
  for (const [recording, calls] of [...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const role = roleOf(recording, roles);
    if (role === 'field') labels.set(recording, calls.sort((a, b) => a.start_s - b.start_s));
    else ignored.push({ recording, reason: role ? `${role} recording: never used for training` : 'matches no field pattern' });
  }
  return { labels, ignored, source: path, calls: [...labels.values()].reduce((n, c) => n + c.length, 0) };
}
