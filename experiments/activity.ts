/**
 * `npm run activity -- --detections RUN_DIR [--out DIR]`
 * Calls per hour and per day per site, with recording effort, from a finished `count` (or `merge`)
 * folder: its recordings.csv (site, start time, length) and detections.csv. Writes activity_hourly.csv,
 * activity_daily.csv and activity.html (diel heat map, effort, daily calls) as one output set.
 * `count` writes the same files into its own folder when start times are known.
 * Exit status: 0 written; 1 an error (no such run, no start times known).
 */
import { basename, resolve } from 'node:path';
import { defaultOutDir } from '../lib/data/paths.ts';
import { activityOf, readRunForActivity, writeActivity } from '../lib/pipeline/activity.ts';
import { withOutputSet } from '../lib/util/outputSet.ts';
import { newCommand, outOption, runMain } from './cli.ts';

const program = newCommand('activity', 'Calls per hour and per day per site, with recording effort, from a counting run')
  .requiredOption('--detections <dir>', 'output folder of `npm run count` or `npm run merge` (holds recordings.csv and detections.csv)')
  .addOption(outOption('output folder (default artifacts/activity/<timestamp>/)'));

await runMain(async () => {
  program.parse();
  const o = program.opts<{ detections: string; out?: string }>();
  const run = readRunForActivity(o.detections);
  const activity = activityOf(run.recordings, run.detections);
  if (!activity)
    throw new Error(
      `no recording in ${o.detections} has a known start time (recordings.csv start_time is empty). Fix: count recordings named like AudioMoth (YYYYMMDD_HHMMSS.WAV) or Song Meter (PREFIX_YYYYMMDD_HHMMSS.wav), with GUANO metadata, or pass count --time-pattern.`,
    );
  const out = resolve(o.out ?? defaultOutDir('activity'));
  if (out === resolve(o.detections)) throw new Error(`--out ${o.out} is the counting run itself; writing there would break its set. Fix: pass a new --out folder.`);
  const written = await withOutputSet(out, 'activity', { formerMarker: 'activity_daily.csv' }, (set) => writeActivity(set.dir, activity, `Calls over time: ${basename(resolve(o.detections))}`).map((p) => set.finalPath(p)));
  const calls = activity.days.reduce((n, d) => n + d.calls, 0);
  const hours = activity.days.reduce((n, d) => n + d.effortSec, 0) / 3600;
  process.stdout.write(
    `activity: ${calls} calls in ${hours.toFixed(1)} h recorded, ${activity.sites.length} site(s), ${activity.days.length} site-day(s)` +
      (activity.untimed.recordings ? `; ${activity.untimed.recordings} recording(s) without a start time left out` : '') +
      `\n${written.map((p) => `  ${p}\n`).join('')}`,
  );
});
