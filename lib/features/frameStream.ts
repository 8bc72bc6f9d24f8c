/**
 * Frames of a signal that arrives in chunks: each push returns the frames that became complete,
 * so a long recording is framed once, in bounded memory, and the frames equal
 * `extractor.frames(whole signal)` row for row (frame i covers samples [i·hop, i·hop + frameLength)).
 */
import type { FeatureExtractor } from './extractor.ts';
import { GrowableF32 } from '../util/growable.ts';
import { createMatrix, type Matrix } from './matrix.ts';

export class FrameStreamer {
  /** The samples not yet framed, then each new chunk (one buffer, reused from push to push). */
  private readonly pending = new GrowableF32(1 << 16);
  /** Samples pushed so far. */
  samples = 0;
  /** Frames returned so far. */
  frames = 0;

  constructor(private readonly extractor: FeatureExtractor) {}

  push(chunk: Float32Array): Matrix {
    this.samples += chunk.length;
    this.pending.push(chunk);
    const length = this.pending.length;
    const { frameLength, hopLength } = this.extractor.config;
    const n = length < frameLength ? 0 : Math.floor((length - frameLength) / hopLength) + 1;
    const out = n > 0 ? this.extractor.frames(this.pending.view(), { start: 0, end: n }) : createMatrix(0, this.extractor.frameBins);
    // the samples the next frames still need stay, at the front
    this.pending.shift(n * hopLength);
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
