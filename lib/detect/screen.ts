/**
 * Screened scoring: score every window of a recording at the cost of running the model's convolutions
 * about once over the recording, and score exactly, window by window, every window that matters.
 *
 * 1. The raw feature frames are normalised over the stream (PCEN with a continuous smoother) and the
 *    model's trunk runs over them in blocks of `blockFrames` with a margin of its receptive field on
 *    both sides, so the blocked trunk equals one pass over the whole recording (lib/model/trunk.ts).
 * 2. Each window gets a screening score: sigmoid(mean of its trunk positions' z + the dense layer's bias).
 * 3. A window is scored exactly (its own per-window features, the whole model, as without screening)
 *    when its screening score or that of any window within `radius` windows of it reaches `below`.
 *    The others keep their screening score: windows where the model sees nothing, where it differs from
 *    the exact score by ~1e-3 on average and by at most 0.20 on recordings 00–49 (README: "Screened counting").
 *    Windows near the end of the recording and the padded end windows are always scored exactly.
 *
 * `below` = 0 scores every window exactly (the scores then equal unscreened scoring's).
 */
import type { FeatureExtractor } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import { PcenStream } from '../features/pcen.ts';
import type { PooledModelSplit } from '../model/trunk.ts';
import { GrowableF32 } from '../util/growable.ts';

export interface ScreenSettings {
  /** A window is scored exactly when its screening score, or one within `radius` windows, is ≥ this. */
  below: number;
  /** Neighbours on each side whose screening score also asks for the exact score. */
  radius: number;
  /** Frames per trunk block (a multiple of the trunk's time stride; default 1024 ≈ 20 s at 50 frames/s). */
  blockFrames?: number;
}

export interface ScreenResult {
  scores: Float32Array;
  /** Windows scored exactly (the rest kept their screening score). */
  exactWindows: number;
}

/** A stream normalisation: frames in, the same frames normalised out (possibly later; `flush` gives the rest). */
export interface StreamNormaliser {
  push(frames: Matrix): Matrix;
  flush(): Matrix;
}

/** The stream normalisation standing in for the per-window step, or null when the feature kind has none. */
export function streamNormaliser(extractor: FeatureExtractor): StreamNormaliser | null {
  const c = extractor.config;
  const none = (cols: number) => ({ data: new Float32Array(0), rows: 0, cols });
  if (c.kind === 'spectrogram') return { push: (m) => m, flush: () => none(extractor.frameBins) };
  if (c.kind === 'pcen') {
    const stream = new PcenStream({ timeConstantSec: c.pcenTimeConstantSec, gain: c.pcenGain, bias: c.pcenBias, power: c.pcenPower, eps: 1e-6, framesPerSec: c.sampleRate / c.hopLength });
    return { push: (m) => stream.push(m), flush: () => none(extractor.frameBins) };
  }
  // Mel and MFCC are referenced to each window's maximum. A stream counterpart (dB re the largest power
  // within half a window) was tried with a mel model of `experiment -- mel`: npm run screen-check found a
  // call whose screening scores stayed below 0.02 (exact 0.9) and a changed count on 1 of 40 field
  // recordings for every setting, so these are scored window by window.
  return null;
}

export class WindowScreen {
  private readonly bins: number;
  private readonly framesPerWindow: number;
  private readonly stride: number;
  private readonly margin: number;
  private readonly block: number;
  private readonly positionsPerWindow: number;
  /** Normalised frames, row 0 = frame normBase. */
  private readonly norm = new GrowableF32(1 << 16);
  private normBase = 0;
  /** Normalised frames received (a normaliser may lag the raw frames). */
  private framesSeen = 0;
  /** Trunk output z per position (position p covers frames [p·stride, (p + 1)·stride)). */
  private readonly z = new GrowableF32();
  /** Raw frames from frame rawBase on: the undecided windows' rows. */
  private readonly raw = new GrowableF32(1 << 16);
  private rawBase = 0;
  /** Whole windows not yet decided, in index order. */
  private readonly pending: number[] = [];
  private wholeWindows = 0;
  private readonly scores = new GrowableF32();
  private exactWindows = 0;
  private readonly batch: Float32Array;
  private readonly batchIndex: number[] = [];

  constructor(
    private readonly split: PooledModelSplit,
    private readonly normaliser: StreamNormaliser,
    private readonly extractor: FeatureExtractor,
    private readonly hopFrames: number,
    private readonly settings: ScreenSettings,
    private readonly batchSize: number,
    /** Exact scores of n finished windows laid end to end. */
    private readonly predict: (x: Float32Array, n: number) => Float32Array,
  ) {
    [this.framesPerWindow, this.bins] = extractor.shape;
    this.stride = split.timeStride;
    this.margin = Math.ceil(split.receptiveFrames / this.stride) * this.stride;
    this.block = Math.max(1, Math.round((settings.blockFrames ?? 1024) / this.stride)) * this.stride;
    this.positionsPerWindow = Math.floor(this.framesPerWindow / this.stride);
    this.batch = new Float32Array(batchSize * this.framesPerWindow * this.bins);
    if (this.positionsPerWindow < 1) throw new RangeError(`screen: a window of ${this.framesPerWindow} frames holds no trunk position (stride ${this.stride})`);
  }

  /** Raw frames held for windows not yet decided (bounded: not the recording's). */
  get heldFrames(): number {
    return this.raw.length / this.bins;
  }

  /** Raw frames, in stream order (WindowAssembler's onFrames); `onNormalised` sees them normalised. */
  frames(m: Matrix, onNormalised?: (normalised: Matrix) => void): void {
    this.raw.push(m.data);
    this.addNormalised(this.normaliser.push(m), onNormalised);
  }

  /** A window from WindowAssembler with `raw: true`: whole windows raw (their rows are taken from `frames`), the padded end windows finished. */
  window(w: Matrix, index: number, finalized: boolean): void {
    while (this.scores.length <= index) this.scores.pushOne(NaN);
    if (finalized) {
      this.queueExact(w.data, index);
      return;
    }
    this.pending.push(index);
    this.wholeWindows = index + 1;
  }

  private addNormalised(normalised: Matrix, onNormalised?: (normalised: Matrix) => void): void {
    onNormalised?.(normalised);
    this.norm.push(normalised.data);
    this.framesSeen += normalised.rows;
    this.runTrunk(false);
    this.decide(false);
  }

  /** After WindowAssembler.finish(): every window's score. */
  finish(onNormalised?: (normalised: Matrix) => void): ScreenResult {
    this.addNormalised(this.normaliser.flush(), onNormalised);
    this.runTrunk(true);
    this.decide(true);
    this.flush();
    const scores = this.scores.take();
    const missing = scores.findIndex((s) => Number.isNaN(s));
    if (missing >= 0) throw new Error(`screen: window ${missing} was never scored (internal error)`);
    return { scores, exactWindows: this.exactWindows };
  }

  private runTrunk(final: boolean): void {
    const S = this.stride;
    for (;;) {
      const P = this.z.length;
      const start = P * S;
      let end: number;
      let endPosition: number;
      if (!final) {
        end = start + this.block + this.margin;
        if (this.framesSeen < end) return;
        endPosition = P + this.block / S;
      } else {
        end = this.framesSeen;
        endPosition = Math.floor(end / S);
        if (endPosition <= P) return;
      }
      const from = Math.max(0, start - this.margin);
      if ((end - from) % 2 === 1) end -= 1; // a stride-2 first conv pads the same way in every block
      endPosition = Math.min(endPosition, Math.floor(end / S));
      const z = this.split.projectedTrunk(this.norm.view((from - this.normBase) * this.bins, (end - this.normBase) * this.bins), end - from, this.bins);
      const offset = from / S;
      this.z.push(z.subarray(P - offset, endPosition - offset));
      // keep the normalised frames the next block's margin needs
      const keepFrom = Math.max(0, this.z.length * S - this.margin);
      if (keepFrom > this.normBase) {
        this.norm.shift((keepFrom - this.normBase) * this.bins);
        this.normBase = keepFrom;
      }
      if (final) return;
    }
  }

  /** Window i's first trunk position, or -1 when its positions are not all computed. */
  private firstPosition(i: number): number {
    const p0 = Math.round((i * this.hopFrames) / this.stride);
    return p0 + this.positionsPerWindow <= this.z.length ? p0 : -1;
  }

  private screeningScore(p0: number): number {
    let sum = 0;
    for (let p = p0; p < p0 + this.positionsPerWindow; p++) sum += this.z.get(p);
    return 1 / (1 + Math.exp(-(sum / this.positionsPerWindow + this.split.bias)));
  }

  private decide(final: boolean): void {
    const { radius, below } = this.settings;
    while (this.pending.length > 0) {
      const index = this.pending[0];
      if (!final && (this.wholeWindows <= index + radius || this.firstPosition(index + radius) < 0)) break; // on to dropping the rows decided windows held
      let exact = false;
      for (let i = Math.max(0, index - radius); i <= index + radius && !exact; i++) {
        const p0 = i < this.wholeWindows ? this.firstPosition(i) : -1;
        exact = p0 < 0 || this.screeningScore(p0) >= below; // unknown neighbours (the end) ask for the exact score
      }
      if (exact) {
        const from = (index * this.hopFrames - this.rawBase) * this.bins;
        const raw = { data: this.raw.view(from, from + this.framesPerWindow * this.bins), rows: this.framesPerWindow, cols: this.bins };
        this.extractor.finalize(raw, this.nextSlot()); // finished in the batch's next slot
        this.queued(index);
      } else {
        this.scores.set(index, this.screeningScore(this.firstPosition(index)));
      }
      this.pending.shift();
    }
    // drop the raw frames no undecided window needs
    const keepFrom = (this.pending.length > 0 ? this.pending[0] : this.wholeWindows) * this.hopFrames;
    if (keepFrom > this.rawBase) {
      const drop = Math.min(keepFrom - this.rawBase, this.raw.length / this.bins);
      this.raw.shift(drop * this.bins);
      this.rawBase += drop;
    }
  }

  private queueExact(features: Float32Array, index: number): void {
    this.nextSlot().set(features);
    this.queued(index);
  }

  /** Where the next window's features go in the batch. */
  private nextSlot(): Float32Array {
    const size = this.framesPerWindow * this.bins;
    return this.batch.subarray(this.batchIndex.length * size, (this.batchIndex.length + 1) * size);
  }

  /** Window `index`'s features are in the next slot: count it, and score the batch once full. */
  private queued(index: number): void {
    this.batchIndex.push(index);
    this.exactWindows++;
    if (this.batchIndex.length === this.batchSize) this.flush();
  }

  private flush(): void {
    const n = this.batchIndex.length;
    if (n === 0) return;
    const s = this.predict(this.batch.subarray(0, n * this.framesPerWindow * this.bins), n);
    for (let k = 0; k < n; k++) this.scores.set(this.batchIndex[k], s[k]);
    this.batchIndex.length = 0;
  }
}
