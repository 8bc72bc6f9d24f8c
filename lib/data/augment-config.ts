/**
 * Augmentation settings, validated at the edge.
 *
 * Every augmentation is OFF by default: the baseline must reproduce the original project, which
 * trained without augmentation, and turning one on is an experiment to be named in its config.
 * `recommendedAugment(shape)` is the preset argued for this data set (every positive is the same
 * call mixed in at different levels and positions, often under other birds): random time shift,
 * a training negative mixed in at 0–20 dB SNR half the time, and SpecAugment masks of up to 10%
 * of the frames / bins. Gain stays off there: log-mel and MFCC are normalised to the clip's
 * maximum (power_to_db ref=max), which cancels a gain except near the top_db floor; it only
 * changes the raw 'spectrogram' kind.
 */
import { z } from 'zod';

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
    mixNegative: z
      .object({
        enabled: z.boolean().default(false),
        probability: probability('mixNegative.probability').default(0.5),
        /** SNR (clip power over added negative's power, whole clip) uniform in [minSnrDb, maxSnrDb]. */
        minSnrDb: bounded('mixNegative.minSnrDb', -40, 80).default(0),
        maxSnrDb: bounded('mixNegative.maxSnrDb', -40, 80).default(20),
      })
      .strict()
      .default({})
      .refine((m) => m.minSnrDb <= m.maxSnrDb, { message: 'mixNegative.minSnrDb must be ≤ mixNegative.maxSnrDb' }),
    timeMask: z
      .object({
        enabled: z.boolean().default(false),
        count: count('timeMask.count', 20).default(2),
        /** Each mask's width uniform in [0, maxWidth] frames. */
        maxWidth: count('timeMask.maxWidth', 100000).default(100),
      })
      .strict()
      .default({}),
    freqMask: z
      .object({
        enabled: z.boolean().default(false),
        count: count('freqMask.count', 20).default(2),
        /** Each mask's width uniform in [0, maxWidth] bins. */
        maxWidth: count('freqMask.maxWidth', 100000).default(20),
      })
      .strict()
      .default({}),
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
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.join('.');
    const got = issue.path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined), input);
    if (issue.code === 'unrecognized_keys') return `${path ? path + ': ' : ''}unknown field(s) ${issue.keys.join(', ')}`;
    if (issue.code === 'invalid_enum_value') return `${path} must be one of ${issue.options.join('|')}, got ${JSON.stringify(got)}`;
    const message = path === '' || issue.message.startsWith(path) ? issue.message : `${path}: ${issue.message}`;
    return `${message}, got ${JSON.stringify(got)}`;
  });
  throw new AugmentConfigError(`augment config: ${problems.join('; ')}`);
}

/** True when any augmentation needs the waveform (and so a feature re-extraction per clip). */
export function needsWaveforms(cfg: AugmentConfig): boolean {
  return cfg.timeShift.enabled || cfg.gain.enabled || cfg.mixNegative.enabled;
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
