/** Counting accuracy as text: the per-recording table with its summary lines (printed by the CLIs). */
import type { CountEvalReport } from '../evaluate/countEval.ts';

const f2 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(2));

/** A fixed-width per-recording table with the summary lines. */
export function countEvalTable(report: CountEvalReport): string {
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
