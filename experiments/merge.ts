/**
 * `npm run merge -- --out DIR [--folder DIR [--recursive]] SHARD_DIR...`
 * Joins the results.csv / detections.csv / recordings.csv / errors.csv / detector_config.json / raven tables of
 * shard runs (each processed every n-th file) into one sorted set; fails on duplicates and conflicts.
 */
import { AUDACITY_SUFFIX } from '../lib/records/audacity.ts';
import { resolve } from 'node:path';
import { recordingIdOf, scanAudioFolder } from '../lib/audio/listing.ts';
import { activityOf, writeActivity } from '../lib/pipeline/activity.ts';
import { withOutputSet } from '../lib/util/outputSet.ts';
import { mergeShards, readShard, writeMergedRun } from '../lib/pipeline/mergeShards.ts';
import { mergeReviews } from '../lib/pipeline/mergeReviews.ts';
import { newCommand, outOption, runMain, writingInto } from './cli.ts';

const program = newCommand('merge', 'Merge the outputs of sharded counting runs into one set')
  .argument('<shard-dirs...>', 'output folders of the shard runs (each holds results.csv)')
  .addOption(outOption('folder for the merged results.csv, detections.csv, errors.csv, detector_config.json, raven/').makeOptionMandatory())
  .option('--folder <dir>', 'the audio folder the shards were run on: fail unless every file in it was processed exactly once')
  .option('--recursive', 'with --folder: the shards counted its subfolders too (count --recursive)', false)
  .option('--no-activity', 'skip activity_hourly.csv, activity_daily.csv and activity.html')
  .option('--no-review', "skip joining the shards' review.html into one");

await runMain(async () => {
  program.parse();
  const o = program.opts<{ out: string; folder?: string; recursive: boolean; activity: boolean; review: boolean }>();
  const out = resolve(o.out);
  writingInto(out);
  for (const dir of program.args)
    if (resolve(dir) === out) throw new Error(`--out ${o.out} is one of the shard folders being merged; writing there would replace it. Fix: pass a new --out folder.`);
  const shards = program.args.map(readShard);
  const scan = o.folder ? scanAudioFolder(o.folder, { recursive: o.recursive }) : undefined;
  const merged = mergeShards(shards, { folderRecordings: scan ? [...scan.files, ...scan.skipped.map((k) => k.file)].map((f) => recordingIdOf(scan.root, f)) : undefined });
  const activity = o.activity && merged.recordings && merged.detections ? activityOf(merged.recordings, merged.detections) : null;
  const written = await withOutputSet(out, 'merge', { formerMarker: 'results.csv' }, (set) =>
    [
      ...writeMergedRun(set.dir, merged),
      ...(activity ? writeActivity(set.dir, activity) : []),
      ...(o.review ? mergeReviews(shards.map((s) => s.dir), set.dir, set.target) : []),
    ].map((p) => set.finalPath(p)),
  );
  const calls = merged.results.reduce((a, r) => a + (r.count ?? 0), 0);
  const failed = merged.results.filter((r) => r.count === null).length;
  const tables = (prefix: string) => merged.ravenFiles.filter((f) => f.name.startsWith(prefix)).length;
  process.stdout.write(
    `merged ${shards.length} shard(s): ${merged.results.length} recording(s), ${calls} call(s), ${failed} failed → ${o.out}\n` +
      written.filter((p) => !p.includes('.selection.table.') && !p.endsWith(AUDACITY_SUFFIX) && !/[\\/]review[\\/]/.test(p)).map((p) => `  ${p}\n`).join('') +
      (merged.ravenFiles.length ? `  ${tables('raven/')} Raven table(s) in raven/, ${tables('audacity/')} Audacity label track(s) in audacity/\n` : ''),
  );
});
