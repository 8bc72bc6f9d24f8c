/**
 * Frames of a signal that arrives in chunks: each push returns the frames that became complete,
 * so a long recording is framed once, in bounded memory, and the frames equal
 * `extractor.frames(whole signal)` row for row (frame i covers samples [i·hop, i·hop + frameLength)).
 */
import type { FeatureExtractor } from './extractor.ts';
import { concatSamples } from '../audio/audio.ts';
import { matrixIn, type Matrix } from './matrix.ts';

export class FrameStreamer {
  /** The samples not yet framed (fewer than a frame's length plus a hop). */
  private tail = new Float32Array(0);
  /** Samples pushed so far. */
  samples = 0;
  /** Frames returned so far. */
  frames = 0;
  /** The rows push returns (grown, never shrunk): a fresh array per chunk costs page faults, slow in the browser. */
  private out = new Float32Array(0);

  constructor(private readonly extractor: FeatureExtractor) {}

  /**
   * The frames that became whole, valid until the next push. Those that start in the tail are cut from the tail
   * joined to the chunk's first samples (a short copy); the rest straight from the chunk, which is not copied.
   */
  push(chunk: Float32Array): Matrix {
    this.samples += chunk.length;
    const { frameLength, hopLength } = this.extractor.config;
    const t = this.tail.length;
    const length = t + chunk.length;
    const n = length < frameLength ? 0 : Math.floor((length - frameLength) / hopLength) + 1;
    // frames [0, k0) start in the tail, frames [k0, n) in the chunk
    const k0 = Math.min(n, Math.ceil(t / hopLength));
    const joined = k0 > 0 ? concatSamples([this.tail, chunk.subarray(0, (k0 - 1) * hopLength + frameLength - t)]) : null;
    const bins = this.extractor.frameBins;
    if (this.out.length < n * bins) this.out = new Float32Array(n * bins);
    if (joined) this.extractor.frames(joined, { start: 0, end: k0 }, this.out);
    if (n > k0) this.extractor.frames(chunk.subarray(k0 * hopLength - t), { start: 0, end: n - k0 }, this.out.subarray(k0 * bins));
    const out = matrixIn(this.out, n, bins);
    // the samples the next frames need: from frame n's start on
    const next = n * hopLength;
    this.tail = next >= t ? chunk.slice(next - t) : concatSamples([this.tail.subarray(next), chunk]);
    this.frames += n;
    return out;
  }
}

/** Every frame of a chunked signal in one matrix (grown as the chunks arrive). */
export async function framesOfChunks(extractor: FeatureExtractor, chunks: AsyncIterable<Float32Array>): Promise<{ frames: Matrix; samples: number }> {
  const streamer = new FrameStreamer(extractor);
  const bins = extractor.frameBins;
  let data = new Float32Array(1024 * bins);
  let rows = 0;
  for await (const chunk of chunks) {
    const m = streamer.push(chunk);
    if ((rows + m.rows) * bins > data.length) {
      const grown = new Float32Array(Math.max(data.length * 2, (rows + m.rows) * bins));
      grown.set(data.subarray(0, rows * bins));
      data = grown;
    }
    data.set(m.data, rows * bins);
    rows += m.rows;
  }
  return { frames: { data: data.slice(0, rows * bins), rows, cols: bins }, samples: streamer.samples };
}
