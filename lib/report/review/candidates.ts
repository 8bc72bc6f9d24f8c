/**
 * Possible missed calls for the review queue: stretches of windows that scored high but formed no
 * event (below the on threshold, or too short to count), so a reviewer can check them after the
 * uncertain detections.
 */
import type { ReviewCandidate, ReviewEvent } from './types.ts';

export interface CandidateOptions {
  hopSec: number;
  windowSec: number;
  /** Window i starts at i·hopSec − leadSec (default 0). */
  leadSec?: number;
  /** A window at or above this score may be a call (the detector's off threshold). */
  level: number;
  /** At most this many per recording, the highest kept (default 20). */
  max?: number;
}

/**
 * The peak window of each run of consecutive windows scoring ≥ level that touches no event (a run with a
 * window overlapping an event is that event's). Window i covers [i·hopSec − leadSec, … + windowSec];
 * `time_s` is the peak window's start.
 */
export function reviewCandidates(scores: ArrayLike<number>, events: readonly Pick<ReviewEvent, 'start_s' | 'end_s'>[], opts: CandidateOptions): ReviewCandidate[] {
  const startOf = (i: number) => i * opts.hopSec - (opts.leadSec ?? 0);
  const overlaps = (i: number) => {
    const a = startOf(i);
    const b = a + opts.windowSec;
    return events.some((e) => a < e.end_s && b > e.start_s);
  };
  const out: ReviewCandidate[] = [];
  let best = -1;
  let touches = false;
  const close = () => {
    if (best >= 0 && !touches) out.push({ time_s: Number(startOf(best).toFixed(3)), score: Number(Number(scores[best]).toFixed(4)) });
    best = -1;
    touches = false;
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s >= opts.level) {
      if (best < 0 || s > scores[best]) best = i;
      touches ||= overlaps(i);
    } else close();
  }
  close();
  return out.sort((a, b) => b.score - a.score || a.time_s - b.time_s).slice(0, opts.max ?? 20);
}
