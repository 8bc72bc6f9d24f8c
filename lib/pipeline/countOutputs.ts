/**
 * The file set of one counting run: results.csv, detections.csv, recordings.csv, errors.csv, warnings.csv, detector_config.json,
 * the Raven tables and the Audacity label tracks (the one place that owns these names together). Each file's format lives with
 * its record type in lib/records.
 */
import { join } from 'node:path';
import type { DetectorConfig } from '../detect/config.ts';
import type { DetectedEvent } from '../detect/events.ts';
import { timeAt, type RecordingInfo } from '../audio/recordingInfo.ts';
import { isoAt } from '../audio/recordingTime.ts';
import { detectionRowsFromEvents, DETECTIONS_FILE, writeDetectionsCsv, type DetectionRow } from '../records/detections.ts';
import { RECORDINGS_FILE, writeRecordingsCsv, type RecordingRow } from '../records/recordings.ts';
import { ERRORS_FILE, writeErrorsCsv } from '../records/errors.ts';
import { WARNINGS_FILE, writeWarningsCsv } from '../records/warnings.ts';
import { ravenFileNames, writeRavenTable, type RavenOptions } from '../records/raven.ts';
import { audacityFileName, writeAudacityLabels } from '../records/audacity.ts';
import { CAPUCHINBIRD_TARGET, type Target } from '../records/target.ts';
import { RESULTS_FILE, resultRowsForFolder, writeResultsCsv, type ResultsFormat } from '../records/results.ts';
import { assertUnique } from '../records/csv.ts';
import { writeJsonAtomic } from '../util/atomic.ts';

export const DETECTOR_CONFIG_FILE = 'detector_config.json';
export const RAVEN_DIR = 'raven';
export const AUDACITY_DIR = 'audacity';

export interface RecordingOutcome {
  /** File name with extension. */
  recording: string;
  /** null when the file failed (then `error` says why). */
  count: number | null;
  events: readonly DetectedEvent[];
  error?: string;
  warnings?: readonly string[];
  /** The decoded audio's length (recording effort in recordings.csv). */
  scored?: { readonly durationSec: number };
}

export interface CountOutputOptions {
  outDir: string;
  /** The id of every recording the run was given (RecordingResult.recording): results.csv gets one row for each. */
  recordings: readonly string[];
  outcomes: readonly RecordingOutcome[];
  detector: DetectorConfig;
  /** Site and start time per recording id (detections.csv start_time and site, recordings.csv); none: empty cells. */
  info?: ReadonlyMap<string, RecordingInfo>;
  format?: ResultsFormat;
  /** What was counted: Raven boxes at its band, Audacity labels named after it (default: the Capuchinbird). */
  target?: Pick<Target, 'name' | 'lowHz' | 'highHz'>;
  /**
   * Write raven/<stem>.capuchin.selection.table.txt and audacity/<stem>.capuchin.labels.txt per decoded recording
   * (default true).
   */
  raven?: boolean | RavenOptions;
}

/** detections.csv rows of a run: each call with its absolute start time and site when known. */
export function detectionRows(outcomes: readonly RecordingOutcome[], info?: ReadonlyMap<string, RecordingInfo>): DetectionRow[] {
  return outcomes.flatMap((o) => detectionRowsFromEvents(o.recording, o.events, { site: info?.get(o.recording)?.site ?? '', timeAt: timeAt(info?.get(o.recording)) }));
}

/** recordings.csv rows of a run: site, start time, decoded length (effort) and count of every recording. */
export function recordingRows(outcomes: readonly RecordingOutcome[], info?: ReadonlyMap<string, RecordingInfo>): RecordingRow[] {
  return outcomes.map((o) => {
    const i = info?.get(o.recording);
    return {
      recording: o.recording,
      site: i?.site ?? '',
      start_time: i?.start ? isoAt(i.start) : '',
      time_source: i?.start?.source ?? '',
      duration_s: o.count === null ? null : (o.scored?.durationSec ?? null),
      count: o.count,
    };
  });
}

/** Write the run's files into outDir. Returns the paths written. */
export function writeCountOutputs(opts: CountOutputOptions): string[] {
  const { outDir, outcomes } = opts;
  assertUnique(outcomes.map((o) => o.recording), 'the run outcomes');
  const counts = new Map(outcomes.map((o) => [o.recording, o.count] as const));
  const written: string[] = [];
  const out = (name: string) => {
    const p = join(outDir, name);
    written.push(p);
    return p;
  };
  writeResultsCsv(out(RESULTS_FILE), resultRowsForFolder(opts.recordings, counts), opts.format);
  writeDetectionsCsv(out(DETECTIONS_FILE), detectionRows(outcomes, opts.info));
  writeRecordingsCsv(out(RECORDINGS_FILE), recordingRows(outcomes, opts.info));
  writeErrorsCsv(
    out(ERRORS_FILE),
    outcomes.filter((o) => o.count === null).map((o) => ({ recording: o.recording, error: o.error ?? 'unknown error' })),
  );
  writeWarningsCsv(out(WARNINGS_FILE), outcomes.flatMap((o) => (o.warnings ?? []).map((warning) => ({ recording: o.recording, warning }))));
  writeJsonAtomic(out(DETECTOR_CONFIG_FILE), opts.detector);
  if (opts.raven !== false) {
    const target = opts.target ?? CAPUCHINBIRD_TARGET;
    const ravenOpts = { lowHz: target.lowHz, highHz: target.highHz, ...(typeof opts.raven === 'object' ? opts.raven : {}) };
    const names = ravenFileNames(outcomes.filter((o) => o.count !== null).map((o) => o.recording));
    for (const o of outcomes)
      if (o.count !== null) {
        const selections = o.events.map((e) => ({ begin_s: e.start_s, end_s: e.end_s, score: e.peak_score }));
        const ravenName = names.get(o.recording)!;
        written.push(writeRavenTable(join(outDir, RAVEN_DIR), o.recording, selections, { ...ravenOpts, fileName: ravenName }));
        // the label is the class alone, so the track reads back as annotations (scores are in detections.csv and the Raven table)
        const labels = o.events.map((e) => ({ start_s: e.start_s, end_s: e.end_s, text: target.name, lowHz: ravenOpts.lowHz, highHz: ravenOpts.highHz }));
        written.push(writeAudacityLabels(join(outDir, AUDACITY_DIR), o.recording, labels, audacityFileName(ravenName)));
      }
  }
  return written;
}
