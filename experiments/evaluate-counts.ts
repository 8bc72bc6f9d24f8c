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
import { DEFAULT_MATCH_TOLERANCE_SEC, evaluateCounts, type CountEvalReport } from '../lib/detect/countEval.ts';
import { DETECTIONS_FILE, readDetectionsCsv, readResultsCsv } from '../lib/report/results.ts';
import { writeJsonAtomic } from '../lib/util/atomic.ts';
import { dataOption, newCommand, outOption, parseNumber, runMain } from './cli.ts';

const COUNT_EVAL_FILE = 'count_eval.json';

const program = newCommand('evaluate-counts', 'Score per-recording call counts (and detections) against labels')
  .requiredOption('--results <file>', 'results.csv of a counting run (either layout)')
  .option('--labels <file>', 'labels_counts.csv (default: <data>/labels_counts.csv)')
  .option('--calls <file>', 'labels_calls.csv for event precision/recall (default: <data>/labels_calls.csv when --labels is not given)')
  .option('--detections <file>', `the run's ${DETECTIONS_FILE} (default: next to --results, when it exists)`)
  .addOption(dataOption())
  .option('--recordings <regex>', "only recordings whose name matches, e.g. 'recording_4[0-9]' for the team set's held-out recordings")
  .option('--tolerance <sec>', `a detection matches a call whose start is within this many seconds (default ${DEFAULT_MATCH_TOLERANCE_SEC})`, parseNumber('--tolerance'))
  .addOption(outOption('folder for count_eval.json (default: the folder of --results)'));

const f2 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(2));

function table(report: CountEvalReport): string {
  const width = Math.max(9, ...report.recordings.map((r) => r.recording.length));
  const withEvents = report.events !== undefined;
  const head = `${'recording'.padEnd(width)}  truth  pred  |err|${withEvents ? '   TP  FP  FN    F1' : ''}`;
  const lines = report.recordings.map((r) => {
    const pred = r.status === 'ok' ? String(r.predicted) : r.status;
    const ev = r.events ? ` ${String(r.events.tp).padStart(4)}${String(r.events.fp).padStart(4)}${String(r.events.fn).padStart(4)}${f2(r.events.f1).padStart(6)}` : '';
    return `${r.recording.padEnd(width)}  ${String(r.truth).padStart(5)}  ${pred.padStart(4)}  ${String(r.absError).padStart(5)}${ev}`;
  });
  const e = report.events;
  const summary = [
    `n=${report.n}  MAE ${f2(report.mae)}  RMSE ${f2(report.rmse)}  bias ${report.bias >= 0 ? '+' : ''}${f2(report.bias)}  exact ${(100 * report.exactRate).toFixed(1)}%`,
    e ? `events (±${e.toleranceSec} s): TP ${e.tp} FP ${e.fp} FN ${e.fn}  precision ${f2(e.precision)}  recall ${f2(e.recall)}  F1 ${f2(e.f1)}  mean start error ${f2(e.meanStartErrorSec)} s` : '',
    report.missing.length ? `missing from results (scored as 0): ${report.missing.join(', ')}` : '',
    report.undecodable.length ? `undecodable (scored as 0): ${report.undecodable.join(', ')}` : '',
    report.unlabelled.length ? `no label, ignored: ${report.unlabelled.length} recording(s)` : '',
  ].filter(Boolean);
  return [head, ...lines, '', ...summary].join('\n') + '\n';
}

await runMain(async () => {
  program.parse();
  const o = program.opts<{ results: string; labels?: string; calls?: string; detections?: string; data?: string; recordings?: string; tolerance?: number; out?: string }>();
  const labelsPath = o.labels ?? join(resolveDataDir(o.data), 'labels_counts.csv');
  const defaultCalls = o.labels ? undefined : join(resolveDataDir(o.data), 'labels_calls.csv');
  const callsPath = o.calls ?? (defaultCalls && existsSync(defaultCalls) ? defaultCalls : undefined);
  const siblingDetections = join(dirname(resolve(o.results)), DETECTIONS_FILE);
  const detectionsPath = o.detections ?? (existsSync(siblingDetections) ? siblingDetections : undefined);
  if (o.tolerance !== undefined && !(o.tolerance >= 0)) throw new Error(`--tolerance must be ≥ 0 seconds, got ${o.tolerance}`);
  let keep: (name: string) => boolean = () => true;
  if (o.recordings !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(o.recordings);
    } catch (err) {
      throw new Error(`--recordings '${o.recordings}' is not a valid regular expression: ${(err as Error).message}`);
    }
    keep = (name) => re.test(name);
  }

  const results = readResultsCsv(o.results).rows.filter((r) => keep(r.recording));
  const labels = readResultsCsv(labelsPath).rows.filter((r) => keep(r.recording));
  if (!labels.length) throw new Error(`no labelled recording${o.recordings ? ` matches --recordings '${o.recordings}'` : ''} in ${labelsPath}`);
  const labelsCounts = labels.map((r) => {
    if (r.count === null) throw new Error(`${labelsPath}: ${r.recording} has no count. Fix: labels must give every recording a number.`);
    return { recording: r.recording, capuchin_calls: r.count };
  });
  const calls = callsPath ? readDetectionsCsv(callsPath).filter((c) => keep(c.recording)) : undefined;
  const detections = detectionsPath ? readDetectionsCsv(detectionsPath).filter((d) => keep(d.recording)) : undefined;
  const report = evaluateCounts(results, labelsCounts, calls, detections, { toleranceSec: o.tolerance });

  const outDir = o.out ?? dirname(resolve(o.results));
  const outPath = join(outDir, COUNT_EVAL_FILE);
  writeJsonAtomic(outPath, {
    inputs: { results: resolve(o.results), labels: resolve(labelsPath), calls: callsPath ? resolve(callsPath) : null, detections: detectionsPath ? resolve(detectionsPath) : null, recordings: o.recordings ?? null },
    ...report,
  });
  process.stdout.write(table(report));
  if (!report.events && !(callsPath && detectionsPath)) process.stdout.write('(no event scores: pass --calls and --detections)\n');
  process.stderr.write(`labels ${labelsPath}; calls ${callsPath ?? '(none)'}; detections ${detectionsPath ?? '(none)'}\nwrote ${outPath}\n`);
});
