/**
 * ArrayBuffers kept for reuse. Fresh memory costs a page fault on every page and, in V8, garbage collections
 * driven by external memory: per megabyte it costs several times what filling memory already touched does (the
 * web bench's allocation row; in Node, the count bench's "stream buffers" row). Two users:
 * - `streamBuffers`, one per thread: a recording's stream (lib/audio/load.ts with `pool`) borrows its buffers
 *   when it starts and gives them back when it ends, so a count of many files does not allocate each file's anew;
 * - the page's decoding worker, for the chunks it sends and gets back (lib/detect/audioPort.ts).
 * A buffer taken holds whatever its last user left in it.
 */
export class BufferPool {
  private readonly spare: ArrayBuffer[] = [];
  /** Buffers made so far (every other take was served by a given-back one). */
  created = 0;

  /** `keep`: spare buffers held at most (more given back are dropped). */
  constructor(private readonly keep = 16) {}

  /** The smallest spare buffer of at least `bytes`, else a new one of `bytes` × `headroom` (a little room for a longer use later). */
  take(bytes: number, headroom = 1): ArrayBuffer {
    let i = -1; // the smallest that fits: a small request does not take a buffer a large one needs
    for (let k = 0; k < this.spare.length; k++) if (this.spare[k].byteLength >= bytes && (i < 0 || this.spare[k].byteLength < this.spare[i].byteLength)) i = k;
    if (i >= 0) return this.spare.splice(i, 1)[0];
    this.created++;
    return new ArrayBuffer(Math.ceil((bytes * headroom) / 8) * 8);
  }

  /** `length` floats in a buffer of the pool's (give back its `.buffer`). */
  floats(length: number): Float32Array {
    return new Float32Array(this.take(length * 4), 0, length);
  }

  /** A copy of `samples` in a buffer of the pool's, with room for a slightly longer copy later. */
  copy(samples: Float32Array): Float32Array {
    const out = new Float32Array(this.take(samples.byteLength, 1.25), 0, samples.length);
    out.set(samples);
    return out;
  }

  /** Give a buffer back; it must not be used after this. */
  give(buffer: ArrayBuffer): void {
    if (this.spare.length < this.keep && !this.spare.includes(buffer)) this.spare.push(buffer);
  }
}

/** This thread's pool for the buffers of the streams it decodes (module state: one per worker thread). */
export const streamBuffers = new BufferPool(8);
