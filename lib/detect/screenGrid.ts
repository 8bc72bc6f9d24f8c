/**
 * What screened counting (lib/detect/screen.ts) changes, for a grid of its two settings, from two score
 * tracks per recording: the exact one (every window on its own) and the screening one (every window's
 * screening score). The screened track of a setting is the exact score where the rule asks for it and the
 * screening score elsewhere, as the counter computes it (except that the counter also scores the last
 * windows of a recording exactly). Counts and call starts come from the detector's own event pipeline.
 */
import type { DetectorConfig } from './config.ts';
import { scoreTrackToEvents } from './events.ts';

export interface ScreenTracks {
  recording: string;
  durationSec: number;
  exact: Float32Array;
  screening: Float32Array;
}

export interface ScreenGridRow {
  below: number;
  radius: number;
  recordings: number;
  /** Share of windows the rule scores exactly. */
  exactShare: number;
  /** Recordings whose count differs from the exact track's. */
  countsDiffer: number;
  /** Largest shift of a call's start between the two tracks' events (recordings with equal counts). */
  maxStartShiftSec: number;
  /** Largest |screened − exact| of any window. */
  maxScoreDiff: number;
}

/** The screened track for one setting, and how many of its windows were scored exactly. */
export function screenedTrack(t: Pick<ScreenTracks, 'exact' | 'screening'>, below: number, radius: number): { scores: Float32Array; exactWindows: number } {
  const n = t.exact.length;
  if (t.screening.length !== n) throw new RangeError(`screenedTrack: ${t.screening.length} screening scores for ${n} windows`);
  const scores = new Float32Array(n);
  let exactWindows = 0;
  for (let i = 0; i < n; i++) {
    let exact = false;
    for (let j = Math.max(0, i - radius); j <= Math.min(n - 1, i + radius) && !exact; j++) exact = t.screening[j] >= below;
    scores[i] = exact ? t.exact[i] : t.screening[i];
    if (exact) exactWindows++;
  }
  return { scores, exactWindows };
}

export function screenGrid(tracks: readonly ScreenTracks[], detector: DetectorConfig, belows: readonly number[], radii: readonly number[]): ScreenGridRow[] {
  const rows: ScreenGridRow[] = [];
  const events = (scores: Float32Array, durationSec: number) => scoreTrackToEvents(scores, detector, { durationSec });
  const exactEvents = tracks.map((t) => events(t.exact, t.durationSec));
  for (const below of belows) {
    for (const radius of radii) {
      let windows = 0;
      let exactWindows = 0;
      let countsDiffer = 0;
      let maxStartShiftSec = 0;
      let maxScoreDiff = 0;
      tracks.forEach((t, k) => {
        const s = screenedTrack(t, below, radius);
        windows += t.exact.length;
        exactWindows += s.exactWindows;
        for (let i = 0; i < t.exact.length; i++) maxScoreDiff = Math.max(maxScoreDiff, Math.abs(s.scores[i] - t.exact[i]));
        const mine = events(s.scores, t.durationSec);
        if (mine.length !== exactEvents[k].length) countsDiffer++;
        else mine.forEach((e, i) => (maxStartShiftSec = Math.max(maxStartShiftSec, Math.abs(e.start_s - exactEvents[k][i].start_s))));
      });
      rows.push({ below, radius, recordings: tracks.length, exactShare: windows ? exactWindows / windows : 0, countsDiffer, maxStartShiftSec, maxScoreDiff });
    }
  }
  return rows;
}
