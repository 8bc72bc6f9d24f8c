/**
 * A target from the data: what the annotations say (median call duration, the band of Raven boxes), then the
 * config's `target` section, then flags; the rest follows from the call duration and the band:
 * - analysis rate: the first of 16, 22.05, 24, 32, 44.1, 48 kHz… whose Nyquist frequency holds the band;
 * - window: three quarters of a call, between 0.3 s and 3 s (a 4.1 s Capuchinbird call gets 3 s); a clip-only
 *   target without call durations keeps 3 s windows and takes the window as its call;
 * - hop: a sixth of the window, a whole number of feature frames (3 s → 0.5 s);
 * - coverage 0.8, clear distance half a call (at most 1 s), event tolerance a quarter call within [0.5, 1] s.
 * The features then cover the band and half an octave on either side, unless the config's feature section
 * pins them (the Kaggle recipes pin the Capuchinbird's 100–5000 Hz).
 */
import { DEFAULT_FEATURE_CONFIG, featureShape, resolveFeatureConfig, type FeatureConfig } from '../features/config.ts';
import { ANALYSIS_RATES, CAPUCHINBIRD_TARGET, resolveTarget, type Labelling, type Target, type TargetInput } from '../records/target.ts';

/** What the data says about the calls: durations, and bands where the annotations give them. */
export interface CallEvidence {
  start_s: number;
  end_s: number;
  lowHz?: number;
  highHz?: number;
  /** The recording it is in (calls of one recording are compared for spacing). */
  recording?: string;
}

export interface TargetDerivation {
  target: Target;
  /** One line per field that was derived, saying from what (for logs and the report). */
  notes: string[];
}

/** The band a target gets when neither the annotations nor the config give one, Hz. */
export const DEFAULT_BAND_HZ = { lowHz: 100, highHz: 8000 } as const;
const FRAME_HOP_SEC = 0.02;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
};
const roundTo = (x: number, step: number) => Math.round(x / step) * step;
const ms = (x: number) => Math.round(x * 1000) / 1000;

/** The first standard rate whose Nyquist frequency reaches `highHz` (16 kHz at least). */
export function analysisRateFor(highHz: number): number {
  return ANALYSIS_RATES.find((r) => r / 2 >= highHz) ?? ANALYSIS_RATES[ANALYSIS_RATES.length - 1];
}

/**
 * The analysis window for a call of `callSec`, in [0.3, 3] s, to the millisecond: three quarters of it (presence
 * labelling: a window inside a long call), or one and a half (onset labelling: a window centred on a start sees
 * what comes before it and most of the call). On Screaming Piha recordings 1–6 (6-fold CV by recording, event F1)
 * 1.5 calls did better than 0.6, 1 or 2 calls.
 */
export function windowFor(callSec: number, labelling: Labelling = 'presence'): number {
  return ms(Math.min(3, Math.max(0.3, (labelling === 'onset' ? 1.5 : 0.75) * callSec)));
}

/**
 * Onset labelling when calls come in bouts: at least 10% of the calls start less than a quarter call after the
 * previous one (in the same recording) ended, touching or overlapping it. Needs the calls' recordings.
 */
export function denseCalls(calls: readonly (CallEvidence & { recording?: string })[], callSec: number): boolean {
  const byRecording = new Map<string, CallEvidence[]>();
  for (const c of calls) byRecording.set(c.recording ?? '', [...(byRecording.get(c.recording ?? '') ?? []), c]);
  let close = 0;
  for (const list of byRecording.values()) {
    const sorted = [...list].sort((a, b) => a.start_s - b.start_s);
    for (let i = 1; i < sorted.length; i++) if (sorted[i].start_s - sorted[i - 1].end_s < callSec / 4) close++;
  }
  return calls.length > 0 && close >= 0.1 * calls.length;
}

/** A sixth of the window, a whole number (≥ 1) of feature frames of `frameHopSec`. */
export function hopFor(windowSec: number, frameHopSec: number): number {
  return ms(Math.max(frameHopSec, roundTo(windowSec / 6, frameHopSec)));
}

/**
 * The target of a data set. `preset` is where missing fields come from before derivation (the Capuchinbird for
 * the Kaggle layout); without one, every field not given is derived from `calls` (or the defaults above).
 */
export function deriveTarget(input: { name: string; calls?: readonly CallEvidence[]; given?: TargetInput; preset?: Target; frameHopSec?: number }): TargetDerivation {
  const given = input.given ?? {};
  const notes: string[] = [];
  if (input.preset) {
    const target = resolveTarget({ ...input.preset, ...given }, 'target');
    return { target, notes: [`the ${input.preset.name} preset${Object.keys(given).length ? `, with ${Object.keys(given).join(', ')} from the config/flags` : ''}`] };
  }
  const calls = input.calls ?? [];
  const durations = calls.map((c) => c.end_s - c.start_s).filter((d) => d > 0);
  const frameHop = input.frameHopSec ?? FRAME_HOP_SEC;
  const pick = <K extends keyof Target>(key: K, derive: () => Target[K], why: () => string): Target[K] => {
    if (given[key] !== undefined) return given[key] as Target[K];
    const v = derive();
    notes.push(`${key} ${typeof v === 'number' ? ms(v) : JSON.stringify(v)}: ${why()}`);
    return v;
  };
  const windowGiven = given.windowSec;
  const callSec = pick(
    'callSec',
    () => (durations.length ? ms(median(durations)) : (windowGiven ?? 3)),
    () => (durations.length ? `the median of ${durations.length} annotated call(s)` : 'no annotated calls: the window'),
  );
  const boxed = calls.filter((c) => c.lowHz !== undefined && c.highHz !== undefined && c.highHz > c.lowHz);
  const banded = boxed.length >= Math.max(1, calls.length / 2);
  const lowHz = pick('lowHz', () => (banded ? Math.round(quantile(boxed.map((c) => c.lowHz!), 0.1)) : DEFAULT_BAND_HZ.lowHz), () => (banded ? `10th percentile of ${boxed.length} annotated boxes' low edges` : 'no annotated band: the default'));
  const highHz = pick('highHz', () => (banded ? Math.round(quantile(boxed.map((c) => c.highHz!), 0.9)) : DEFAULT_BAND_HZ.highHz), () => (banded ? `90th percentile of their high edges` : 'no annotated band: the default'));
  const sampleRate = pick('sampleRate', () => analysisRateFor(highHz), () => `the first standard rate whose Nyquist frequency reaches ${highHz} Hz`);
  const labelling = pick('labelling', () => (denseCalls(calls, callSec) ? 'onset' : 'presence'), () => (durations.length ? (denseCalls(calls, callSec) ? 'calls in bouts: ≥ 10% start within a quarter call of the previous one\'s end' : 'calls apart from each other') : 'clips: presence'));
  const onset = labelling === 'onset';
  const windowSec = pick('windowSec', () => (durations.length ? windowFor(callSec, labelling) : 3), () => (durations.length ? (onset ? '1.5 calls, in [0.3, 3] s' : '¾ of the call, in [0.3, 3] s') : 'clips without call times: 3 s'));
  const onsetSec = pick('onsetSec', () => ms(Math.max(frameHop, Math.min(0.1, callSec / 8))), () => 'an eighth of a call, at most 0.1 s');
  const hopSec = pick('hopSec', () => (onset ? ms(Math.max(frameHop, Math.floor(onsetSec / 2 / frameHop + 1e-9) * frameHop)) : hopFor(windowSec, frameHop)), () => (onset ? `half the onset tolerance in ${frameHop * 1000} ms feature frames` : `a sixth of the window in ${frameHop * 1000} ms feature frames`));
  const minCoverage = pick('minCoverage', () => 0.8, () => 'the default');
  const clearSec = pick('clearSec', () => (onset ? ms(2.5 * onsetSec) : ms(Math.min(1, callSec / 2))), () => (onset ? '2.5 × onsetSec from every start' : 'half a call, at most 1 s'));
  const toleranceSec = pick('toleranceSec', () => ms(Math.min(1, Math.max(0.5, callSec / 4))), () => 'a quarter call, in [0.5, 1] s');
  const tuneGrid = given.tuneGrid ?? null;
  return { target: resolveTarget({ name: given.name ?? input.name, callSec, lowHz, highHz, sampleRate, windowSec, hopSec, labelling, minCoverage, clearSec, onsetSec, toleranceSec, tuneGrid }, 'target'), notes };
}

/** The Capuchinbird preset (the Kaggle layout's target) with the config's and the flags' fields over it. */
export function capuchinbirdTarget(given: TargetInput = {}): TargetDerivation {
  return deriveTarget({ name: CAPUCHINBIRD_TARGET.name, preset: { ...CAPUCHINBIRD_TARGET }, given });
}

/**
 * The feature config of a target: the config's feature section over the target's rate, window (clipSec) and
 * band (its band and half an octave on either side, within Nyquist), with 25 ms frames every 20 ms at the
 * target's rate when the section gives no framing.
 */
export function targetFeatureConfig(target: Target, section: Record<string, unknown>): FeatureConfig {
  const rate = target.sampleRate;
  const frameLength = Math.round(0.025 * rate);
  const framing = section.frameLength === undefined && section.hopLength === undefined && section.fftLength === undefined
    ? { frameLength, hopLength: Math.round(FRAME_HOP_SEC * rate), fftLength: 2 ** Math.ceil(Math.log2(frameLength)) }
    : {};
  const melBased = (section.kind ?? DEFAULT_FEATURE_CONFIG.kind) !== 'spectrogram';
  const band = melBased && section.fminHz === undefined && section.fmaxHz === undefined
    ? { fminHz: Math.round(target.lowHz / Math.SQRT2), fmaxHz: Math.min(rate / 2, Math.round(target.highHz * Math.SQRT2)) }
    : {};
  const feature = resolveFeatureConfig({ removeDc: true, ...framing, ...band, ...section, sampleRate: rate, clipSec: target.windowSec });
  featureShape(feature);
  return feature;
}

/** Seconds between feature frames of a config section at a target's rate (what hops are whole numbers of). */
export function frameHopSecOf(section: Record<string, unknown>, sampleRate: number): number {
  return typeof section.hopLength === 'number' ? section.hopLength / sampleRate : FRAME_HOP_SEC;
}
