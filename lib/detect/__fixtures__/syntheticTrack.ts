/**
 * Synthetic score tracks for testing and tuning the event logic without a model:
 * a simulated window scorer that returns, through a sigmoid, the fraction of the window
 * covered by the audible part of a call, plus Gaussian noise.
 */
import { mulberry32 } from '../../util/random.ts';

export { mulberry32 };

export interface SyntheticCall {
  start_s: number;
  end_s: number;
  /** Parts of the call drowned by another bird, in absolute seconds: they count as not covered. */
  masked?: { from_s: number; to_s: number }[];
}

export interface SyntheticTrackOptions {
  durationSec: number;
  calls: readonly SyntheticCall[];
  windowSec?: number;
  hopSec?: number;
  /** Coverage fraction at which the scorer says 0.5. */
  midCoverage?: number;
  /** Sigmoid slope per unit coverage. */
  slope?: number;
  /** Standard deviation of additive Gaussian noise (after the sigmoid; result clamped to [0, 1]). */
  noiseSd?: number;
  /**
   * Score dips: windows whose centre lies in [from_s, to_s] have their score multiplied by
   * `factor` (another bird confusing the classifier in the middle of a call).
   */
  dips?: { from_s: number; to_s: number; factor: number }[];
  /** Single-window false spikes: window index → score. */
  spikes?: Record<number, number>;
  seed?: number;
}

/** Windows that fit fully inside durationSec (the last partial window is not scored). */
export function windowCount(durationSec: number, windowSec: number, hopSec: number): number {
  if (durationSec < windowSec) return 0;
  return Math.floor((durationSec - windowSec) / hopSec + 1e-9) + 1;
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** Seconds of [w0, w1] covered by the audible (unmasked) part of `call`. */
function audibleOverlap(call: SyntheticCall, w0: number, w1: number): number {
  let seconds = overlap(w0, w1, call.start_s, call.end_s);
  for (const m of call.masked ?? []) {
    const m0 = Math.max(m.from_s, call.start_s);
    const m1 = Math.min(m.to_s, call.end_s);
    if (m1 > m0) seconds -= overlap(w0, w1, m0, m1);
  }
  return Math.max(0, seconds);
}


function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

export function simulateScoreTrack(opts: SyntheticTrackOptions): Float32Array {
  const windowSec = opts.windowSec ?? 3;
  const hopSec = opts.hopSec ?? 0.5;
  const mid = opts.midCoverage ?? 0.5;
  const slope = opts.slope ?? 12;
  const noiseSd = opts.noiseSd ?? 0;
  const normal = gaussian(mulberry32(opts.seed ?? 1));
  const n = windowCount(opts.durationSec, windowSec, hopSec);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const w0 = i * hopSec;
    const w1 = w0 + windowSec;
    let covered = 0;
    for (const call of opts.calls) covered += audibleOverlap(call, w0, w1);
    const coverage = Math.min(1, covered / windowSec);
    let p = 1 / (1 + Math.exp(-slope * (coverage - mid)));
    const centre = w0 + windowSec / 2;
    for (const d of opts.dips ?? []) if (centre >= d.from_s && centre <= d.to_s) p *= d.factor;
    const noisy = noiseSd > 0 ? p + noiseSd * normal() : p;
    out[i] = Math.min(1, Math.max(0, opts.spikes?.[i] ?? noisy));
  }
  return out;
}
