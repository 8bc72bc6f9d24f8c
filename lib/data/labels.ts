/**
 * Which labels go with a data folder: its own labels_counts.csv / labels_calls.csv, else the project's labels of
 * the Kaggle forest recordings 00–49 (data/labels/) for a folder that holds those recordings.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS_CALLS_FILE, LABELS_COUNTS_FILE, readCountLabels, type CountLabels } from '../records/labels.ts';
import { FOREST_DIR, KAGGLE_LABELS_DIR } from './paths.ts';

/**
 * The folder whose labels_counts.csv (and labels_calls.csv) label the recordings of `dataDir`: the data folder's
 * own when it has them (a user's labels win), else the project's labels of the Kaggle recordings 00–49 when the
 * data folder's 'Forest Recordings/' holds any recording they name, else null.
 */
export function labelsDirFor(dataDir: string, kaggleLabels = KAGGLE_LABELS_DIR): string | null {
  if (existsSync(join(dataDir, LABELS_COUNTS_FILE))) return dataDir;
  const known = readCountLabels(kaggleLabels);
  return known?.counts.some((c) => existsSync(join(dataDir, FOREST_DIR, c.recording))) ? kaggleLabels : null;
}

/** The labels_calls.csv that labels `dataDir`'s recordings (labelsDirFor), or null when there is none. */
export function findCallLabelsFile(dataDir: string, kaggleLabels = KAGGLE_LABELS_DIR): string | null {
  const dir = labelsDirFor(dataDir, kaggleLabels);
  return dir && existsSync(join(dir, LABELS_CALLS_FILE)) ? join(dir, LABELS_CALLS_FILE) : null;
}

/** The count (and call) labels of `dataDir`'s recordings (labelsDirFor), or null when none are known. */
export function findCountLabels(dataDir: string, kaggleLabels = KAGGLE_LABELS_DIR): CountLabels | null {
  const dir = labelsDirFor(dataDir, kaggleLabels);
  return dir ? readCountLabels(dir) : null;
}
