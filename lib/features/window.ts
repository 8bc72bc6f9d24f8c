/**
 * Window shapes, cached by (periodic, length) like meyda's applyWindow. The returned arrays are
 * shared: never write into them.
 */
const cache = new Map<string, Float64Array>();

/**
 * Hann window. periodic=true is tf.signal.hann_window(periodic=True) / scipy.signal.get_window('hann'):
 * w[n] = 0.5 − 0.5·cos(2πn/N). periodic=false is the symmetric form (2πn/(N−1)), kept for tests that
 * prove the feature fixtures tell the two apart.
 */
export function hannWindow(length: number, periodic = true): Float64Array {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`hannWindow: length must be a positive integer, got ${length}`);
  const key = `${periodic ? 'p' : 's'}${length}`;
  let w = cache.get(key);
  if (!w) {
    w = new Float64Array(length);
    const denom = periodic ? length : length - 1;
    if (denom === 0) w[0] = 1;
    else for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / denom);
    cache.set(key, w);
  }
  return w;
}
