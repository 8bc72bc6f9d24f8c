/**
 * Out-of-fold window predictions of annotated recordings: when a run has no clips, its classifier metrics
 * (ROC, PR, F1, the confusion matrix) are those of the windows of the out-of-fold score tracks, each labelled by
 * the rule that labelled the training windows (lib/data/field.ts): with presence labelling a positive holds at
 * least minCoverage of a call (of the window, when the call is longer) and a negative is at least clearSec from
 * every call; with onset labelling a positive is centred within onsetSec of a call's start and a negative at
 * least clearSec from every start. The windows in between are left out. The group of a window is its recording, so intervals resample recordings.
 */
import { coverageNeeded, type FieldLabels, type FieldWindowOptions } from '../data/field.ts';
import type { OofPrediction, OofTrack } from '../model/crossValidate.ts';
import type { CallSpan } from '../records/labels.ts';

/** The label of the window [t, t + windowSec] among `calls`: 1, 0, or null (neither). */
export function windowLabel(t: number, calls: readonly CallSpan[], opts: FieldWindowOptions): 0 | 1 | null {
  if (opts.labelling === 'onset') {
    // the window's centre near a call's start: positive; far from every start: negative
    const distance = Math.min(...calls.map((c) => Math.abs(t + opts.windowSec / 2 - c.start_s)));
    return distance <= opts.onsetSec + 1e-9 ? 1 : distance >= opts.clearSec - 1e-9 ? 0 : null;
  }
  const end = t + opts.windowSec;
  let clear = true;
  for (const c of calls) {
    const overlap = Math.min(end, c.end_s) - Math.max(t, c.start_s);
    if (overlap >= coverageNeeded(c.end_s - c.start_s, opts) - 1e-9) return 1;
    if (!(end <= c.start_s - opts.clearSec + 1e-9 || t >= c.end_s + opts.clearSec - 1e-9)) clear = false;
  }
  return clear ? 0 : null;
}

/**
 * Every labelled window of every track, as out-of-fold predictions (file: `fileOf(recording)`); window i starts at
 * i·hopSec − leadSec (tracks scored with silence around the recording).
 */
export function trackWindowPredictions(tracks: readonly OofTrack[], labels: FieldLabels, opts: FieldWindowOptions & { leadSec?: number }, fileOf: (recording: string) => string): OofPrediction[] {
  const out: OofPrediction[] = [];
  for (const track of tracks) {
    const calls = labels.get(track.recording);
    if (!calls) continue;
    const file = fileOf(track.recording);
    track.scores.forEach((score, i) => {
      const start_s = Math.round((i * track.hopSec - (opts.leadSec ?? 0)) * 1000) / 1000;
      const label = windowLabel(start_s, calls, opts);
      if (label !== null) out.push({ file, group: track.recording, label, score, fold: track.fold, start_s: Math.max(0, start_s) });
    });
  }
  return out;
}
