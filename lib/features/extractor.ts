/**
 * The feature front end the rest of capuchin codes against (meyda's `configureMeyda` shape):
 * `configureFeatures(partial)` resolves the config and builds the window, FFT and mel bank once,
 * then returns an extractor whose work splits in two so long recordings are framed only once:
 *
 *   frames(signal)   per-frame values for a signal of any length (|STFT| for 'spectrogram',
 *                    mel POWER Σ|STFT|²·W for 'mel', 'mfcc' and 'pcen');
 *   finalize(frames) the per-clip step on exactly shape[0] frames (identity for 'spectrogram',
 *                    power_to_db with ref = the clip's max for 'mel', that then DCT-II for 'mfcc',
 *                    per-channel energy normalisation of the clip for 'pcen').
 *
 * Frame i of a signal covers samples [i·hop, i·hop + frameLength), so a clip that starts at sample
 * j·hop of a long signal has exactly rows [j, j + shape[0]) of frames(long signal) as its frames.
 */
import { padOrTrim } from '../audio/clip.ts';
import { clipSamples, featureShape, resolveFeatureConfig, type FeatureConfig } from './config.ts';
import { powerToDb } from './db.ts';
import { assertShape, copyMatrix, placeIn, type Matrix } from './matrix.ts';
import { MelBank } from './mel.ts';
import { MelFrames } from './melFrames.ts';
import { Dct } from './mfcc.ts';
import { pcen } from './pcen.ts';
import { Stft, type FrameRange } from './stft.ts';
import { hannWindow } from './window.ts';

export interface FeatureExtractor {
  readonly config: FeatureConfig;
  /** [frames, bins] of one clip's finished features */
  readonly shape: [frames: number, bins: number];
  /** columns of frames(): fftLength/2+1 for 'spectrogram', melBins for 'mel' and 'mfcc' */
  readonly frameBins: number;
  /**
   * Per-frame values BEFORE the per-clip normalisation, for a signal of any length: |STFT| for
   * 'spectrogram', mel power for 'mel'/'mfcc'/'pcen'. `range` limits the work to frames [start, end). With `into`,
   * the rows are written there from its start and the matrix is a view of it (no fresh array).
   */
  frames(signal: Float32Array, range?: FrameRange, into?: Float32Array): Matrix;
  /**
   * The per-clip step on exactly shape[0] rows of frames(): identity (a copy) for 'spectrogram',
   * power_to_db(ref = max) for 'mel', dB then orthonormal DCT-II for 'mfcc', PCEN for 'pcen'. Never
   * mutates its input; the result owns its data, or is a view of `into` where given (a batch's slot).
   */
  finalize(frames: Matrix, into?: Float32Array): Matrix;
  /** padOrTrim(samples, clip length, padMode) → frames → finalize. */
  extractClip(samples: Float32Array): Matrix;
}

class ConfiguredExtractor implements FeatureExtractor {
  readonly config: FeatureConfig;
  readonly shape: [frames: number, bins: number];
  readonly frameBins: number;
  private readonly stft: Stft;
  private readonly melFrames: MelFrames | null;
  private readonly dct: Dct | null;

  constructor(config: FeatureConfig) {
    this.config = config;
    this.shape = featureShape(config);
    const framing = {
      frameLength: config.frameLength,
      hopLength: config.hopLength,
      fftLength: config.fftLength,
      window: hannWindow(config.frameLength, true),
      removeDc: config.removeDc,
    };
    this.stft = new Stft(framing);
    this.melFrames =
      config.kind === 'spectrogram'
        ? null
        : new MelFrames(
            framing,
            new MelBank({
              melBins: config.melBins,
              spectrogramBins: this.stft.bins,
              sampleRate: config.melSampleRate,
              fminHz: config.fminHz,
              fmaxHz: config.fmaxHz,
            }),
          );
    this.dct = config.kind === 'mfcc' ? new Dct(config.melBins, config.mfccCount) : null;
    this.frameBins = this.melFrames ? config.melBins : this.stft.bins;
  }

  frames(signal: Float32Array, range?: FrameRange, into?: Float32Array): Matrix {
    return this.melFrames ? this.melFrames.frames(signal, range, into) : placeIn(this.stft.magnitude(signal, range), into);
  }

  finalize(frames: Matrix, into?: Float32Array): Matrix {
    assertShape(frames, this.shape[0], this.frameBins, `finalize (${this.config.kind})`);
    const c = this.config;
    if (c.kind === 'pcen') {
      const opts = { timeConstantSec: c.pcenTimeConstantSec, gain: c.pcenGain, bias: c.pcenBias, power: c.pcenPower, eps: 1e-6, framesPerSec: c.sampleRate / c.hopLength };
      return pcen(frames, opts, into); // straight into `into`: no array per window
    }
    if (c.kind === 'spectrogram') return into ? placeIn(frames, into) : copyMatrix(frames); // one copy either way
    return placeIn(this.finalizeDb(frames), into);
  }

  private finalizeDb(frames: Matrix): Matrix {
    const db = powerToDb(frames, { amin: this.config.amin, topDb: this.config.topDb });
    return this.dct ? this.dct.apply(db) : db;
  }

  extractClip(samples: Float32Array): Matrix {
    const clip = padOrTrim(samples, clipSamples(this.config), this.config.padMode);
    return this.finalize(this.frames(clip));
  }
}

/** Resolve the config (defaults + validation) and build the window, FFT and mel bank once. */
export function configureFeatures(partial: Partial<FeatureConfig> = {}): FeatureExtractor {
  return new ConfiguredExtractor(resolveFeatureConfig(partial));
}
