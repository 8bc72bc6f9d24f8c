/**
 * Join the outputs of a counting run split into shards (each shard processed every n-th file)
 * into one sorted set, refusing anything that does not add up:
 *   - a recording processed by two shards (duplicate), whatever its values;
 *   - results.csv layouts that differ, or detector_config.json files that differ;
 *   - detections.csv / errors.csv / detector_config.json present in some shards but not others;
 *   - a recording whose detection rows do not match its count, or an error row for a recording
 *     that has a count (conflict inside a shard);
 *   - with `folder`: a folder file no shard processed, or a shard file not in the folder.
 * A row with an empty count and no errors.csv entry in its shard counts as "not processed by
 * this shard", so shards may list every file of the folder or only their own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RAVEN_SUFFIX } from '../records/raven.ts';
import { DETECTIONS_FILE, readDetectionsCsv, writeDetectionsCsv, type DetectionRow } from '../records/detections.ts';
import { ERRORS_FILE, readErrorsCsv, writeErrorsCsv, type ErrorRow } from '../records/errors.ts';
import { RECORDINGS_FILE, readRecordingsCsv, writeRecordingsCsv, type RecordingRow } from '../records/recordings.ts';
import { WARNINGS_FILE, readWarningsCsv, writeWarningsCsv, type WarningRow } from '../records/warnings.ts';
import { readCompleteSet } from '../util/outputSet.ts';
import { RESULTS_FILE, readResultsCsv, resultRowsForFolder, writeResultsCsv, type ResultRow, type ResultsFormat } from '../records/results.ts';
import { AUDACITY_DIR, DETECTOR_CONFIG_FILE, RAVEN_DIR } from './countOutputs.ts';
import { AUDACITY_SUFFIX } from '../records/audacity.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';

export interface ShardRun {
  dir: string;
  format: ResultsFormat;
  results: ResultRow[];
  detections?: DetectionRow[];
  /** recordings.csv: site, start time and length of each recording the shard processed. */
  recordings?: RecordingRow[];
  errors?: ErrorRow[];
  warnings?: WarningRow[];
  detectorConfig?: unknown;
  /**
   * The per-recording tables, raven/ and audacity/: `name` relative to the run folder (`raven/x.capuchin.selection.table.txt`,
   * with the recordings' folders after a `--recursive` count), `path` in the shard.
   */
  ravenFiles: { name: string; path: string }[];
}

/** The joined shards: a shard run without its folder. */
export type MergedRun = Omit<ShardRun, 'dir'>;

/** Read one shard's output folder; a torn or hand-assembled set (no complete capuchin-run.json) is refused. */
export function readShard(dir: string): ShardRun {
  const d = resolve(dir);
  if (existsSync(d)) readCompleteSet(d, 'merge');
  const resultsPath = join(d, RESULTS_FILE);
  if (!existsSync(resultsPath))
    throw new Error(`capuchin: shard ${d} has no ${RESULTS_FILE}. Fix: pass the output folders of the shard runs (each holds ${RESULTS_FILE}).`);
  const { rows, format } = readResultsCsv(resultsPath);
  const opt = <T>(name: string, read: (p: string) => T) => (existsSync(join(d, name)) ? read(join(d, name)) : undefined);
  return {
    dir: d,
    format,
    results: rows,
    detections: opt(DETECTIONS_FILE, readDetectionsCsv),
    recordings: opt(RECORDINGS_FILE, readRecordingsCsv),
    errors: opt(ERRORS_FILE, readErrorsCsv),
    warnings: opt(WARNINGS_FILE, readWarningsCsv),
    detectorConfig: opt(DETECTOR_CONFIG_FILE, (p) => JSON.parse(readFileSync(p, 'utf8')) as unknown),
    ravenFiles: [...listTables(d, RAVEN_DIR, RAVEN_SUFFIX), ...listTables(d, AUDACITY_DIR, AUDACITY_SUFFIX)],
  };
}

/** The tables ending in `suffix` under `runDir/sub`, in subfolders too, sorted by name (relative to runDir). */
function listTables(runDir: string, sub: string, suffix: string): { name: string; path: string }[] {
  const dir = join(runDir, sub);
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith(suffix))
    .map((f) => ({ name: `${sub}/${f.split(sep).join('/')}`, path: join(dir, f) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function presentInAllOrNone(shards: readonly ShardRun[], name: string, has: (s: ShardRun) => boolean): boolean {
  const withIt = shards.filter(has);
  if (withIt.length && withIt.length < shards.length)
    throw new Error(
      `capuchin: ${name} is in ${withIt.map((s) => s.dir).join(', ')} but not in ${shards.filter((s) => !has(s)).map((s) => s.dir).join(', ')}. ` +
        'Fix: merge shards of the same run (all written by the same capuchin version and options).',
    );
  return withIt.length > 0;
}

export function mergeShards(shards: readonly ShardRun[], opts: { folderRecordings?: readonly string[] } = {}): MergedRun {
  if (!shards.length) throw new Error('capuchin: no shard folders given. Fix: pass at least one shard output folder.');
  const format = shards[0].format;
  for (const s of shards)
    if (s.format !== format) throw new Error(`capuchin: ${s.dir} writes the '${s.format}' results layout but ${shards[0].dir} writes '${format}'. Fix: rerun with the same --format.`);
  const hasDetections = presentInAllOrNone(shards, DETECTIONS_FILE, (s) => s.detections !== undefined);
  const hasErrors = presentInAllOrNone(shards, ERRORS_FILE, (s) => s.errors !== undefined);
  const hasRecordings = presentInAllOrNone(shards, RECORDINGS_FILE, (s) => s.recordings !== undefined);
  const hasConfig = presentInAllOrNone(shards, DETECTOR_CONFIG_FILE, (s) => s.detectorConfig !== undefined);
  if (hasConfig)
    for (const s of shards)
      if (!isDeepStrictEqual(s.detectorConfig, shards[0].detectorConfig))
        throw new Error(`capuchin: ${join(s.dir, DETECTOR_CONFIG_FILE)} differs from ${join(shards[0].dir, DETECTOR_CONFIG_FILE)}: the shards were run with different detector settings. Fix: rerun them with the same settings.`);

  const owner = new Map<string, string>();
  const results: ResultRow[] = [];
  const detections: DetectionRow[] = [];
  const recordings: RecordingRow[] = [];
  const errors: ErrorRow[] = [];
  const warnings: WarningRow[] = [];
  for (const s of shards) {
    const failed = new Map((s.errors ?? []).map((e) => [e.recording, e] as const));
    const perRecording = new Map<string, number>();
    for (const d of s.detections ?? []) perRecording.set(d.recording, (perRecording.get(d.recording) ?? 0) + 1);
    for (const r of s.results) {
      const processed = r.count !== null || failed.has(r.recording);
      if (!processed) continue;
      const first = owner.get(r.recording);
      if (first)
        throw new Error(`capuchin: ${r.recording} was processed by two shards, ${first} and ${s.dir}. Fix: each shard must process different files (use --shard i/n with the same n).`);
      owner.set(r.recording, s.dir);
      if (r.count !== null && failed.has(r.recording))
        throw new Error(`capuchin: ${s.dir}: ${r.recording} has a count (${r.count}) and an error row. Fix: rerun this shard.`);
      if (hasDetections && (r.count ?? 0) !== (perRecording.get(r.recording) ?? 0))
        throw new Error(`capuchin: ${s.dir}: ${r.recording} counts ${r.count ?? 'nothing'} but has ${perRecording.get(r.recording) ?? 0} detection row(s). Fix: rerun this shard.`);
      results.push(r);
    }
    for (const e of s.errors ?? []) if (!s.results.some((r) => r.recording === e.recording))
      throw new Error(`capuchin: ${s.dir}: ${ERRORS_FILE} lists ${e.recording}, which is not in its ${RESULTS_FILE}. Fix: rerun this shard.`);
    for (const d of s.detections ?? [])
      if (owner.get(d.recording) !== s.dir || !s.results.some((r) => r.recording === d.recording && r.count !== null))
        throw new Error(`capuchin: ${s.dir}: ${DETECTIONS_FILE} has calls for ${d.recording}, which this shard did not count. Fix: rerun this shard.`);
    for (const r of s.recordings ?? [])
      if (owner.get(r.recording) !== s.dir)
        throw new Error(`capuchin: ${s.dir}: ${RECORDINGS_FILE} lists ${r.recording}, which this shard did not process. Fix: rerun this shard.`);
    detections.push(...(s.detections ?? []));
    recordings.push(...(s.recordings ?? []));
    errors.push(...(s.errors ?? []));
    warnings.push(...(s.warnings ?? []));
  }

  let finalResults = results;
  if (opts.folderRecordings) {
    const names = [...opts.folderRecordings];
    const notProcessed = names.filter((n) => !owner.has(n));
    if (notProcessed.length)
      throw new Error(`capuchin: ${notProcessed.length} file(s) of the folder were processed by no shard: ${notProcessed.slice(0, 10).join(', ')}${notProcessed.length > 10 ? ', …' : ''}. Fix: run the missing shard(s), then merge again.`);
    const stray = [...owner.keys()].filter((n) => !names.includes(n));
    if (stray.length) throw new Error(`capuchin: the shards processed file(s) not in the folder: ${stray.join(', ')}. Fix: pass the folder the shards were run on.`);
    finalResults = resultRowsForFolder(names, new Map(results.map((r) => [r.recording, r.count] as const)));
  }

  const ravenFiles = shards.flatMap((s) => s.ravenFiles);
  const seen = new Map<string, string>();
  for (const f of ravenFiles) {
    const prev = seen.get(f.name);
    if (prev) throw new Error(`capuchin: ${f.name} is in two shards (${prev} and ${f.path}). Fix: each shard must process different files.`);
    seen.set(f.name, f.path);
  }
  return {
    format,
    results: finalResults,
    detections: hasDetections ? detections : undefined,
    recordings: hasRecordings ? recordings : undefined,
    errors: hasErrors ? errors : undefined,
    warnings: shards.some((s) => s.warnings !== undefined) ? warnings : undefined,
    detectorConfig: hasConfig ? shards[0].detectorConfig : undefined,
    ravenFiles,
  };
}

/** Write the merged set into outDir (same file names as a single run); returns the paths written. */
export function writeMergedRun(outDir: string, merged: MergedRun): string[] {
  const written: string[] = [];
  const out = (name: string) => (written.push(join(outDir, name)), join(outDir, name));
  writeResultsCsv(out(RESULTS_FILE), merged.results, merged.format);
  if (merged.detections) writeDetectionsCsv(out(DETECTIONS_FILE), merged.detections);
  if (merged.recordings) writeRecordingsCsv(out(RECORDINGS_FILE), merged.recordings);
  if (merged.errors) writeErrorsCsv(out(ERRORS_FILE), merged.errors);
  if (merged.warnings) writeWarningsCsv(out(WARNINGS_FILE), merged.warnings);
  if (merged.detectorConfig !== undefined) writeJsonAtomic(out(DETECTOR_CONFIG_FILE), merged.detectorConfig);
  if (merged.ravenFiles.length) {
    for (const f of merged.ravenFiles) writeFileAtomic(out(f.name), readFileSync(f.path));
  }
  return written;
}
