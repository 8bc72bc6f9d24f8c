/**
 * `npm run count -- [--model MODEL_DIR] [--data "DIR/Forest Recordings"] [--out DIR] [--format calls|original|contest]
 *    [--shard i/n] [--detector FILE.json] [--hop SEC] [--no-screen] [--workers N] [--no-review] [--resume]
 *    [--recursive] [--time-pattern PATTERN] [--utc-offset ±HH:MM] [--site NAME | --site-pattern REGEX] [--no-activity]`
 * Counts the model's target's calls (the Capuchinbird for the shipped model) in every recording of a folder (and its subfolders with --recursive) and writes
 * results.csv (one row per audio file, zeros included), detections.csv (with each call's time and site when
 * known), recordings.csv, errors.csv, Raven tables, review.html, and the activity over time when start times are known.
 * Without --model it counts with the shipped model (models/default) and its tuned detector.
 * Exit status: 0 every file counted; 3 some files failed (listed in errors.csv, the rest counted);
 * 1 nothing counted, or a configuration error found before the first file (model, detector, --out).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Option } from 'commander';
import { BACKEND_NAMES } from '../lib/model/backend/select.ts';
import { parseShard } from '../lib/detect/countRecordings.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, defaultOutDir, resolveDataDir } from '../lib/data/paths.ts';
import { runCount } from '../lib/pipeline/count.ts';
import { compileTimePattern, parseUtcOffset } from '../lib/audio/recordingTime.ts';
import { parseRecordingsPattern } from '../lib/data/roles.ts';
import { RESULTS_FORMATS, type ResultsFormat } from '../lib/records/results.ts';
import { dataOption, newCommand, outOption, parseNumber, parsePositiveInt, recordingRoleOptions, resolveRoles, runMain, writingInto, type RoleFlags } from './cli.ts';

const program = newCommand('count', "Count calls in long recordings with a trained model (the shipped one counts the Capuchinbird)")
  .option('--model <dir>', 'model folder written by `npm run experiment` (<out>/model); default: the shipped models/default', DEFAULT_MODEL_DIR)
  .addOption(dataOption().default(undefined, `$CAPUCHIN_DATA/'${FOREST_DIR}', else the embedded sample's`))
  .addOption(outOption('output folder (default artifacts/count/<timestamp>/)'))
  .addOption(new Option('--format <layout>', "results.csv layout: 'calls' (recording,calls), 'original' (recording,capuchin_calls) or 'contest' (clip_name,call_count); default: 'original' for a Capuchinbird model, 'calls' for any other target").choices(RESULTS_FORMATS))
  .option('--shard <i/n>', 'process only every n-th file starting at i (0-based), for batch schedulers; join shards with `npm run merge`')
  .option('--detector <file>', "detector config JSON over the model's own detector.json (see detector_config.json of a run)")
  .option('--hop <sec>', 'seconds between scored windows (default 0.5)', parseNumber('--hop'))
  .option('--no-screen', 'score every window on its own (slower; by default the convolutions run once over the recording and only windows near a possible call are scored on their own)')
  .option('--workers <n>', 'worker threads (default: CPU cores)', parsePositiveInt('--workers'))
  .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(BACKEND_NAMES))
  .option('--labels <dir>', 'folder with labels_counts.csv / labels_calls.csv to score the counts (default: the data root when it has them, else data/labels/ for the Kaggle recordings)')
  .option('--no-review', 'skip review.html and review/')
  .addOption(new Option('--review-audio <mode>', "how review.html plays calls: 'source' links the original files (nothing copied; keep the data where it is), 'clips' writes 16 kHz WAV clips of each call into review/ (a portable folder), 'none'").choices(['source', 'clips', 'none']).default('source'))
  .option('--resume', 'continue an interrupted run into the same --out: files it finished are not counted again', false)
  .option('--recursive', 'count the recordings in subfolders too; a recording is named by its path under --data (siteA/20240301_053000.WAV)', false)
  .option('--time-pattern <pattern>', "read start times from file names: strftime fields %Y %y %m %d %H %M %S %z, * for anything, e.g. 'rec-%Y-%m-%d_%H%M%S' (AudioMoth, Song Meter names and GUANO metadata are read without it)")
  .option('--utc-offset <offset>', 'the recorders\' fixed UTC offset (+05:30, -03:00) for times that carry none; AudioMoth names are UTC without it')
  .option('--site <name>', 'the site of every recording (default: its first subfolder, else the name of the --data folder)')
  .option('--site-pattern <regex>', "the site from the recording's path: the named group 'site' or the first group, e.g. '^([^/]+)/' or '^(?<site>[A-Z]+\\d+)_'")
  .option('--no-activity', 'skip activity_hourly.csv, activity_daily.csv and activity.html');
recordingRoleOptions(program);

/** A folder of recordings: --data may name the recordings folder itself or a Kaggle root holding it. */
function recordingsFolder(flag?: string): string {
  if (flag) return existsSync(join(flag, FOREST_DIR)) ? join(flag, FOREST_DIR) : flag;
  return join(resolveDataDir(undefined), FOREST_DIR);
}

await runMain(async () => {
  program.parse();
  const o = program.opts<{ model: string; data?: string; out?: string; format?: ResultsFormat; shard?: string; detector?: string; hop?: number; screen: boolean; workers?: number; backend?: string; labels?: string; review: boolean; reviewAudio: 'source' | 'clips' | 'none'; resume: boolean; recursive: boolean; timePattern?: string; utcOffset?: string; site?: string; sitePattern?: string; activity: boolean } & RoleFlags>();
  if (o.site !== undefined && o.sitePattern !== undefined) throw new Error('--site and --site-pattern both name the site. Fix: pass one of them.');
  if (o.resume && !o.out) throw new Error('--resume continues a run into its output folder. Fix: pass the same --out DIR as the interrupted run.');
  const recordingsDir = recordingsFolder(o.data);
  if (!existsSync(recordingsDir)) throw new Error(`recordings folder ${recordingsDir} does not exist. Fix: pass --data "DIR/${FOREST_DIR}"`);
  let detector: Record<string, unknown> = {};
  if (o.detector) {
    try {
      detector = JSON.parse(readFileSync(o.detector, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read detector config ${o.detector}: ${(err as Error).message}`);
    }
  }
  if (o.hop !== undefined) detector.hopSec = o.hop;
  if (!o.screen) detector.screenBelow = null;
  const labelsDir = o.labels ?? (basename(recordingsDir) === FOREST_DIR ? dirname(recordingsDir) : undefined);
  // shard runs of one array job start in the same second: the default folder names the shard
  const outDir = o.out ?? (o.shard ? `${defaultOutDir('count')}-shard-${o.shard.replace('/', '-of-')}` : defaultOutDir('count'));
  writingInto(outDir, true);
  const run = await runCount({
    modelDir: o.model,
    recordingsDir,
    outDir,
    dataDir: labelsDir,
    detector,
    format: o.format,
    shard: o.shard ? parseShard(o.shard) : undefined,
    concurrency: o.workers,
    backend: o.backend,
    review: o.review,
    reviewAudio: o.reviewAudio,
    resume: o.resume,
    recursive: o.recursive,
    activity: o.activity,
    recordingInfo: {
      timePattern: o.timePattern === undefined ? undefined : compileTimePattern(o.timePattern),
      utcOffsetMinutes: o.utcOffset === undefined ? undefined : parseUtcOffset(o.utcOffset),
      site: o.site,
      sitePattern: o.sitePattern === undefined ? undefined : parseRecordingsPattern('--site-pattern', o.sitePattern, '^([^/]+)/'),
    },
    roles: resolveRoles(o),
  });
  // 0: every file counted; 3: some files failed (listed in errors.csv); 1: none counted, or a configuration error
  const total = run.results.length;
  process.exitCode = run.failed === 0 ? 0 : run.failed === total ? 1 : 3;
  if (run.failed) process.stderr.write(`count: ${run.failed} of ${total} file(s) not counted (exit ${process.exitCode}); see ${join(run.outDir, 'errors.csv')}\n`);
});
