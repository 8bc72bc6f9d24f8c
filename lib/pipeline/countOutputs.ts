/**
 * The file set of one counting run: results.csv, detections.csv, errors.csv, warnings.csv, detector_config.json
 * and the Raven tables (the one place that owns these names together). Each file's format lives with
 * its record type in lib/records.
 */
import { join } from 'node:path';
import type { DetectorConfig } from '../detect/config.ts';
import type { DetectedEvent } from '../detect/events.ts';
import { detectionRowsFromEvents, DETECTIONS_FILE, writeDetectionsCsv } from '../records/detections.ts';
import { ERRORS_FILE, writeErrorsCsv } from '../records/errors.ts';
import { WARNINGS_FILE, writeWarningsCsv } from '../records/warnings.ts';
import { ravenFileNames, writeRavenTable, type RavenOptions } from '../records/raven.ts';
import { RESULTS_FILE, resultRowsForFolder, writeResultsCsv, type ResultsFormat } from '../records/results.ts';
import { assertUnique } from '../records/csv.ts';
import { writeJsonAtomic } from '../util/atomic.ts';

export const DETECTOR_CONFIG_FILE = 'detector_config.json';
export const RAVEN_DIR = 'raven';

export interface RecordingOutcome {
  /** File name with extension. */
  recording: string;
  /** null when the file failed (then `error` says why). */
  count: number | null;
  events: readonly DetectedEvent[];
  error?: string;
  warnings?: readonly string[];
}

export interface CountOutputOptions {
  outDir: string;
  /** Every audio file the run was given (names or paths): results.csv gets one row for each. */
  audioFiles: readonly string[];
  outcomes: readonly RecordingOutcome[];
  detector: DetectorConfig;
  format?: ResultsFormat;
  /** Write raven/<stem>.capuchin.selection.table.txt per decoded recording (default true). */
  raven?: boolean | RavenOptions;
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
  writeResultsCsv(out(RESULTS_FILE), resultRowsForFolder(opts.audioFiles, counts), opts.format);
  writeDetectionsCsv(out(DETECTIONS_FILE), outcomes.flatMap((o) => detectionRowsFromEvents(o.recording, o.events)));
  writeErrorsCsv(
    out(ERRORS_FILE),
    outcomes.filter((o) => o.count === null).map((o) => ({ recording: o.recording, error: o.error ?? 'unknown error' })),
  );
  writeWarningsCsv(out(WARNINGS_FILE), outcomes.flatMap((o) => (o.warnings ?? []).map((warning) => ({ recording: o.recording, warning }))));
  writeJsonAtomic(out(DETECTOR_CONFIG_FILE), opts.detector);
  if (opts.raven !== false) {
    const ravenOpts = typeof opts.raven === 'object' ? opts.raven : {};
    const names = ravenFileNames(outcomes.filter((o) => o.count !== null).map((o) => o.recording));
    for (const o of outcomes)
      if (o.count !== null) {
        const selections = o.events.map((e) => ({ begin_s: e.start_s, end_s: e.end_s, score: e.peak_score }));
        written.push(writeRavenTable(join(outDir, RAVEN_DIR), o.recording, selections, { ...ravenOpts, fileName: names.get(o.recording) }));
      }
  }
  return written;
}
