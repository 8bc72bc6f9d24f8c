/** Small review indexes and states for the review app's tests (test-only). */
import type { ReviewIndex, ReviewIndexRecording } from '../../types.ts';
import { emptyRecording, type RecordingState } from '../state.ts';

/** A detection starting at `start_s`, `callSec` long, peaking 2 s in. */
export const reviewEvent = (start_s: number, peak_score: number, callSec = 4) => ({ start_s, end_s: start_s + callSec, peak_s: start_s + 2, peak_score });

/** A review index of these recordings, with a 3 s / 0.5 s mean-smoothed detector. */
export function reviewIndex(runId: string, audio: ReviewIndex['audio'], recordings: ReviewIndexRecording[]): ReviewIndex {
  return {
    version: 1, runId, title: 't', createdAt: '2026-12-02T00:00:00Z', audio,
    detector: { onThreshold: 0.5, offThreshold: 0.3, smoothing: 'mean', smoothingWindows: 3, windowSec: 3, hopSec: 0.5 },
    recordings,
  };
}

/** A recording's review state: nothing decided but what `s` sets. */
export const recordingState = (s: Partial<RecordingState>): RecordingState => ({ ...emptyRecording(), ...s });
