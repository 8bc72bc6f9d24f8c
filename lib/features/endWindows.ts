/**
 * The windows that run past the end of a stream, as counting scores them: after the last whole window, each
 * window that starts before the end and still holds at least half a window of audio is the audio from its start
 * to the end (padded by the extractor like a training clip); a stream shorter than one window gives window 0,
 * all of it. One definition for counting (lib/detect/windows.ts) and for the field recordings' out-of-fold
 * tracks the detector is tuned on (lib/data/field.ts), so both score the same windows.
 */

export interface EndWindow {
  /** Window index (start = index · hop samples). */
  index: number;
  /** The window's audio, from its start to the end of the stream (a view). */
  samples: Float32Array;
}

export interface StreamEnds {
  /** The stream's first `windowSamples` samples (all of it when shorter). */
  head: Float32Array;
  /** Its last `windowSamples` samples (all of it when shorter). */
  tail: Float32Array;
  /** Samples in the stream. */
  total: number;
}

/** Windows that fit whole in `rows` frames: floor((rows − F) / hop) + 1 (none when rows < F). */
export function windowCount(rows: number, framesPerWindow: number, hopFrames: number): number {
  return rows < framesPerWindow ? 0 : Math.floor((rows - framesPerWindow) / hopFrames) + 1;
}

/** The windows past the last of `wholeWindows` whole ones (see the header). */
export function endWindows(ends: StreamEnds, windowSamples: number, hopSamples: number, wholeWindows: number): EndWindow[] {
  const { head, tail, total: T } = ends;
  const out: EndWindow[] = [];
  if (T === 0) return out;
  let next = wholeWindows;
  if (next === 0) {
    out.push({ index: 0, samples: head.subarray(0, T) });
    next = 1;
  }
  for (let start = next * hopSamples; start < T && T - start >= windowSamples / 2; start = ++next * hopSamples) {
    const from = tail.length - (T - start); // tail ends at sample T
    out.push({ index: next, samples: tail.subarray(Math.max(0, from)) });
  }
  return out;
}

/** Keeps the first and last `windowSamples` samples of a stream passing through, and counts them. */
export class StreamEndsKeeper {
  private readonly first: Float32Array;
  private recent = new Float32Array(0);
  private seen = 0;

  constructor(readonly windowSamples: number) {
    this.first = new Float32Array(windowSamples);
  }

  push(chunk: Float32Array): void {
    const W = this.windowSamples;
    if (this.seen < W) this.first.set(chunk.subarray(0, W - this.seen), this.seen);
    this.seen += chunk.length;
    if (chunk.length >= W) {
      this.recent = chunk.slice(chunk.length - W);
      return;
    }
    const keep = Math.min(this.recent.length, W - chunk.length);
    const next = new Float32Array(keep + chunk.length);
    next.set(this.recent.subarray(this.recent.length - keep), 0);
    next.set(chunk, keep);
    this.recent = next;
  }

  get ends(): StreamEnds {
    return { head: this.first, tail: this.recent, total: this.seen };
  }
}
