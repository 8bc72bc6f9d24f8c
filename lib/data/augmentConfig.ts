/**
 * Augmentation settings, validated at the edge.
 *
 * Every augmentation is OFF by default: the baseline must reproduce the original project, which
 * trained without augmentation, and turning one on is an experiment to be named in its config.
 *
 * The waveform-like operations work on the clip's frames before the per-window finalize step
 * (mel power, or |STFT| for 'spectrogram'; see augment.ts): a time shift moves whole frames, a gain
 * scales the power, and mixing adds powers (the cross term of two independent sounds averages out
 * over a mel band), so an augmented example costs one finalize instead of a feature extraction.
 * - timeShift: the window moves within the clip by up to ±maxSec (a clip longer than the window
 *   shows other parts of itself); frames beyond the clip wrap round ('circular') or are silence.
 * - mixNegative: a random training negative added at a random SNR.
 * - background: the clip added into a random window of a field recording (clear of its labelled calls) at a random
 *   SNR (clip power over the recording window's power), so positives and negatives alike are heard
 *   through the forest's own rain, insects and birds.
 *
 * `recommendedAugment(shape)` is the preset argued for this data set: random time shift, a training
 * negative mixed in at 0–20 dB SNR half the time, and SpecAugment masks of up to 10% of the frames /
 * bins. Gain stays off there: log-mel, MFCC and PCEN cancel a gain (near enough); it only changes
 * the raw 'spectrogram' kind.
 */
import { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';

export const MASK_FILLS = ['min', 'mean', 'zero'] as const;
export type MaskFill = (typeof MASK_FILLS)[number];

const probability = (field: string) =>
  z.number({ invalid_type_error: `${field} must be a number in [0, 1]` }).min(0, `${field} must be in [0, 1]`).max(1, `${field} must be in [0, 1]`);
const bounded = (field: string, min: number, max: number) =>
  z
    .number({ invalid_type_error: `${field} must be a number in [${min}, ${max}]` })
    .min(min, `${field} must be in [${min}, ${max}]`)
    .max(max, `${field} must be in [${min}, ${max}]`);
const count = (field: string, max: number) => bounded(field, 0, max).int(`${field} must be an integer in [0, ${max}]`);

/** Mixing another sound in at an SNR uniform in [minSnrDb, maxSnrDb] dB: the fields, and the check of their order. */
const mixFields = (name: string, defaults: { probability: number; minSnrDb: number; maxSnrDb: number }) => ({
  enabled: z.boolean().default(false),
  probability: probability(`${name}.probability`).default(defaults.probability),
  minSnrDb: bounded(`${name}.minSnrDb`, -40, 80).default(defaults.minSnrDb),
  maxSnrDb: bounded(`${name}.maxSnrDb`, -40, 80).default(defaults.maxSnrDb),
});
const snrOrdered = (name: string) =>
  [(m: { minSnrDb: number; maxSnrDb: number }) => m.minSnrDb <= m.maxSnrDb, { message: `${name}.minSnrDb must be ≤ ${name}.maxSnrDb` }] as const;

/** SpecAugment masks on one axis: `count` masks, each up to maxWidth rows (or maxFraction of the axis). */
const maskSchema = (name: string, maxWidth: number) =>
  z
    .object({
      enabled: z.boolean().default(false),
      count: count(`${name}.count`, 20).default(2),
      maxWidth: count(`${name}.maxWidth`, 100000).default(maxWidth),
      /** When set, maxWidth is this fraction of the example's rows on the axis instead (for recipes that serve any window). */
      maxFraction: bounded(`${name}.maxFraction`, 0, 1).optional(),
    })
    .strict()
    .default({});

const schema = z
  .object({
    /** Seed of the augmentation random stream. */
    seed: z.number().int('seed must be an integer').default(0),
    /** How masked cells are filled: the clip's minimum (silence for spectrogram and log-mel dB), its mean, or 0. */
    maskFill: z.enum(MASK_FILLS).default('min'),
    timeShift: z
      .object({
        enabled: z.boolean().default(false),
        probability: probability('timeShift.probability').default(1),
        /** Shift uniform in [−maxSec, +maxSec]. */
        maxSec: bounded('timeShift.maxSec', 0, 60).default(0.5),
        /** When set, the shift is at most this fraction of the window instead of maxSec (for recipes that serve any window). */
        maxFraction: bounded('timeShift.maxFraction', 0, 1).optional(),
        /** 'circular' wraps samples round; 'zero' fills the vacated part with zeros. */
        mode: z.enum(['circular', 'zero']).default('circular'),
      })
      .strict()
      .default({}),
    gain: z
      .object({
        enabled: z.boolean().default(false),
        probability: probability('gain.probability').default(1),
        /** Gain uniform in [−maxDb, +maxDb]. */
        maxDb: bounded('gain.maxDb', 0, 60).default(6),
      })
      .strict()
      .default({}),
    /** SNR (clip power over added negative's power, whole clip) uniform in [minSnrDb, maxSnrDb]. */
    mixNegative: z
      .object(mixFields('mixNegative', { probability: 0.5, minSnrDb: 0, maxSnrDb: 20 }))
      .strict()
      .default({})
      .refine(...snrOrdered('mixNegative')),
    /** SNR (clip power over the recording window's power, mel bands) uniform in [minSnrDb, maxSnrDb]. */
    background: z
      .object({
        ...mixFields('background', { probability: 0.8, minSnrDb: -5, maxSnrDb: 15 }),
        /** Also mix background into windows of labelled recordings (not only into clips): other stretches of sound, never calls. */
        fieldWindows: z.boolean().default(false),
      })
      .strict()
      .default({})
      .refine(...snrOrdered('background')),
    /** Each mask's width uniform in [0, maxWidth] frames. */
    timeMask: maskSchema('timeMask', 100),
    /** Each mask's width uniform in [0, maxWidth] bins. */
    freqMask: maskSchema('freqMask', 20),
    mixup: z
      .object({
        enabled: z.boolean().default(false),
        probability: probability('mixup.probability').default(1),
        /** λ ~ Beta(alpha, alpha); x = λ·x_i + (1−λ)·x_j, y likewise. */
        alpha: bounded('mixup.alpha', 1e-3, 100).default(0.2),
      })
      .strict()
      .default({}),
  })
  .strict();

export type AugmentConfig = z.output<typeof schema>;
/** What callers write: every field optional, nested objects partial. */
export type AugmentConfigInput = z.input<typeof schema>;

export class AugmentConfigError extends Error {
  override readonly name = 'AugmentConfigError';
}

export function resolveAugmentConfig(input: AugmentConfigInput = {}): AugmentConfig {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AugmentConfigError(`augment config: ${formatZodIssues(parsed.error, { input })}`);
}

/** True when an augmentation works on the clips' frames (and so needs them loaded). */
export function needsFrames(cfg: AugmentConfig): boolean {
  return cfg.timeShift.enabled || cfg.gain.enabled || cfg.mixNegative.enabled || cfg.background.enabled;
}

/** True when any augmentation is on. */
export function augments(cfg: AugmentConfig): boolean {
  return needsFrames(cfg) || cfg.timeMask.enabled || cfg.freqMask.enabled || cfg.mixup.enabled;
}

/** The preset argued for in this module's comment, sized for clips of `shape` = [frames, bins]. */
export function recommendedAugment(shape: readonly [number, number], seed = 0): AugmentConfig {
  return resolveAugmentConfig({
    seed,
    timeShift: { enabled: true, maxSec: 0.5, mode: 'circular' },
    mixNegative: { enabled: true, probability: 0.5, minSnrDb: 0, maxSnrDb: 20 },
    timeMask: { enabled: true, count: 2, maxWidth: Math.max(1, Math.round(shape[0] * 0.1)) },
    freqMask: { enabled: true, count: 2, maxWidth: Math.max(1, Math.round(shape[1] * 0.1)) },
  });
}
