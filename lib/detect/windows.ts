/**
 * Cut a stream of 16 kHz samples into the model's windows without framing any sample twice:
 * frames are computed once over the stream (FeatureExtractor.frames on a rolling buffer), and
 * window w is rows [w·hopFrames, w·hopFrames + framesPerWindow) of that frame sequence, finished
 * per window (power_to_db with ref = the window's max for mel/MFCC), exactly as a clip would be.
 *
 * With `raw: true` the per-window step is left to the caller: a whole window arrives as its raw rows
 * (a view, valid only during the call; `finalized` false), so a caller that scores only some windows
 * exactly (lib/detect/screen.ts) finishes only those. The padded windows at the end still arrive finished.
 * `onFrames` sees every raw frame once, in order.
 */
import type { FeatureExtractor } from '../features/extractor.ts';
import { endWindows, StreamEndsKeeper } from '../features/endWindows.ts';
import { FrameStreamer } from '../features/frameStream.ts';
import type { Matrix } from '../features/matrix.ts';

export class WindowAssembler {
  readonly framesPerWindow: number;
  readonly hopFrames: number;
  private readonly bins: number;
  private readonly streamer: FrameStreamer;
  /** Frame rows not yet consumed by every window that needs them; row 0 is frame `frameBase`. */
  private frameBuf: Float32Array;
  private frameRows = 0;
  private frameBase = 0;
  private nextWindow = 0;
  /** The first and last clip-length samples of the stream, for the padded windows at its end. */
  private readonly ends: StreamEndsKeeper;
  private readonly hopSamples: number;

  private readonly raw: boolean;
  private readonly onFrames?: (frames: Matrix) => void;

  constructor(
    private readonly extractor: FeatureExtractor,
    hopSec: number,
    private readonly onWindow: (window: Matrix, index: number, finalized: boolean) => void,
    options: { raw?: boolean; onFrames?: (frames: Matrix) => void } = {},
  ) {
    this.raw = options.raw === true;
    this.onFrames = options.onFrames;
    const { sampleRate, hopLength } = extractor.config;
    this.hopFrames = windowHopFrames(hopSec, sampleRate, hopLength);
    [this.framesPerWindow, this.bins] = [extractor.shape[0], extractor.frameBins];
    this.frameBuf = new Float32Array(Math.max(4096, this.framesPerWindow * 2) * this.bins);
    this.streamer = new FrameStreamer(extractor);
    this.ends = new StreamEndsKeeper(Math.round(extractor.config.clipSec * sampleRate));
    this.hopSamples = this.hopFrames * hopLength;
  }

  get windows(): number {
    return this.nextWindow;
  }

  /**
   * The stream's next samples. `frames`: theirs, where a FrameStreamer over the same stream computed them elsewhere
   * (the page's decoding worker); else they are framed here.
   */
  push(chunk: Float32Array, frames?: Matrix): void {
    this.ends.push(chunk);
    const m = frames ?? this.streamer.push(chunk);
    if (m.rows > 0) {
      this.onFrames?.(m);
      this.appendFrames(m);
    }
    this.emitReady();
  }

  /**
   * Call once at the end. The windows that run past the end are scored too, as long as at least half of
   * the window is audio: each is the audio from its start to the end, padded like a training clip
   * (extractClip, the model's padMode), so a call in the last seconds is not lost. A recording shorter than
   * one window is scored the same way, starting with window 0. `partial: false` leaves them out (a stream padded
   * with silence at both ends already has whole windows over its last moments).
   */
  finish(partial = true): void {
    if (!partial) return;
    for (const w of endWindows(this.ends.ends, this.ends.windowSamples, this.hopSamples, this.nextWindow)) {
      this.onWindow(this.extractor.extractClip(w.samples), w.index, true);
      this.nextWindow = w.index + 1;
    }
  }

  private appendFrames(m: Matrix): void {
    const needed = (this.frameRows + m.rows) * this.bins;
    if (needed > this.frameBuf.length) {
      const grown = new Float32Array(Math.max(needed, this.frameBuf.length * 2));
      grown.set(this.frameBuf.subarray(0, this.frameRows * this.bins));
      this.frameBuf = grown;
    }
    this.frameBuf.set(m.data, this.frameRows * this.bins);
    this.frameRows += m.rows;
  }

  private emitReady(): void {
    const F = this.framesPerWindow;
    for (;;) {
      const start = this.nextWindow * this.hopFrames - this.frameBase;
      if (start + F > this.frameRows) break;
      const rows = { data: this.frameBuf.subarray(start * this.bins, (start + F) * this.bins), rows: F, cols: this.bins };
      if (this.raw) this.onWindow(rows, this.nextWindow, false);
      else this.onWindow(this.extractor.finalize(rows), this.nextWindow, true);
      this.nextWindow++;
    }
    // Drop frames no later window needs.
    const keepFrom = this.nextWindow * this.hopFrames - this.frameBase;
    if (keepFrom > 0) {
      const drop = Math.min(keepFrom, this.frameRows);
      this.frameBuf.copyWithin(0, drop * this.bins, this.frameRows * this.bins);
      this.frameRows -= drop;
      this.frameBase += drop;
    }
  }
}

/** Feature frames between window starts for `hopSec`; throws when it is not a whole number of frames (checked before a run). */
export function windowHopFrames(hopSec: number, sampleRate: number, hopLength: number): number {
  const hop = (hopSec * sampleRate) / hopLength;
  if (!Number.isFinite(hop) || Math.abs(hop - Math.round(hop)) > 1e-9 || hop < 1) {
    throw new Error(
      `detector: hopSec ${hopSec} s is not a whole number of feature frames (${hopLength} samples at ${sampleRate} Hz). ` +
        `Fix: use a multiple of ${hopLength / sampleRate} s (e.g. --hop 0.5).`,
    );
  }
  return Math.round(hop);
}
