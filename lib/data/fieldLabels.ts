/**
 * The `--field-labels` file (labels_calls.csv layout, lib/records/labels.ts readLabelledRecordings):
 * its field recordings' calls train in the `field` configuration. Only recordings in the field role
 * are ever used: the others are returned in `ignored` with the reason, so a held-out or evaluation
 * recording can never become training data.
 *
 * When the review page's verdicts.csv sits beside the file (its export reviewed_calls.csv + verdicts.csv),
 * the detections the reviewer rejected in those labelled recordings become hard negatives: spans the
 * model fired on that are not calls.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readLabelledRecordings, type CallSpan } from '../records/labels.ts';
import { readVerdictsCsv } from '../records/verdicts.ts';
import { VERDICTS_FILE } from '../records/verdictFormat.ts';
import type { FieldLabels } from './field.ts';
import { roleOf, type RecordingRoles } from './roles.ts';

export interface ReadFieldLabels {
  labels: FieldLabels;
  /** Recordings named in the file but not in the field role, and why they are not used. */
  ignored: { recording: string; reason: string }[];
  source: string;
  calls: number;
  /** Rejected detections of the labelled recordings (verdicts.csv beside the file), in start order; empty without one. */
  rejected: FieldLabels;
  /** The verdicts.csv read, or null when there is none beside the labels. */
  verdictsSource: string | null;
  /** Rejected detections kept as hard negatives (of recordings in `labels`). */
  hardNegatives: number;
}

export function readFieldLabels(path: string, roles: RecordingRoles): ReadFieldLabels {
  const labels = new Map<string, readonly CallSpan[]>();
  const ignored: ReadFieldLabels['ignored'] = [];
  for (const [recording, calls] of [...readLabelledRecordings(path).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const role = roleOf(recording, roles);
    if (role === 'field') labels.set(recording, calls);
    else ignored.push({ recording, reason: role ? `${role} recording: never used for training` : 'matches no field pattern' });
  }
  return withRejected(labels, ignored, path, path);
}

/**
 * Training labels of fully labelled recordings, with the detections a reviewer rejected in them: from the
 * verdicts.csv beside `labelsPath` (the file, or the folder, of the labels), only for recordings in `labels`,
 * since verdicts of a recording not marked fully reviewed (or not field data) do not train.
 */
export function withRejected(labels: FieldLabels, ignored: ReadFieldLabels['ignored'], source: string, labelsPath: string): ReadFieldLabels {
  const { rejected, verdictsSource } = readRejected(labelsPath, labels);
  return {
    labels,
    ignored,
    source,
    calls: [...labels.values()].reduce((n, c) => n + c.length, 0),
    rejected,
    verdictsSource,
    hardNegatives: [...rejected.values()].reduce((n, s) => n + s.length, 0),
  };
}

/** The rejected detections of `labels`' recordings in the verdicts.csv beside `labelsPath`; empty without one. */
function readRejected(labelsPath: string, labels: FieldLabels): { rejected: Map<string, CallSpan[]>; verdictsSource: string | null } {
  const verdictsPath = existsSync(labelsPath) && statSync(labelsPath).isDirectory() ? join(labelsPath, VERDICTS_FILE) : join(dirname(labelsPath), VERDICTS_FILE);
  const rejected = new Map<string, CallSpan[]>();
  if (!existsSync(verdictsPath)) return { rejected, verdictsSource: null };
  for (const v of readVerdictsCsv(verdictsPath)) {
    if (v.verdict !== 'reject' || !labels.has(v.recording)) continue;
    const spans = rejected.get(v.recording) ?? [];
    spans.push({ start_s: v.start_s, end_s: v.end_s });
    rejected.set(v.recording, spans);
  }
  for (const spans of rejected.values()) spans.sort((a, b) => a.start_s - b.start_s);
  return { rejected, verdictsSource: verdictsPath };
}
