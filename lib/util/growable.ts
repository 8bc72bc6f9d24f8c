/** A Float32Array that grows by doubling: append, write at an index already reached, take a copy. */
export class GrowableF32 {
  private buf: Float32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float32Array(Math.max(1, capacity));
  }

  push(values: ArrayLike<number>): void {
    this.reserve(this.length + values.length);
    this.buf.set(values, this.length);
    this.length += values.length;
  }

  pushOne(value: number): void {
    this.reserve(this.length + 1);
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  set(i: number, value: number): void {
    if (i < 0 || i >= this.length) throw new RangeError(`GrowableF32: index ${i} outside [0, ${this.length})`);
    this.buf[i] = value;
  }

  /** A view of elements [from, to) (valid until the next push). */
  view(from = 0, to = this.length): Float32Array {
    return this.buf.subarray(from, to);
  }

  /** Drop the first `count` elements. */
  shift(count: number): void {
    const n = Math.min(count, this.length);
    this.buf.copyWithin(0, n, this.length);
    this.length -= n;
  }

  take(): Float32Array {
    return this.buf.slice(0, this.length);
  }

  private reserve(n: number): void {
    if (n <= this.buf.length) return;
    const next = new Float32Array(Math.max(this.buf.length * 2, n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}
