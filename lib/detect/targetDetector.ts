/**
 * The detector of a target: the defaults (lib/detect/config.ts, set for the Capuchinbird's 4.1 s call) with the
 * target's window, hop and call duration, and every duration-like setting scaled by the target's call over
 * 4.1 s; and the tuning grid, the target's own when it pins one (the Capuchinbird preset), else one in units of
 * its call duration. For the Capuchinbird both are exactly the defaults.
 */
import { CAPUCHINBIRD_TARGET, targetOfModel, type Target } from '../records/target.ts';
import { DEFAULT_DETECTOR_CONFIG, modelDetectorConfig, resolveDetectorConfig, type DetectorConfig } from './config.ts';
import type { TuneGrid } from './tune.ts';

const ms = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Seconds of silence put before and after a recording when it is scored for an onset-labelled target: half a
 * window, in whole hops, so that a window can be centred on its first and last moments; 0 for presence labelling.
 */
export function targetLeadSec(target: Pick<Target, 'labelling' | 'windowSec' | 'hopSec'>): number {
  return target.labelling === 'onset' ? ms(Math.round(target.windowSec / 2 / target.hopSec) * target.hopSec) : 0;
}

/** The base detector of a target (what is tuned from, and what counts when nothing was tuned). */
export function targetDetector(target: Target, overrides: Partial<DetectorConfig> = {}): DetectorConfig {
  const scale = target.callSec / CAPUCHINBIRD_TARGET.callSec;
  const d = DEFAULT_DETECTOR_CONFIG;
  const onset = target.labelling === 'onset';
  return resolveDetectorConfig({
    windowSec: target.windowSec,
    hopSec: target.hopSec,
    callSec: target.callSec,
    anchor: onset ? 'onset' : 'centre',
    leadSec: targetLeadSec(target),
    // an onset lights ~2·onsetSec of windows, not a call's length
    minEventSec: onset ? ms(target.hopSec) : ms(Math.min(d.minEventSec * scale, target.windowSec)),
    minGapSec: onset ? ms(target.onsetSec) : ms(d.minGapSec * scale),
    minPeakDistanceSec: onset ? ms(target.callSec / 2) : ms(d.minPeakDistanceSec * scale),
    ...overrides,
  });
}

/**
 * The grid a target's detector is tuned over: hysteresis thresholds and smoothing as always; minimum event
 * ¼–¾ of a call, peaks ½–1¼ calls apart, runs longer than 5 calls dropped or not (presence labelling); with onset
 * labelling lower thresholds, minimum events of 1–3 hops, peaks ¼–¾ of a call apart.
 */
export function targetTuneGrid(target: Target): TuneGrid {
  if (target.tuneGrid) return target.tuneGrid as TuneGrid;
  const c = target.callSec;
  if (target.labelling === 'onset') {
    // each start lights a short run: minimum events of 1–3 hops, starts ¼–¾ of a call apart
    return {
      onThreshold: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
      offThreshold: [0.2, 0.3, 0.5, 0.7],
      minEventSec: [1, 2, 3].map((k) => ms(k * target.hopSec)),
      minPeakDistanceSec: [0.25, 0.4, 0.55, 0.75].map((f) => ms(f * c)),
      smoothingWindows: [1, 3, 5],
      maxRunSec: [null, ms(Math.max(2 * c, 0.5))],
    };
  }
  return {
    onThreshold: [0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
    offThreshold: [0.3, 0.5, 0.7, 0.85],
    minEventSec: [0.25, 0.5, 0.75].map((f) => ms(f * c)),
    minPeakDistanceSec: [0.5, 0.75, 1, 1.25].map((f) => ms(f * c)),
    smoothingWindows: [1, 3, 5],
    maxRunSec: [null, ms(Math.max(5 * c, 0.5))],
  };
}

/** The detector a count uses with a saved model: its target's base, its detector.json, then `overrides`. */
export function modelDetector(meta: { target?: unknown }, saved: Record<string, unknown> | undefined, overrides: Partial<DetectorConfig> = {}): { detector: DetectorConfig; source: string } {
  return modelDetectorConfig(targetDetector(targetOfModel(meta)), saved, overrides);
}
