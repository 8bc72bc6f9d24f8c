/**
 * Activity over time from a counting run: recordings.csv (site, start time, effort) and detections.csv
 * binned per site, local date and hour into activity_hourly.csv, activity_daily.csv and activity.html.
 * Run at the end of `count` (into its set) and by `npm run activity` on a finished run folder.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DETECTIONS_FILE, readDetectionsCsv, type DetectionRow } from '../records/detections.ts';
import { RECORDINGS_FILE, readRecordingsCsv, type RecordingRow } from '../records/recordings.ts';
import { writeActivityCsvs } from '../records/activity.ts';
import { binActivity, type Activity } from '../report/activityBins.ts';
import { writeActivityHtml } from '../report/activityPage.ts';
import { readCompleteSet } from '../util/outputSet.ts';

export const ACTIVITY_HTML_FILE = 'activity.html';

/** Bin a run's calls; `null` when no recording has a known start time (nothing to put on a clock). */
export function activityOf(recordings: readonly RecordingRow[], detections: readonly DetectionRow[]): Activity | null {
  const starts = new Map<string, number[]>();
  for (const d of detections) {
    const list = starts.get(d.recording);
    if (list) list.push(d.start_s);
    else starts.set(d.recording, [d.start_s]);
  }
  const activity = binActivity(recordings, starts);
  return activity.timed > 0 ? activity : null;
}

/** Write the activity files into `dir`; returns their paths. */
export function writeActivity(dir: string, activity: Activity, title?: string): string[] {
  const written = writeActivityCsvs(dir, activity.hours, activity.days);
  const page = join(dir, ACTIVITY_HTML_FILE);
  writeActivityHtml(page, activity, { title });
  return [...written, page];
}

/** The recordings and detections of a finished count (or merge) folder; a torn or hand-edited set is refused. */
export function readRunForActivity(runDir: string): { recordings: RecordingRow[]; detections: DetectionRow[] } {
  const dir = resolve(runDir);
  if (!existsSync(dir)) throw new Error(`capuchin: ${dir} does not exist. Fix: pass --detections DIR, the output folder of \`npm run count\`.`);
  readCompleteSet(dir, 'activity');
  for (const name of [RECORDINGS_FILE, DETECTIONS_FILE])
    if (!existsSync(join(dir, name)))
      throw new Error(`capuchin: ${dir} has no ${name}. Fix: pass the output folder of \`npm run count\` (runs before this version wrote no ${RECORDINGS_FILE}: count again).`);
  return { recordings: readRecordingsCsv(join(dir, RECORDINGS_FILE)), detections: readDetectionsCsv(join(dir, DETECTIONS_FILE)) };
}
