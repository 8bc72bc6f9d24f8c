/**
 * A dense row-major float32 matrix: rows = frames (time), cols = bins (frequency / coefficient).
 * Row r occupies data[r*cols, (r+1)*cols).
 */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export function createMatrix(rows: number, cols: number): Matrix {
  return { data: new Float32Array(rows * cols), rows, cols };
}

/** A matrix over existing data; throws if the sizes disagree. */
export function matrixFrom(data: Float32Array, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) throw new Error(`matrix: ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  return { data, rows, cols };
}

/** A rows×cols matrix over the start of `into` (throws if it is too short), or a new one where `into` is not given. */
export function matrixIn(into: Float32Array | undefined, rows: number, cols: number): Matrix {
  return into ? matrixFrom(into.subarray(0, rows * cols), rows, cols) : createMatrix(rows, cols);
}

/** `m` itself, or, where `into` is given, m's values copied to its start and a matrix over them. */
export function placeIn(m: Matrix, into?: Float32Array): Matrix {
  if (!into) return m;
  into.set(m.data);
  return matrixFrom(into.subarray(0, m.data.length), m.rows, m.cols);
}

/** Row r as a view (no copy). */
export function matrixRow(m: Matrix, r: number): Float32Array {
  return m.data.subarray(r * m.cols, (r + 1) * m.cols);
}

/** Rows [start, start+count) as a view sharing m's memory (no copy). */
export function sliceRows(m: Matrix, start: number, count: number): Matrix {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > m.rows)
    throw new RangeError(`matrix: rows [${start}, ${start + count}) are outside [0, ${m.rows})`);
  return { data: m.data.subarray(start * m.cols, (start + count) * m.cols), rows: count, cols: m.cols };
}

export function copyMatrix(m: Matrix): Matrix {
  return { data: m.data.slice(), rows: m.rows, cols: m.cols };
}

/** Throw a clear error when m is not rows×cols. */
export function assertShape(m: Matrix, rows: number, cols: number, what: string): void {
  if (m.rows !== rows || m.cols !== cols || m.data.length !== rows * cols)
    throw new Error(`${what}: expected a ${rows}×${cols} matrix, got ${m.rows}×${m.cols} (${m.data.length} values)`);
}
