/**
 * Frame sequences of many audio items (clips or whole recordings) in one flat array: the
 * extractor's frames() (|STFT| for 'spectrogram', mel POWER otherwise) before the per-window
 * finalize step. Training draws windows from them (random crops, mixes in the power domain), and
 * fold jobs score whole recordings from them, without decoding again. The flat layout goes to
 * worker threads in shared memory, uncopied.
 */
import type { Matrix } from '../features/matrix.ts';

export interface FrameStore {
  /** Row-major frames of every item, one after another. */
  readonly data: Float32Array;
  /** Item i holds rows [rowOffsets[i], rowOffsets[i + 1]); length = items + 1. */
  readonly rowOffsets: readonly number[];
  /** Values per frame. */
  readonly bins: number;
}

export function frameItems(store: FrameStore): number {
  return store.rowOffsets.length - 1;
}

export function frameRows(store: FrameStore, item: number): number {
  return store.rowOffsets[item + 1] - store.rowOffsets[item];
}

/** Item i's frames as a matrix view (no copy). */
export function frameView(store: FrameStore, item: number): Matrix {
  const { bins } = store;
  const a = store.rowOffsets[item];
  const b = store.rowOffsets[item + 1];
  if (!(item >= 0 && item < frameItems(store))) throw new RangeError(`frames: item ${item} is outside the store's ${frameItems(store)} items`);
  return { data: store.data.subarray(a * bins, b * bins), rows: b - a, cols: bins };
}

/** One store from matrices of equal width; `shared` puts it in a SharedArrayBuffer for workers. */
export function packFrames(items: readonly Matrix[], bins: number, shared = false): FrameStore {
  const rowOffsets = [0];
  for (const m of items) {
    if (m.cols !== bins) throw new Error(`frames: an item has ${m.cols} values per frame, expected ${bins}`);
    rowOffsets.push(rowOffsets[rowOffsets.length - 1] + m.rows);
  }
  const total = rowOffsets[rowOffsets.length - 1] * bins;
  const data = shared ? new Float32Array(new SharedArrayBuffer(total * 4)) : new Float32Array(total);
  items.forEach((m, i) => data.set(m.data.subarray(0, m.rows * bins), rowOffsets[i] * bins));
  return { data, rowOffsets, bins };
}

/** The same store in shared memory (a no-op when it already is). */
export function shareFrames(store: FrameStore): FrameStore {
  if (store.data.buffer instanceof SharedArrayBuffer) return store;
  const data = new Float32Array(new SharedArrayBuffer(store.data.byteLength));
  data.set(store.data);
  return { data, rowOffsets: store.rowOffsets, bins: store.bins };
}
