/**
 * Compare computed feature values with reference values (the numpy fixtures). Only entries whose
 * reference magnitude is at least `floorFraction` of the largest |reference| are checked; each must be
 * within rtol·|ref| + atol. Returns a summary rather than throwing, so tests can assert both
 * "matches" and "does NOT match" (for the deliberately wrong variants).
 */
export interface CompareOptions {
  /** relative tolerance (default 1e-4) */
  rtol?: number;
  /** absolute tolerance (default 0) */
  atol?: number;
  /** skip entries with |ref| < floorFraction · max|ref| (default 1e-3; 0 checks everything) */
  floorFraction?: number;
}

export interface Comparison {
  checked: number;
  failures: number;
  /** largest |actual − ref| / |ref| among checked entries */
  maxRelError: number;
  /** largest |actual − ref| among checked entries */
  maxAbsError: number;
  /** index of the worst entry, −1 when none was checked */
  worstIndex: number;
}

export function compareToReference(actual: ArrayLike<number>, reference: ArrayLike<number>, opts: CompareOptions = {}): Comparison {
  if (actual.length !== reference.length) throw new Error(`compare: ${actual.length} values vs ${reference.length} reference values`);
  const rtol = opts.rtol ?? 1e-4;
  const atol = opts.atol ?? 0;
  const floorFraction = opts.floorFraction ?? 1e-3;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) maxRef = Math.max(maxRef, Math.abs(reference[i]));
  const floor = floorFraction * maxRef;
  let checked = 0;
  let failures = 0;
  let maxRelError = 0;
  let maxAbsError = 0;
  let worstIndex = -1;
  let worst = -1;
  for (let i = 0; i < reference.length; i++) {
    const ref = reference[i];
    if (Math.abs(ref) < floor) continue;
    checked++;
    const err = Math.abs(actual[i] - ref);
    const rel = ref === 0 ? (err === 0 ? 0 : Infinity) : err / Math.abs(ref);
    if (!(err <= rtol * Math.abs(ref) + atol)) failures++;
    if (rel > maxRelError) maxRelError = rel;
    if (err > maxAbsError) maxAbsError = err;
    const score = err / (rtol * Math.abs(ref) + atol || 1);
    if (!(score <= worst)) {
      worst = score;
      worstIndex = i;
    }
  }
  return { checked, failures, maxRelError, maxAbsError, worstIndex };
}
