/**
 * The target: what a model counts. One typed section that every stage reads: the features take its analysis
 * rate, window and band; window labelling its call duration and coverage; the detector its hop, call
 * duration and tuning grid; the outputs its name and band (Raven boxes). It is resolved once at the edge
 * (experiment config `target`, then flags, over what the annotations say, over the preset) and saved with the
 * model in capuchin.json, so a count always knows what it counts.
 *
 * The Capuchinbird preset is the project's first target and reproduces its constants exactly; a model saved
 * before targets existed is a Capuchinbird model.
 */
import { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';

/**
 * How windows are labelled, and so what a window's score says:
 * - 'presence': a window holding enough of a call is a positive, one clear of every call a negative; the score
 *   track rises over each call, its middle is the call's middle (long, separate calls: the Capuchinbird);
 * - 'onset': a window whose centre is at a call's start is a positive, one whose centre is far from every start
 *   a negative (inside a call too); the track peaks at each start, so calls that touch or overlap, several to a
 *   window, are still counted one by one (short calls in bouts).
 */
export const LABELLINGS = ['presence', 'onset'] as const;
export type Labelling = (typeof LABELLINGS)[number];

export interface Target {
  /** What is counted, as people say it: 'Capuchinbird', 'Screaming Piha', 'killer whale call'. */
  name: string;
  /** Typical (median) call duration, seconds: detected events last this long, and the detector's times scale with it. */
  callSec: number;
  /** The band that holds the call, Hz: Raven boxes, and the features' band unless the config gives one. */
  lowHz: number;
  highHz: number;
  /** Analysis sample rate, Hz: audio is resampled to it; its Nyquist frequency must reach the features' top band. */
  sampleRate: number;
  /** Analysis window, seconds: the model's input (the features' clipSec). */
  windowSec: number;
  /** Seconds between scored windows when counting. */
  hopSec: number;
  /** How windows are labelled (above). */
  labelling: Labelling;
  /**
   * A window is a positive when it holds at least this fraction of a call (of the window, when the call is longer
   * than the window): overlap ≥ minCoverage · min(call, window).
   */
  minCoverage: number;
  /**
   * A window is a negative when it is at least this far from every call, seconds; with 'onset' labelling, when
   * its centre is at least this far from every call's start.
   */
  clearSec: number;
  /** With 'onset' labelling, a window is a positive when its centre is within this of a call's start, seconds. */
  onsetSec: number;
  /** A detected call matches a labelled one when their starts differ by at most this, seconds (event scores). */
  toleranceSec: number;
  /**
   * The detector's tuning grid (lib/detect/tune.ts TuneGrid): null derives it from the call duration
   * (lib/detect/targetDetector.ts); a preset may pin the grid its model was tuned with.
   */
  tuneGrid: Record<string, (number | string | null)[]> | null;
}

export const CAPUCHINBIRD_TARGET: Readonly<Target> = Object.freeze({
  name: 'Capuchinbird',
  callSec: 4.1,
  // the growling "moo" and its first harmonics (a display band: the features use 100–5000 Hz)
  lowHz: 500,
  highHz: 2500,
  sampleRate: 16000,
  windowSec: 3,
  hopSec: 0.5,
  labelling: 'presence',
  // overlap ≥ 2.5 s of a 3 s window: a window starting within 0.5 s before the call to 0.5 s after (call end − window)
  minCoverage: 5 / 6,
  clearSec: 1,
  onsetSec: 0.25,
  toleranceSec: 1,
  // the grid the shipped model's detector was tuned on (DEFAULT_TUNE_GRID of lib/detect/tune.ts)
  tuneGrid: {
    onThreshold: [0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
    offThreshold: [0.3, 0.5, 0.7, 0.85],
    minEventSec: [1, 2, 3],
    minPeakDistanceSec: [3, 4, 5],
    smoothingWindows: [1, 3, 5],
    maxRunSec: [null, 20],
  },
});

/** Analysis rates a target may take (the first that holds the band is derived), Hz. */
export const ANALYSIS_RATES = [16000, 22050, 24000, 32000, 44100, 48000, 96000, 192000, 384000] as const;

const num = (field: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${field} must be a number in [${lo}, ${hi}]` })
    .refine((v) => Number.isFinite(v) && v >= lo && v <= hi, `${field} must be in [${lo}, ${hi}]`);

const TargetSchema = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(120, 'name must be at most 120 characters'),
    callSec: num('callSec', 0.01, 600),
    lowHz: num('lowHz', 0, 192000),
    highHz: num('highHz', 1, 192000),
    sampleRate: z.number().int('sampleRate must be a whole number of Hz').min(1000, 'sampleRate must be in [1000, 384000]').max(384000, 'sampleRate must be in [1000, 384000]'),
    windowSec: num('windowSec', 0.05, 600),
    hopSec: num('hopSec', 0.005, 600),
    labelling: z.enum(LABELLINGS, { errorMap: () => ({ message: `labelling must be one of ${LABELLINGS.join(', ')}` }) }),
    minCoverage: num('minCoverage', 0.05, 1),
    clearSec: num('clearSec', 0, 600),
    onsetSec: num('onsetSec', 0.005, 60),
    toleranceSec: num('toleranceSec', 0.01, 60),
    tuneGrid: z.record(z.array(z.union([z.number(), z.string(), z.null()])).min(1)).nullable(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (t.lowHz >= t.highHz) issue('lowHz', `lowHz (${t.lowHz}) must be below highHz (${t.highHz})`);
    if (t.highHz > t.sampleRate / 2) issue('highHz', `highHz (${t.highHz}) must be at most half the sampleRate (${t.sampleRate / 2} Hz); raise sampleRate`);
    if (t.hopSec > t.windowSec) issue('hopSec', `hopSec (${t.hopSec}) must be ≤ windowSec (${t.windowSec}), or parts of a recording are never scored`);
    if (t.labelling === 'onset' && t.clearSec < t.onsetSec) issue('clearSec', `clearSec (${t.clearSec}) must be ≥ onsetSec (${t.onsetSec}) with onset labelling, or a window is both a positive and a negative`);
  });

/** A partial target, as a config or the flags give it. */
export type TargetInput = Partial<Target>;

/** Validate a whole target; throws naming each bad field, its range and `source`. */
export function resolveTarget(input: unknown, source = 'target'): Target {
  const parsed = TargetSchema.safeParse(input);
  if (!parsed.success) throw new Error(`${source}: ${formatZodIssues(parsed.error, { prefix: 'target.', root: '(target)', input })}`);
  return parsed.data;
}

/** The partial target of a config section, its fields checked by name (unknown ones refused). */
export function parseTargetInput(input: unknown, source = 'target'): TargetInput {
  const parsed = TargetSchema.innerType().partial().strict().safeParse(input ?? {});
  if (!parsed.success) throw new Error(`${source}: ${formatZodIssues(parsed.error, { prefix: 'target.', root: '(target)', input })}`);
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as TargetInput;
}

/** True for the Capuchinbird (its outputs keep the Kaggle layouts). */
export function isCapuchinbird(target: Pick<Target, 'name'>): boolean {
  return target.name.trim().toLowerCase() === CAPUCHINBIRD_TARGET.name.toLowerCase();
}

/** The target a saved model counts: its own, or the Capuchinbird for models saved before targets existed. */
export function targetOfModel(meta: { target?: unknown }, path = 'capuchin.json'): Target {
  return meta.target === undefined ? { ...CAPUCHINBIRD_TARGET, tuneGrid: CAPUCHINBIRD_TARGET.tuneGrid } : resolveTarget(meta.target, `${path}: target`);
}

/** One line: name, call, band, rate, window and hop. */
export function describeTarget(t: Target): string {
  const labels = t.labelling === 'onset'
    ? `positive: centred within ${t.onsetSec} s of a call's start; negative: centred ≥ ${t.clearSec} s from every start`
    : `positive: ≥ ${Math.round(t.minCoverage * 100)}% of a call; negative: ≥ ${t.clearSec} s clear`;
  return `${t.name}: calls of ${t.callSec} s in ${t.lowHz}–${t.highHz} Hz, analysed at ${t.sampleRate} Hz in ${t.windowSec} s windows every ${t.hopSec} s (${labels}; detections match within ${t.toleranceSec} s)`;
}
