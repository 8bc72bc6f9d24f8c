/**
 * Input checks that do not stop counting but can change it, reported per file (warnings.csv):
 * audio recorded at a rate too low for the model's top mel band, a DC offset, clipped samples.
 * Fed each decoded piece at the file's own rate (streamAudio's onNative).
 */
import type { Audio } from './audio.ts';

/** |mean| above this fraction of full scale is reported as a DC offset. */
export const DC_OFFSET_LIMIT = 0.01;
/** Samples at or above this magnitude (after down-mix) count as clipped. */
export const CLIP_LEVEL = 0.999;
/** More than this fraction of clipped samples is reported. */
export const CLIPPED_FRACTION_LIMIT = 1e-4;

/** What one pass over a piece's samples finds: their sum (not finite when a sample is not) and the clipped count. */
export interface SampleStats {
  sum: number;
  clipped: number;
}

/** One pass over the samples: sum and clipped count (streamAudio also reads a non-finite sample from the sum). */
export function sampleStats(x: Float32Array): SampleStats {
  let sum = 0;
  let clipped = 0;
  const level2 = CLIP_LEVEL * CLIP_LEVEL; // v² ≥ level² instead of |v| ≥ level: no Math.abs call per sample
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    sum += v;
    clipped += v * v >= level2 ? 1 : 0;
  }
  return { sum, clipped };
}

export class InputInspector {
  sampleRate = 0;
  samples = 0;
  private sum = 0;
  private clipped = 0;

  /** `stats`: the piece's sampleStats where the caller has them already (streamAudio does). */
  readonly onNative = (piece: Audio, stats: SampleStats = sampleStats(piece.samples)): void => {
    this.sampleRate = piece.sampleRate;
    this.sum += stats.sum;
    this.clipped += stats.clipped;
    this.samples += piece.samples.length;
  };

  /** One sentence per problem, each with what to do; `fmaxHz` is the model's top mel frequency, `removesDc` its feature config's removeDc. */
  warnings(fmaxHz: number, removesDc = false): string[] {
    const out: string[] = [];
    if (this.samples === 0) return out;
    const nyquist = this.sampleRate / 2;
    if (nyquist < fmaxHz) {
      out.push(
        `band-limited: recorded at ${this.sampleRate} Hz, so nothing above ${nyquist} Hz, but the model's mel bands reach ${fmaxHz} Hz; ` +
          'its upper bands are empty and counts may be lower than for the same audio at 44.1/48 kHz. Fix: record at ≥ 44.1 kHz, or count with a model trained at this rate',
      );
    }
    const mean = this.sum / this.samples;
    const enough = this.samples >= this.sampleRate / 2; // a mean or a clip count of a few samples says nothing
    if (enough && Math.abs(mean) > DC_OFFSET_LIMIT && removesDc) {
      out.push(`DC offset removed: the samples average ${mean.toFixed(3)} of full scale; the model's features remove it frame by frame, so the count is unaffected`);
    } else if (enough && Math.abs(mean) > DC_OFFSET_LIMIT) {
      out.push(`DC offset: the samples average ${mean.toFixed(3)} of full scale, and this model (trained without removeDc) sees it; counts may differ from the same audio without it. Fix: high-pass the file first (ffmpeg -i in.wav -af highpass=f=20 out.wav), or count with a model trained with removeDc`);
    }
    const fraction = this.clipped / this.samples;
    if (enough && fraction > CLIPPED_FRACTION_LIMIT) {
      out.push(`clipped: ${this.clipped} samples (${(100 * fraction).toFixed(2)} %) at full scale; loud calls are distorted. Fix: record with less gain`);
    }
    return out;
  }
}
