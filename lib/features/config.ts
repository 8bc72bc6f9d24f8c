/**
 * Feature configuration: one typed, validated object (BirdNET-style `DEFAULT_*` + `resolve*`).
 *
 * The defaults reproduce the original Python project's front end:
 * `tf.signal.stft(wav, frame_length=320, frame_step=32, fft_length=512)` (periodic Hann,
 * pad_end=False) on 3 s of 16 kHz audio zero-padded at the START to 48000 samples,
 * giving a [1491, 257] magnitude spectrogram.
 */
import { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';
import type { PadMode } from '../audio/clip.ts';

export const FEATURE_KINDS = ['spectrogram', 'mel', 'mfcc', 'pcen'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];
export const PAD_MODES: readonly PadMode[] = ['start', 'centre'];
export type { PadMode };

export interface FeatureConfig {
  /**
   * spectrogram: |STFT| [frames, fftLength/2+1]; mel: log-mel dB [frames, melBins]; mfcc: [frames, mfccCount];
   * pcen: per-channel energy normalised mel bands [frames, melBins] (pcen.ts)
   */
  readonly kind: FeatureKind;
  /** rate the audio is resampled to before framing (Hz) */
  readonly sampleRate: number;
  /** clip length in seconds; clips are padded or trimmed to round(clipSec * sampleRate) samples */
  readonly clipSec: number;
  /** where zeros go when a clip is short: 'start' (prepended, the original project) or 'centre' */
  readonly padMode: PadMode;
  /** samples per STFT frame (window length) */
  readonly frameLength: number;
  /** samples between frame starts */
  readonly hopLength: number;
  /** FFT size, a power of two ≥ frameLength; each windowed frame is zero-padded at its end to this */
  readonly fftLength: number;
  /** window shape; 'hann' is the periodic Hann window (tf.signal.hann_window(periodic=True)) */
  readonly window: 'hann';
  /** number of mel bands */
  readonly melBins: number;
  /** lower edge of the lowest mel band (Hz) */
  readonly fminHz: number;
  /** upper edge of the highest mel band (Hz), ≤ sampleRate/2 */
  readonly fmaxHz: number;
  /** dB below the clip's maximum at which log-mel is floored; null for no floor */
  readonly topDb: number | null;
  /** smallest power fed to log10 */
  readonly amin: number;
  /** MFCC coefficients kept (first mfccCount of the orthonormal DCT-II), ≤ melBins */
  readonly mfccCount: number;
  /**
   * sample rate given to the mel weight matrix (tf.signal.linear_to_mel_weight_matrix's sample_rate).
   * Defaults to sampleRate. The original project passed 48000 while the audio was 16 kHz, which maps
   * spectrogram bin k to k·24000/256 Hz instead of k·8000/256 Hz (every band lands 3× too low in
   * frequency); set 48000 only to reproduce that bug.
   */
  readonly melSampleRate: number;
  /** PCEN smoother time constant, seconds (kind 'pcen') */
  readonly pcenTimeConstantSec: number;
  /** PCEN gain-control exponent alpha */
  readonly pcenGain: number;
  /** PCEN offset delta */
  readonly pcenBias: number;
  /** PCEN root-compression exponent r */
  readonly pcenPower: number;
  /**
   * Remove each frame's DC before its FFT (its window-weighted mean, so a constant offset cancels
   * exactly): the same in training clips and counted recordings. false reproduces tf.signal exactly
   * (the default here, and for models saved before the field existed); experiments turn it on.
   */
  readonly removeDc: boolean;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = Object.freeze({
  kind: 'spectrogram',
  sampleRate: 16000,
  clipSec: 3,
  padMode: 'start',
  frameLength: 320,
  hopLength: 32,
  fftLength: 512,
  window: 'hann',
  melBins: 100,
  fminHz: 80,
  fmaxHz: 8000,
  topDb: 80,
  amin: 1e-16,
  mfccCount: 20,
  melSampleRate: 16000,
  pcenTimeConstantSec: 0.4,
  pcenGain: 0.98,
  pcenBias: 2,
  pcenPower: 0.5,
  removeDc: false,
});

export class FeatureConfigError extends Error {
  override readonly name = 'FeatureConfigError';
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

function intField(field: string, min: number, max: number) {
  return z.unknown().superRefine((v, ctx) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      ctx.addIssue({ code: 'custom', message: `${field} must be an integer in [${min}, ${max}], got ${show(v)}` });
  }) as unknown as z.ZodType<number>;
}

function numberField(field: string, min: number, max: number, minExclusive = false) {
  return z.unknown().superRefine((v, ctx) => {
    const ok = typeof v === 'number' && Number.isFinite(v) && (minExclusive ? v > min : v >= min) && v <= max;
    if (!ok)
      ctx.addIssue({ code: 'custom', message: `${field} must be a number in ${minExclusive ? '(' : '['}${min}, ${max}], got ${show(v)}` });
  }) as unknown as z.ZodType<number>;
}

function enumField<T extends string>(field: string, values: readonly T[]) {
  return z.unknown().superRefine((v, ctx) => {
    if (!values.includes(v as T)) ctx.addIssue({ code: 'custom', message: `${field} must be one of ${values.join('|')}, got ${show(v)}` });
  }) as unknown as z.ZodType<T>;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

const d = DEFAULT_FEATURE_CONFIG;
const schema = z
  .object({
    kind: enumField('kind', FEATURE_KINDS).default(d.kind),
    sampleRate: intField('sampleRate', 1000, 384000).default(d.sampleRate),
    clipSec: numberField('clipSec', 0, 3600, true).default(d.clipSec),
    padMode: enumField('padMode', PAD_MODES).default(d.padMode),
    frameLength: intField('frameLength', 2, 65536).default(d.frameLength),
    hopLength: intField('hopLength', 1, 65536).default(d.hopLength),
    fftLength: intField('fftLength', 2, 65536).default(d.fftLength),
    window: enumField('window', ['hann'] as const).default(d.window),
    melBins: intField('melBins', 1, 1024).default(d.melBins),
    fminHz: numberField('fminHz', 0, 192000).default(d.fminHz),
    fmaxHz: numberField('fmaxHz', 0, 192000, true).default(d.fmaxHz),
    topDb: numberField('topDb', 0, 1000, true).nullable().default(d.topDb),
    amin: numberField('amin', 0, 1, true).default(d.amin),
    mfccCount: intField('mfccCount', 1, 1024).default(d.mfccCount),
    melSampleRate: intField('melSampleRate', 1000, 384000).optional(),
    pcenTimeConstantSec: numberField('pcenTimeConstantSec', 0, 60, true).default(d.pcenTimeConstantSec),
    pcenGain: numberField('pcenGain', 0, 1).default(d.pcenGain),
    pcenBias: numberField('pcenBias', 0, 100, true).default(d.pcenBias),
    pcenPower: numberField('pcenPower', 0, 1, true).default(d.pcenPower),
    removeDc: z.boolean({ invalid_type_error: 'removeDc must be true or false' }).default(d.removeDc),
  })
  .strict();

type Raw = z.infer<typeof schema>;

function crossFieldProblems(c: Raw, melSampleRate: number): string[] {
  const problems: string[] = [];
  if (!isPowerOfTwo(c.fftLength) || c.fftLength < c.frameLength)
    problems.push(`fftLength must be a power of two ≥ frameLength (${c.frameLength}), got ${c.fftLength}`);
  if (c.hopLength > c.frameLength) problems.push(`hopLength must be in [1, frameLength (${c.frameLength})], got ${c.hopLength}`);
  const clipSamples = Math.round(c.clipSec * c.sampleRate);
  if (clipSamples < c.frameLength)
    problems.push(`clipSec must give at least frameLength (${c.frameLength}) samples at ${c.sampleRate} Hz, got ${c.clipSec} s = ${clipSamples} samples`);
  const nyquist = Math.min(c.sampleRate, melSampleRate) / 2;
  if (c.fmaxHz > nyquist)
    problems.push(`fmaxHz must be in (fminHz (${c.fminHz}), ${nyquist}] (half of sampleRate/melSampleRate), got ${c.fmaxHz}`);
  if (c.fminHz >= c.fmaxHz) problems.push(`fminHz must be in [0, fmaxHz (${c.fmaxHz})), got ${c.fminHz}`);
  if (c.mfccCount > c.melBins) problems.push(`mfccCount must be in [1, melBins (${c.melBins})], got ${c.mfccCount}`);
  return problems;
}

/** Merge a partial config with the defaults and validate it; throws FeatureConfigError naming each bad field. */
export function resolveFeatureConfig(partial: Partial<FeatureConfig> | Record<string, unknown> = {}): FeatureConfig {
  const parsed = schema.safeParse(partial ?? {});
  if (!parsed.success) {
    throw new FeatureConfigError(`feature config: ${formatZodIssues(parsed.error, { known: Object.keys(d) })}`);
  }
  const raw = parsed.data;
  const melSampleRate = raw.melSampleRate ?? raw.sampleRate;
  const problems = crossFieldProblems(raw, melSampleRate);
  if (problems.length > 0) throw new FeatureConfigError(`feature config: ${problems.join('; ')}`);
  return Object.freeze({ ...raw, melSampleRate });
}

/** Samples in one clip: round(clipSec · sampleRate). */
export function clipSamples(cfg: FeatureConfig): number {
  return Math.round(cfg.clipSec * cfg.sampleRate);
}

/** Columns of a feature matrix of this kind. */
export function featureBins(cfg: FeatureConfig): number {
  if (cfg.kind === 'spectrogram') return cfg.fftLength / 2 + 1;
  return cfg.kind === 'mfcc' ? cfg.mfccCount : cfg.melBins;
}

/** [frames, bins] of one clip's features: frames = floor((clipSamples − frameLength) / hop) + 1 (no end padding). */
export function featureShape(cfg: FeatureConfig): [frames: number, bins: number] {
  return [Math.floor((clipSamples(cfg) - cfg.frameLength) / cfg.hopLength) + 1, featureBins(cfg)];
}

/**
 * The fields that decide frames() (everything before the per-clip finalize step): kinds that share
 * them share frames, so 'mel', 'mfcc' and 'pcen' of one mel bank can share a frame cache.
 */
export function frameSettings(cfg: FeatureConfig): Record<string, unknown> {
  const common = { sampleRate: cfg.sampleRate, frameLength: cfg.frameLength, hopLength: cfg.hopLength, fftLength: cfg.fftLength, window: cfg.window, ...(cfg.removeDc ? { removeDc: true } : {}) };
  if (cfg.kind === 'spectrogram') return { values: 'magnitude', ...common };
  return { values: 'mel-power', ...common, melBins: cfg.melBins, fminHz: cfg.fminHz, fmaxHz: cfg.fmaxHz, melSampleRate: cfg.melSampleRate };
}

/** Frames per second (sampleRate / hopLength). */
export function framesPerSec(cfg: FeatureConfig): number {
  return cfg.sampleRate / cfg.hopLength;
}
