/**
 * Two real frames' spectra at once as a WebAssembly SIMD function (f64x2: lane 0 is frame a, lane 1 frame b),
 * assembled here from named opcodes like lib/audio/resampleKernel.ts.
 *
 * Measured reason (experiments/bench/features.ts): with fft.js the 512-point real FFT + split + |X|² took
 * ~3.8 µs a frame, and the STFT and log-mel rows stayed below numpy/scipy (0.94× and 0.78×). This kernel does
 * FFT + split + |X|² in ~0.85 µs a frame (the whole STFT row is ~1.7× faster than the JavaScript path; the
 * bench's jsFallbackSeconds keeps that). @echogarden/pffft-wasm's SIMD FFT alone is faster (~0.5 µs) but
 * float32 and asynchronous to load; the features feed a trained model, so the float64 numbers must not move.
 * Each lane runs exactly the scalar float64 arithmetic, so both frames get the values a scalar float64
 * radix-2 FFT would, whatever frame shares the call. Without wasm SIMD, framePair.ts falls back to the
 * JavaScript RealFft.
 *
 * Memory (byte pointers, all 16-byte aligned), n = fftLength / 2 complex points:
 *   z    n × 32 bytes: point i at z + 32i is (re_a, re_b) then (im_a, im_b); the caller writes
 *        z_a[i] = x_a[2i] + i·x_a[2i+1] (likewise b) at bit-reversed position rev(i)
 *   tw   n − 1 entries of 32 bytes (wr, wr, wi, wi): for each stage h = 1, 2, …, n/2, W_2h^j for j < h
 *   sw   n/2 + 1 entries of 32 bytes: e^{−2πik/fftLength} for the real split, k = 0..n/2
 * power(n, z, tw, sw, outA, outB):     in-place radix-2 DIT FFT of z, then |X_a[k]|² as f64 at outA + 8k and
 *                                      |X_b[k]|² at outB + 8k, k = 0..n
 * magnitude(n, z, tw, sw, outA, outB): the same with |X[k]| as f32 at outA + 4k and outB + 4k
 */

import { I32, V128, lazyModule, name, section, simdOp, uleb } from '../util/wasmModule.ts';

const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b,
  get: 0x20, set: 0x21, tee: 0x22,
  i32Const: 0x41, i32Load: 0x28, f64Store: 0x39, f32Store: 0x38, f32DemoteF64: 0xb6,
  i32GeU: 0x4f, i32LtU: 0x49, i32LeU: 0x4d, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74,
} as const;
const simd = {
  v128Load: 0x00, v128Store: 0x0b, v128Const: 0x0c, f64x2ExtractLane: 0x21,
  f64x2Abs: 0xec, f64x2Sqrt: 0xef, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2,
} as const;

/** signed LEB128 for i32.const */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

type Code = number[];
const get = (l: number): Code => [op.get, l];
const set = (l: number): Code => [op.set, l];
const i32 = (v: number): Code => [op.i32Const, ...sleb(v)];
const add32 = (a: Code, b: Code): Code => [...a, ...b, op.i32Add];
/** v128.load at ptr + offset (align 16) */
const load = (ptr: Code, offset = 0): Code => [...ptr, ...simdOp(simd.v128Load), 4, ...uleb(offset)];
const store = (ptr: Code, value: Code, offset = 0): Code => [...ptr, ...value, ...simdOp(simd.v128Store), 4, ...uleb(offset)];
const fadd = (a: Code, b: Code): Code => [...a, ...b, ...simdOp(simd.f64x2Add)];
const fsub = (a: Code, b: Code): Code => [...a, ...b, ...simdOp(simd.f64x2Sub)];
const fmul = (a: Code, b: Code): Code => [...a, ...b, ...simdOp(simd.f64x2Mul)];
const HALF: Code = [...simdOp(simd.v128Const), ...new Uint8Array(new Float64Array([0.5, 0.5]).buffer)];
/** set local = value */
const let_ = (l: number, value: Code): Code => [...value, ...set(l)];

// parameters (the same nine for all three functions; power and magnitude ignore the last three)
const PARAMS = 9;
const [n, z, tw, sw, outA, outB, pw, bands, melBins] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
// i32 locals
const [h, hb, g, zEnd, p, pEnd, t, pk, pj, sk, ok, oj, d, m] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
const I32_LOCALS = 14;
// v128 locals
const [wr, wi, vr, vi, ur, ui, er, ei, or, oi, tr, ti, xv, yv] = [23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36];
const V128_LOCALS = 14;

/** In-place radix-2 decimation-in-time FFT of the bit-reversed z, stage by stage. */
const fftStages: Code = [
  ...let_(h, i32(1)),
  ...let_(t, get(tw)),
  ...let_(zEnd, add32(get(z), [...get(n), ...i32(5), op.i32Shl])),
  op.block, 0x40, op.loop, 0x40,
  ...get(h), ...get(n), op.i32GeU, op.brIf, 1,
  ...let_(hb, [...get(h), ...i32(5), op.i32Shl]),
  ...let_(g, get(z)),
  op.block, 0x40, op.loop, 0x40,
  ...get(g), ...get(zEnd), op.i32GeU, op.brIf, 1,
  ...let_(p, get(g)),
  ...let_(pEnd, add32(get(g), get(hb))),
  ...let_(pk, get(t)), // the twiddle pointer of this group's butterflies
  op.loop, 0x40,
  ...let_(wr, load(get(pk))),
  ...let_(wi, load(get(pk), 16)),
  ...let_(pj, add32(get(p), get(hb))), // q = p + h points
  ...let_(ur, load(get(pj))), // (borrowing ur/ui for the q operand before the product)
  ...let_(ui, load(get(pj), 16)),
  ...let_(vr, fsub(fmul(get(ur), get(wr)), fmul(get(ui), get(wi)))),
  ...let_(vi, fadd(fmul(get(ur), get(wi)), fmul(get(ui), get(wr)))),
  ...let_(ur, load(get(p))),
  ...let_(ui, load(get(p), 16)),
  ...store(get(pj), fsub(get(ur), get(vr))),
  ...store(get(pj), fsub(get(ui), get(vi)), 16),
  ...store(get(p), fadd(get(ur), get(vr))),
  ...store(get(p), fadd(get(ui), get(vi)), 16),
  ...let_(pk, add32(get(pk), i32(32))),
  ...let_(p, add32(get(p), i32(32))),
  ...get(p), ...get(pEnd), op.i32LtU, op.brIf, 0,
  op.end,
  ...let_(g, add32(get(g), [...get(hb), ...i32(1), op.i32Shl])),
  op.br, 0,
  op.end, op.end,
  ...let_(t, add32(get(t), get(hb))),
  ...let_(h, [...get(h), ...i32(1), op.i32Shl]),
  op.br, 0,
  op.end, op.end,
];

/** Store both lanes of local `v` at ptr (lane a) and ptr + d (lane b), as f64 or f32. */
function storeLanes(ptr: number, v: number, f32: boolean): Code {
  const lane = (i: number): Code => [...get(v), ...simdOp(simd.f64x2ExtractLane), i, ...(f32 ? [op.f32DemoteF64] : [])];
  const st = f32 ? [op.f32Store, 2, 0] : [op.f64Store, 3, 0];
  return [...get(ptr), ...lane(0), ...st, ...get(ptr), ...get(d), op.i32Add, ...lane(1), ...st];
}

type Output = 'power' | 'magnitude' | 'pairs';

/** Write local `v` (bin k's value in both lanes) at the output pointer `ptr`. */
function emit(ptr: number, v: number, output: Output): Code {
  return output === 'pairs' ? store(get(ptr), get(v)) : storeLanes(ptr, v, output === 'magnitude');
}

/**
 * The real split, X[k] = E[k] + W^k·O[k] and X[n − k] = conj(E[k] − W^k·O[k]) for k = 1..n/2, with DC and
 * Nyquist from z[0]; writes |X|² (or |X|) of both lanes: split into outA / outB, or for 'pairs' the v128
 * (|X_a[k]|², |X_b[k]|²) at pw + 16k.
 */
function split(output: Output): Code {
  const magnitude = output === 'magnitude';
  const stride = output === 'pairs' ? 16 : magnitude ? 4 : 8;
  const base = output === 'pairs' ? pw : outA;
  const finish = (v: number): Code => (magnitude ? [...get(v), ...simdOp(simd.f64x2Sqrt), ...set(v)] : []);
  return [
    ...let_(d, [...get(outB), ...get(outA), op.i32Sub]),
    // DC = re + im, Nyquist = re − im of z[0]
    ...let_(ur, load(get(z))),
    ...let_(ui, load(get(z), 16)),
    ...let_(xv, fadd(get(ur), get(ui))),
    ...let_(yv, fsub(get(ur), get(ui))),
    ...(magnitude
      ? [...get(xv), ...simdOp(simd.f64x2Abs), ...set(xv), ...get(yv), ...simdOp(simd.f64x2Abs), ...set(yv)]
      : [...let_(xv, fmul(get(xv), get(xv))), ...let_(yv, fmul(get(yv), get(yv)))]),
    ...let_(ok, get(base)),
    ...emit(ok, xv, output),
    ...let_(oj, add32(get(base), [...get(n), ...i32(stride), op.i32Mul])),
    ...emit(oj, yv, output),
    ...let_(pk, add32(get(z), i32(32))),
    ...let_(pj, add32(get(z), [...get(n), ...i32(1), op.i32Sub, ...i32(5), op.i32Shl])),
    ...let_(sk, add32(get(sw), i32(32))),
    ...let_(ok, add32(get(base), i32(stride))),
    ...let_(oj, [...get(oj), ...i32(stride), op.i32Sub]),
    op.loop, 0x40,
    // a = z[k], b = conj z[n − k]: er = (ar + br)/2, ei = (ai − bi')/2, or = (ai + bi')/2, oi = (br − ar)/2
    ...let_(ur, load(get(pk))),
    ...let_(ui, load(get(pk), 16)),
    ...let_(vr, load(get(pj))),
    ...let_(vi, load(get(pj), 16)),
    ...let_(er, fmul(HALF, fadd(get(ur), get(vr)))),
    ...let_(ei, fmul(HALF, fsub(get(ui), get(vi)))),
    ...let_(or, fmul(HALF, fadd(get(ui), get(vi)))),
    ...let_(oi, fmul(HALF, fsub(get(vr), get(ur)))),
    ...let_(wr, load(get(sk))),
    ...let_(wi, load(get(sk), 16)),
    ...let_(tr, fsub(fmul(get(wr), get(or)), fmul(get(wi), get(oi)))),
    ...let_(ti, fadd(fmul(get(wr), get(oi)), fmul(get(wi), get(or)))),
    // X[k] = (er + tr, ei + ti), X[n − k] = (er − tr, ti − ei)
    ...let_(vr, fadd(get(er), get(tr))),
    ...let_(vi, fadd(get(ei), get(ti))),
    ...let_(xv, fadd(fmul(get(vr), get(vr)), fmul(get(vi), get(vi)))),
    ...let_(vr, fsub(get(er), get(tr))),
    ...let_(vi, fsub(get(ti), get(ei))),
    ...let_(yv, fadd(fmul(get(vr), get(vr)), fmul(get(vi), get(vi)))),
    ...finish(xv),
    ...finish(yv),
    ...emit(ok, xv, output),
    ...emit(oj, yv, output),
    ...let_(pk, add32(get(pk), i32(32))),
    ...let_(pj, [...get(pj), ...i32(32), op.i32Sub]),
    ...let_(sk, add32(get(sk), i32(32))),
    ...let_(ok, add32(get(ok), i32(stride))),
    ...let_(oj, [...get(oj), ...i32(stride), op.i32Sub]),
    ...get(pk), ...get(pj), op.i32LeU, op.brIf, 0,
    op.end,
  ];
}

/**
 * The sparse mel bank on the power pairs at pw: bands holds (start byte offset from pw, bin count) as two i32
 * per band, then the weights of all bands in order as (w, w) v128 pairs; band m's sum Σ P[bin]·w, summed in
 * bin order, goes to outA + 4m and outB + 4m as f32.
 */
const melBank: Code = [
  ...let_(d, [...get(outB), ...get(outA), op.i32Sub]),
  ...let_(sk, add32(get(bands), [...get(melBins), ...i32(3), op.i32Shl])), // the weights follow the band table
  ...let_(ok, get(outA)),
  ...let_(m, i32(0)),
  op.block, 0x40, op.loop, 0x40,
  ...get(m), ...get(melBins), op.i32GeU, op.brIf, 1,
  ...let_(pk, add32(get(pw), [...get(bands), op.i32Load, 2, 0])),
  ...let_(pEnd, add32(get(pk), [...get(bands), op.i32Load, 2, 4, ...i32(4), op.i32Shl])),
  ...let_(xv, [...simdOp(simd.v128Const), ...new Array(16).fill(0)]),
  op.block, 0x40, op.loop, 0x40,
  ...get(pk), ...get(pEnd), op.i32GeU, op.brIf, 1,
  ...let_(xv, fadd(get(xv), fmul(load(get(pk)), load(get(sk))))),
  ...let_(pk, add32(get(pk), i32(16))),
  ...let_(sk, add32(get(sk), i32(16))),
  op.br, 0,
  op.end, op.end,
  ...storeLanes(ok, xv, true),
  ...let_(ok, add32(get(ok), i32(4))),
  ...let_(bands, add32(get(bands), i32(8))),
  ...let_(m, add32(get(m), i32(1))),
  op.br, 0,
  op.end, op.end,
];

function functionBody(output: Output): Code {
  const code = [
    ...[2, ...uleb(I32_LOCALS), I32, ...uleb(V128_LOCALS), V128],
    ...fftStages,
    ...split(output),
    ...(output === 'pairs' ? melBank : []),
    op.end,
  ];
  return [...uleb(code.length), ...code];
}

const module = lazyModule([
  ...section(1, [1, 0x60, PARAMS, ...new Array(PARAMS).fill(I32), 0]), // type: (i32 × 9) → ()
  ...section(3, [3, 0, 0, 0]), // three functions of type 0
  ...section(5, [1, 0x00, 1]), // one memory, 1 page to start
  ...section(7, [4, ...name('memory'), 0x02, 0, ...name('power'), 0x00, 0, ...name('magnitude'), 0x00, 1, ...name('mel'), 0x00, 2]),
  ...section(10, [3, ...functionBody('power'), ...functionBody('magnitude'), ...functionBody('pairs')]),
]);

/** Whether this runtime runs the kernel (WebAssembly with SIMD). */
export function fftPairSimdAvailable(): boolean {
  return module() !== null;
}

/** A sparse mel bank (MelBank.sparse): band m weights bins first[m] … with weights[offsets[m], offsets[m + 1]). */
export interface SparseMel {
  first: Int32Array;
  offsets: Int32Array;
  weights: Float64Array;
}

/**
 * One FFT size's kernel instance: its memory holds the tables, the input z and the output rows.
 * Write the two frames into `z`, then call power(), magnitude() or (given a mel bank) mel().
 */
export class FftPairKernel {
  /** complex points n = fftLength / 2 */
  readonly points: number;
  /** z as float64 values: point i is [4i] re_a, [4i+1] re_b, [4i+2] im_a, [4i+3] im_b */
  readonly z: Float64Array;
  /** bit-reversed position of point i */
  readonly reversed: Int32Array;
  /** |X_a|² / |X_b|² (bins = n + 1 values each), valid after power() */
  readonly powerA: Float64Array;
  readonly powerB: Float64Array;
  /** |X_a| / |X_b| as float32, valid after magnitude() */
  readonly magnitudeA: Float32Array;
  readonly magnitudeB: Float32Array;
  /** mel power of frame a / b as float32 (melBins values each), valid after mel() */
  readonly melA: Float32Array;
  readonly melB: Float32Array;
  private readonly runPower: (...args: number[]) => void;
  private readonly runMagnitude: (...args: number[]) => void;
  private readonly runMel: (...args: number[]) => void;
  private readonly ptr: { z: number; tw: number; sw: number; powA: number; powB: number; magA: number; magB: number; pairs: number; bands: number; melBins: number; melA: number; melB: number };

  constructor(fftLength: number, mel?: SparseMel) {
    const mod = module();
    if (!mod) throw new Error('capuchin features: this runtime has no WebAssembly SIMD');
    if (!Number.isInteger(fftLength) || fftLength < 4 || (fftLength & (fftLength - 1)) !== 0) throw new RangeError(`FftPairKernel: fftLength must be a power of two ≥ 4, got ${fftLength}`);
    const pts = fftLength / 2;
    this.points = pts;
    const bins = pts + 1;
    const melBins = mel ? mel.first.length : 0;
    if (mel && (mel.offsets.length !== melBins + 1 || mel.offsets[melBins] !== mel.weights.length)) throw new RangeError('FftPairKernel: malformed sparse mel bank');
    const align = (b: number) => Math.ceil(b / 16) * 16;
    const zPtr = 0;
    const tw = zPtr + 32 * pts;
    const sw = tw + 32 * pts;
    const powA = sw + 32 * (pts / 2 + 1);
    const powB = align(powA + 8 * bins);
    const magA = align(powB + 8 * bins);
    const magB = align(magA + 4 * bins);
    const pairs = align(magB + 4 * bins);
    // the band table is placed so that the weights right after it start 16-byte aligned
    const bands = align(pairs + 16 * bins + 8 * melBins) - 8 * melBins;
    const weights = bands + 8 * melBins;
    const melA = align(weights + 16 * (mel ? mel.weights.length : 0));
    const melB = align(melA + 4 * melBins);
    const bytes = align(melB + 4 * melBins);
    const instance = new WebAssembly.Instance(mod);
    const memory = instance.exports.memory as WebAssembly.Memory;
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    this.runPower = instance.exports.power as (...args: number[]) => void;
    this.runMagnitude = instance.exports.magnitude as (...args: number[]) => void;
    this.runMel = instance.exports.mel as (...args: number[]) => void;
    this.ptr = { z: zPtr, tw, sw, powA, powB, magA, magB, pairs, bands, melBins, melA, melB };
    const buf = memory.buffer;
    this.z = new Float64Array(buf, zPtr, 4 * pts);
    this.powerA = new Float64Array(buf, powA, bins);
    this.powerB = new Float64Array(buf, powB, bins);
    this.magnitudeA = new Float32Array(buf, magA, bins);
    this.magnitudeB = new Float32Array(buf, magB, bins);
    this.melA = new Float32Array(buf, melA, melBins);
    this.melB = new Float32Array(buf, melB, melBins);
    const twiddles = new Float64Array(buf, tw, 4 * pts);
    for (let hh = 1, e = 0; hh < pts; hh *= 2) {
      for (let j = 0; j < hh; j++, e++) {
        const c = Math.cos((-Math.PI * j) / hh);
        const s = Math.sin((-Math.PI * j) / hh);
        twiddles.set([c, c, s, s], 4 * e);
      }
    }
    const split = new Float64Array(buf, sw, 4 * (pts / 2 + 1));
    for (let k = 0; k <= pts / 2; k++) {
      const c = Math.cos((-2 * Math.PI * k) / fftLength);
      const s = Math.sin((-2 * Math.PI * k) / fftLength);
      split.set([c, c, s, s], 4 * k);
    }
    if (mel) {
      const table = new Int32Array(buf, bands, 2 * melBins);
      for (let b = 0; b < melBins; b++) {
        const count = mel.offsets[b + 1] - mel.offsets[b];
        if (count > 0 && (mel.first[b] < 0 || mel.first[b] + count > bins)) throw new RangeError(`FftPairKernel: mel band ${b} reaches past bin ${bins - 1}`);
        table[2 * b] = 16 * mel.first[b];
        table[2 * b + 1] = count;
      }
      const w = new Float64Array(buf, weights, 2 * mel.weights.length);
      for (let j = 0; j < mel.weights.length; j++) {
        w[2 * j] = mel.weights[j];
        w[2 * j + 1] = mel.weights[j];
      }
    }
    const bitsN = Math.log2(pts);
    this.reversed = new Int32Array(pts);
    for (let i = 0; i < pts; i++) {
      let r = 0;
      for (let b = 0; b < bitsN; b++) r |= ((i >> b) & 1) << (bitsN - 1 - b);
      this.reversed[i] = r;
    }
  }

  /** FFT of z, then |X|² of both frames into powerA / powerB. */
  power(): void {
    const p = this.ptr;
    this.runPower(this.points, p.z, p.tw, p.sw, p.powA, p.powB, 0, 0, 0);
  }

  /** FFT of z, then |X| of both frames (float32) into magnitudeA / magnitudeB. */
  magnitude(): void {
    const p = this.ptr;
    this.runMagnitude(this.points, p.z, p.tw, p.sw, p.magA, p.magB, 0, 0, 0);
  }

  /** FFT of z, |X|², then the mel bank given to the constructor: both frames' mel power into melA / melB. */
  mel(): void {
    const p = this.ptr;
    if (p.melBins === 0) throw new Error('FftPairKernel: built without a mel bank');
    this.runMel(this.points, p.z, p.tw, p.sw, p.melA, p.melB, p.pairs, p.bands, p.melBins);
  }
}
