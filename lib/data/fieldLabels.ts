/**
 * The `--field-labels` file (labels_calls.csv layout, lib/records/labels.ts readLabelledRecordings):
 * its field recordings' calls train in the `field` configuration. Only recordings in the field role
 * are ever used: the others are returned in `ignored` with the reason, so a held-out or evaluation
 * recording can never become training data.
 */
import { readLabelledRecordings, type CallSpan } from '../records/labels.ts';
import type { FieldLabels } from './field.ts';
import { roleOf, type RecordingRoles } from './recordings.ts';

export interface ReadFieldLabels {
  labels: FieldLabels;
  /** Recordings named in the file but not in the field role, and why they are not used. */
  ignored: { recording: string; reason: string }[];
  source: string;
  calls: number;
}

export function readFieldLabels(path: string, roles: RecordingRoles): ReadFieldLabels {
  const labels = new Map<string, readonly CallSpan[]>();
  const ignored: ReadFieldLabels['ignored'] = [];
  for (const [recording, calls] of [...readLabelledRecordings(path).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const role = roleOf(recording, roles);
    if (role === 'field') labels.set(recording, calls);
    else ignored.push({ recording, reason: role ? `${role} recording: never used for training` : 'matches no field pattern' });
  }
  return { labels, ignored, source: path, calls: [...labels.values()].reduce((n, c) => n + c.length, 0) };
}
