/**
 * Score every window of a whole frame sequence (a recording already framed): window w covers
 * frames [w·hopFrames, w·hopFrames + F) and is finished exactly as the streaming counter finishes
 * it (lib/detect/windows.ts), so a track scored here equals the one `count` computes from the audio.
 */
import type * as tf from '@tensorflow/tfjs';
import type { FeatureExtractor } from '../features/extractor.ts';
import type { Matrix } from '../features/matrix.ts';
import { windowCount } from '../features/endWindows.ts';
import { predictScores } from './train.ts';

/** A recording's window scores: window i covers [i·hopSec, i·hopSec + windowSec]. */
export interface ScoreTrack {
  /** File name with extension. */
  recording: string;
  scores: Float32Array;
  durationSec: number;
  hopSec: number;
  windowSec: number;
  /** Seconds of silence the scored stream had before the recording (absent: 0): window i starts at i·hopSec − leadSec. */
  leadSec?: number;
}

/**
 * A field recording's score track as counting computes it (exactly, every window): its whole windows from its
 * frames, then the windows past its end from their finished features (`endWindows`, one window per row; see
 * lib/features/endWindows.ts).
 */
export function scoreFieldRecording(model: tf.LayersModel, extractor: FeatureExtractor, frames: Matrix, endWindows: Matrix, hopFrames: number, batchSize = 64): Float32Array {
  const whole = scoreFrameWindows(model, extractor, frames, hopFrames, batchSize);
  if (endWindows.rows === 0) return whole;
  const [F, bins] = extractor.shape;
  const end = predictScores(model, { x: endWindows.data.slice(), n: endWindows.rows, frames: F, bins }, batchSize);
  const out = new Float32Array(whole.length + end.length);
  out.set(whole);
  out.set(end, whole.length);
  return out;
}

export function scoreFrameWindows(model: tf.LayersModel, extractor: FeatureExtractor, frames: Matrix, hopFrames: number, batchSize = 64): Float32Array {
  const [F, bins] = extractor.shape;
  const n = windowCount(frames.rows, F, hopFrames);
  const out = new Float32Array(n);
  const x = new Float32Array(batchSize * F * bins);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    for (let k = 0; k < count; k++) {
      const r = (start + k) * hopFrames;
      const window = { data: frames.data.subarray(r * frames.cols, (r + F) * frames.cols), rows: F, cols: frames.cols };
      x.set(extractor.finalize(window).data, k * F * bins);
    }
    out.set(predictScores(model, { x: x.subarray(0, count * F * bins), n: count, frames: F, bins }, batchSize), start);
  }
  return out;
}
