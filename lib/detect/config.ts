/**
 * The detector's settings: how long recordings are cut into scored windows and how the
 * resulting score track becomes one event per call (see events.ts for the algorithm).
 * Validated once at the edge with zod; the resolved object is passed explicitly.
 */
import { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';

export const SMOOTHING_KINDS = ['median', 'mean', 'none'] as const;
export type SmoothingKind = (typeof SMOOTHING_KINDS)[number];

export const START_ESTIMATORS = ['halfmax', 'peak', 'centroid', 'onset'] as const;

/** What a window's score marks (the target's labelling): a call centred on the window, or a call starting at its centre. */
export const ANCHORS = ['centre', 'onset'] as const;
export type Anchor = (typeof ANCHORS)[number];
/** How an event's start is estimated from its run of high windows (events.ts documents each). */
export type StartEstimator = (typeof START_ESTIMATORS)[number];

export interface DetectorConfig {
  /** Length of one scored window, seconds (fixed by the model's input). */
  windowSec: number;
  /** Step between window starts, seconds; window i covers [i*hopSec, i*hopSec + windowSec]. */
  hopSec: number;
  /** Windows per inference batch. */
  batchSize: number;
  /** Filter applied to the score track before any decision. */
  smoothing: SmoothingKind;
  /** Width of the smoothing filter in windows (odd; 1 = no smoothing). */
  smoothingWindows: number;
  /** A run must reach this smoothed score somewhere to become an event (hysteresis high). */
  onThreshold: number;
  /** A run lasts while the smoothed score stays at or above this (hysteresis low); ≤ onThreshold. */
  offThreshold: number;
  /**
   * Parts with less than this many seconds of windows ≥ offThreshold (count × hopSec) are noise
   * and dropped. 2.5 s removes one- and two-window spikes (4 windows after 3-window smoothing)
   * while a whole call stays above offThreshold for ≥ 3.3 s even with a strict model.
   */
  minEventSec: number;
  /** Runs separated by a dip below offThreshold shorter than this are bridged into one run. */
  minGapSec: number;
  /** Two score peaks closer than this are one call; farther apart they split the run at the valley between them. */
  minPeakDistanceSec: number;
  /** A valley must fall this far below the lower of its two peaks to split calls. */
  minPeakProminence: number;
  /**
   * A part whose window-start span exceeds this is sustained noise (rain, an insect chorus the
   * model mistakes for a call), not a call, and is dropped; null keeps every part as one call. A
   * long run without a valley is never cut into several calls: that would invent calls.
   */
  maxRunSec: number | null;
  /** Expected call duration, seconds: an event ends at start_s + callSec. */
  callSec: number;
  /** Which estimator turns a run into the call's start time. */
  startEstimator: StartEstimator;
  /**
   * 'centre' (presence-labelled models): the estimated time is the call's centre, its start callSec/2 before;
   * 'onset' (onset-labelled models): the estimated time is the call's start.
   */
  anchor: Anchor;
  /**
   * Seconds of silence the scored stream has before (and after) the recording, so that a window can be centred on
   * every moment of it: window i covers [i·hopSec − leadSec, i·hopSec − leadSec + windowSec]. Half a window for
   * onset-labelled models (a call in the first half-window is counted too), 0 otherwise.
   */
  leadSec: number;
  /**
   * Screened scoring (lib/detect/screen.ts): the model's convolutions run once over the recording, and a
   * window is scored exactly, on its own, only when its screening score or that of a window within
   * screenRadius of it reaches this. null scores every window on its own (slower, the same counts on the
   * labelled recordings; README "Screened counting"). Models without global average pooling, and mel or
   * MFCC features, are always scored window by window.
   */
  screenBelow: number | null;
  /** Windows on each side whose screening score also asks for a window's exact score. */
  screenRadius: number;
}

export const DEFAULT_DETECTOR_CONFIG: Readonly<DetectorConfig> = Object.freeze({
  windowSec: 3,
  hopSec: 0.5,
  batchSize: 64,
  smoothing: 'mean',
  smoothingWindows: 3,
  onThreshold: 0.5,
  offThreshold: 0.3,
  minEventSec: 2.5,
  minGapSec: 1.5,
  minPeakDistanceSec: 4.0,
  minPeakProminence: 0.15,
  maxRunSec: null,
  callSec: 4.1,
  startEstimator: 'halfmax',
  anchor: 'centre',
  leadSec: 0,
  screenBelow: 0.02,
  screenRadius: 4,
});

const range = (field: string, lo: number, hi: number, unit = '') =>
  z
    .number({ invalid_type_error: `${field} must be a number` })
    .refine(Number.isFinite, `${field} must be a finite number`)
    .refine((v) => v >= lo && v <= hi, `${field} must be in [${lo}, ${hi}]${unit}`);

const openUnit = (field: string) =>
  z
    .number({ invalid_type_error: `${field} must be a number` })
    .refine((v) => v > 0 && v < 1, `${field} must be in (0, 1)`);

const schema = z
  .object({
    windowSec: range('windowSec', 0.05, 600, ' s'),
    hopSec: range('hopSec', 0.005, 600, ' s'),
    batchSize: z
      .number({ invalid_type_error: 'batchSize must be a number' })
      .int('batchSize must be an integer')
      .min(1, 'batchSize must be in [1, 4096]')
      .max(4096, 'batchSize must be in [1, 4096]'),
    smoothing: z.enum(SMOOTHING_KINDS, {
      errorMap: () => ({ message: `smoothing must be one of ${SMOOTHING_KINDS.join(', ')}` }),
    }),
    smoothingWindows: z
      .number({ invalid_type_error: 'smoothingWindows must be a number' })
      .int('smoothingWindows must be an odd integer in [1, 41]')
      .refine((v) => v >= 1 && v <= 41 && v % 2 === 1, 'smoothingWindows must be an odd integer in [1, 41]'),
    onThreshold: openUnit('onThreshold'),
    offThreshold: openUnit('offThreshold'),
    minEventSec: range('minEventSec', 0, 60, ' s'),
    minGapSec: range('minGapSec', 0, 60, ' s'),
    minPeakDistanceSec: range('minPeakDistanceSec', 0, 120, ' s'),
    minPeakProminence: range('minPeakProminence', 0, 1),
    maxRunSec: range('maxRunSec', 0.5, 600, ' s').nullable(),
    callSec: range('callSec', 0.01, 600, ' s'),
    startEstimator: z.enum(START_ESTIMATORS, {
      errorMap: () => ({ message: `startEstimator must be one of ${START_ESTIMATORS.join(', ')}` }),
    }),
    anchor: z.enum(ANCHORS, { errorMap: () => ({ message: `anchor must be one of ${ANCHORS.join(', ')}` }) }),
    leadSec: range('leadSec', 0, 600, ' s'),
    screenBelow: range('screenBelow', 0, 1).nullable(),
    screenRadius: z
      .number({ invalid_type_error: 'screenRadius must be a number' })
      .int('screenRadius must be an integer in [0, 40]')
      .refine((v) => v >= 0 && v <= 40, 'screenRadius must be an integer in [0, 40]'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.offThreshold > c.onThreshold)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['offThreshold'],
        message: `offThreshold (${c.offThreshold}) must be ≤ onThreshold (${c.onThreshold})`,
      });
    if (c.hopSec > c.windowSec)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['hopSec'],
        message: `hopSec (${c.hopSec}) must be ≤ windowSec (${c.windowSec}), or parts of the recording are never scored`,
      });
    if (c.leadSec > c.windowSec)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['leadSec'], message: `leadSec (${c.leadSec}) must be ≤ windowSec (${c.windowSec})` });
    if (c.maxRunSec !== null && c.maxRunSec < c.minEventSec)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['maxRunSec'],
        message: `maxRunSec (${c.maxRunSec}) must be ≥ minEventSec (${c.minEventSec}), or null to keep long runs`,
      });
  });

/**
 * Merge `partial` over the defaults and validate. Throws one Error listing every bad field
 * with its allowed range; unknown fields are rejected by name (a typo must not be silently ignored).
 */
export function resolveDetectorConfig(partial: Partial<DetectorConfig> | Record<string, unknown> = {}): DetectorConfig {
  if ('maxEventSec' in partial) {
    throw new Error(
      'capuchin: invalid detector config: maxEventSec was removed (it cut long runs into equal parts and so invented calls). ' +
        'Fix: delete it; a long run is one call, or noise when longer than maxRunSec (null keeps it).',
    );
  }
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse({ ...DEFAULT_DETECTOR_CONFIG, ...defined });
  if (parsed.success) return parsed.data;
  const problems = formatZodIssues(parsed.error, { input: { ...DEFAULT_DETECTOR_CONFIG, ...defined }, known: Object.keys(DEFAULT_DETECTOR_CONFIG), root: '(config)' });
  throw new Error(`capuchin: invalid detector config: ${problems}`);
}

/**
 * The detector a count uses with a model: its target's base detector (lib/detect/targetDetector.ts; the
 * defaults for the Capuchinbird), then the model's tuned detector.json fields (`saved`), then explicit
 * overrides; `source` says which applied, for logs and pages.
 */
export function modelDetectorConfig(
  base: DetectorConfig,
  saved: Record<string, unknown> | undefined,
  overrides: Partial<DetectorConfig> = {},
): { detector: DetectorConfig; source: string } {
  const given = Object.entries(overrides).filter(([, v]) => v !== undefined);
  const detector = resolveDetectorConfig({ ...base, ...(saved ?? {}), ...Object.fromEntries(given) });
  const source = `${saved ? "the model's detector.json" : 'the default detector'}${given.length ? ` with ${given.map(([k]) => k).join(', ')} overridden` : ''}`;
  return { detector, source };
}
