/**
 * "Next to review": the detections without a verdict, scores nearest the on threshold first (where the
 * detector is least sure), then the candidates (high windows that formed no event) not yet decided,
 * highest first.
 */
import type { ReviewIndex } from '../types.ts';
import type { ReviewState } from './state.ts';

export type QueueItem = { key: string; kind: 'event'; index: number; score: number } | { key: string; kind: 'candidate'; index: number; score: number };

export function reviewQueue(index: ReviewIndex, state: ReviewState): QueueItem[] {
  const on = index.detector.onThreshold;
  const events: QueueItem[] = [];
  const candidates: QueueItem[] = [];
  for (const r of index.recordings) {
    const s = state.recordings[r.key];
    if (s?.done) continue;
    r.events.forEach((e, i) => {
      if (!s?.verdicts[i]) events.push({ key: r.key, kind: 'event', index: i, score: e.peak_score });
    });
    r.candidates.forEach((c, i) => {
      if (!s?.candidates[i]) candidates.push({ key: r.key, kind: 'candidate', index: i, score: c.score });
    });
  }
  // in millionths: scores have 4 decimals, so equal distances tie exactly (0.55 and 0.45 around 0.5)
  const doubt = (x: number) => Math.round(Math.abs(x - on) * 1e6);
  events.sort((a, b) => doubt(a.score) - doubt(b.score) || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  candidates.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  return [...events, ...candidates];
}
