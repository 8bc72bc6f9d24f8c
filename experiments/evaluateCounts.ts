/**
 * `npm run evaluate-counts -- --results results.csv [--labels labels_counts.csv] [--calls labels_calls.csv]
 *    [--detections detections.csv] [--data DIR] [--recordings REGEX] [--tolerance SEC] [--out DIR]`
 * Compares a run's counts (and detections) with the labels, prints a table and writes count_eval.json.
 * Without --labels the data folder's labels_counts.csv (and labels_calls.csv) are used; without
 * --detections the results' sibling detections.csv is used when it exists.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveDataDir } from '../lib/data/paths.ts';
import { parseRecordingsPattern } from '../lib/data/roles.ts';
import { DEFAULT_MATCH_TOLERANCE_SEC, evaluateCounts, writeCountEval } from '../lib/evaluate/countEval.ts';
import { DETECTIONS_FILE, readDetectionsCsv } from '../lib/records/detections.ts';
import { readLabelFiles } from '../lib/records/labels.ts';
import { labelsDirFor } from '../lib/data/labels.ts';
import { readResultsCsv } from '../lib/records/results.ts';
import { MANIFEST_FILE, readCompleteSet } from '../lib/util/outputSet.ts';
import { countEvalTable } from '../lib/report/countEvalTable.ts';
import { dataOption, newCommand, outOption, parseNumber, runMain } from './cli.ts';

const program = newCommand('evaluate-counts', 'Score per-recording call counts (and detections) against labels')
  .requiredOption('--results <file>', 'results.csv of a counting run (either layout)')
  .option('--labels <file>', 'labels_counts.csv (default: <data>/labels_counts.csv, else data/labels/ for the Kaggle recordings)')
  .option('--calls <file>', 'labels_calls.csv for event precision/recall (default: <data>/labels_calls.csv when --labels is not given)')
  .option('--detections <file>', `the run's ${DETECTIONS_FILE} (default: next to --results, when it exists)`)
  .addOption(dataOption())
  .option('--recordings <regex>', "only recordings whose name matches, e.g. 'recording_4[0-9]' for the team set's held-out recordings")
  .option('--tolerance <sec>', `a detection matches a call whose start is within this many seconds (default ${DEFAULT_MATCH_TOLERANCE_SEC})`, parseNumber('--tolerance'))
  .addOption(outOption('folder for count_eval.json (default: the folder of --results)'));

await runMain(async () => {
  program.parse();
  const o = program.opts<{ results: string; labels?: string; calls?: string; detections?: string; data?: string; recordings?: string; tolerance?: number; out?: string }>();
  const dataDir = o.labels ? undefined : resolveDataDir(o.data);
  const labelsDir = dataDir && (labelsDirFor(dataDir) ?? dataDir);
  const labelsPath = o.labels ?? join(labelsDir!, 'labels_counts.csv');
  const defaultCalls = labelsDir && join(labelsDir, 'labels_calls.csv');
  const callsPath = o.calls ?? (defaultCalls && existsSync(defaultCalls) ? defaultCalls : undefined);
  // a results.csv from a capuchin run is read only when its set is whole (other tools' files have no manifest)
  if (existsSync(join(dirname(resolve(o.results)), MANIFEST_FILE))) readCompleteSet(dirname(resolve(o.results)), 'evaluate-counts');
  const siblingDetections = join(dirname(resolve(o.results)), DETECTIONS_FILE);
  const detectionsPath = o.detections ?? (existsSync(siblingDetections) ? siblingDetections : undefined);
  if (o.tolerance !== undefined && !(o.tolerance >= 0)) throw new Error(`--tolerance must be ≥ 0 seconds, got ${o.tolerance}`);
  let keep: (name: string) => boolean = () => true;
  if (o.recordings !== undefined) {
    const re = parseRecordingsPattern('--recordings', o.recordings);
    keep = (name) => re.test(name);
  }

  const results = readResultsCsv(o.results).rows.filter((r) => keep(r.recording));
  const labelFiles = readLabelFiles(labelsPath, callsPath);
  const labelsCounts = labelFiles.counts.filter((r) => keep(r.recording));
  if (!labelsCounts.length) throw new Error(`no labelled recording${o.recordings ? ` matches --recordings '${o.recordings}'` : ''} in ${labelsPath}`);
  const calls = labelFiles.calls?.filter((c) => keep(c.recording));
  const detections = detectionsPath ? readDetectionsCsv(detectionsPath).filter((d) => keep(d.recording)) : undefined;
  const report = evaluateCounts(results, labelsCounts, calls, detections, { toleranceSec: o.tolerance });

  const outDir = o.out ?? dirname(resolve(o.results));
  const [outPath] = writeCountEval(outDir, report, {
    results: resolve(o.results),
    labels: resolve(labelsPath),
    calls: callsPath ? resolve(callsPath) : null,
    detections: detectionsPath ? resolve(detectionsPath) : null,
    recordings: o.recordings ?? null,
  });
  process.stdout.write(countEvalTable(report));
  if (!report.events && !(callsPath && detectionsPath)) process.stdout.write('(no event scores: pass --calls and --detections)\n');
  process.stderr.write(`labels ${labelsPath}; calls ${callsPath ?? '(none)'}; detections ${detectionsPath ?? '(none)'}\nwrote ${outPath}\n`);
});
