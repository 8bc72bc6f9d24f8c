/**
 * The mp3 frame decoder: minimp3 (CC0) compiled to wasm by tools/wasm/build.sh, with its SSE code on wasm
 * SIMD (the scalar build where the engine lacks SIMD). It replaced mpg123-decoder (issue 12) for speed, with the
 * same samples (7e-7) and length; `npm run bench -- --only decode` measures decode + resample beside ffmpeg's.
 * Output is mono, the mean of the channels.
 *
 * This is the codec only: mp3.ts sniffs the stream, drops the Xing/Info frame and trims the encoder delay.
 */
import { concatSamples } from './audio.ts';
import { MINIMP3_SCALAR_WASM, MINIMP3_SIMD_WASM } from './minimp3Wasm.ts';
import { lazyModule } from '../util/wasmModule.ts';

interface Exports {
  memory: WebAssembly.Memory;
  init(): void;
  input(): number;
  input_capacity(): number;
  margin(): number;
  output(): number;
  sample_rate(): number;
  samples(): number;
  changed_rate(): number;
  error_count(): number;
  decode(length: number, final: number): number;
  set_half(phase: number): void;
}

/** What one push decoded: mono samples at `sampleRate`; `changedRate` when the stream's rate changed there. */
export interface DecodedChunk {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  /** Set when decoding stopped at a frame whose sample rate differs from the stream's (that rate). */
  readonly changedRate?: number;
}

const simdModule = lazyModule(MINIMP3_SIMD_WASM);
const scalarModule = lazyModule(MINIMP3_SCALAR_WASM);

/** The SIMD build where the engine validates it (unless `simd` is false), else the scalar one. */
function decoderModule(simd: boolean): WebAssembly.Module {
  const module = (simd ? simdModule() : null) ?? scalarModule();
  if (!module) throw new Error('capuchin mp3: this runtime does not validate the scalar minimp3 module');
  return module;
}

/** One stream's decoder. Push bytes in order; whole frames come out, a cut frame waits for the next push. */
export class Minimp3Decoder {
  private readonly wasm: Exports;
  /** Bytes at input() not yet decoded (a frame cut by the end of the last push, and the sync margin). */
  private pending = 0;
  /** With `reuseOutput`, push's samples are gathered here (grown, never shrunk) and returned as a view. */
  private readonly reuseOutput: boolean;
  private output = new Float32Array(0);

  /**
   * `simd: false` forces the scalar build (what engines without wasm SIMD get; tests compare the two). `halfRate`
   * 0 or 1: output half the stream's rate, the even (0) or odd (1) samples of the full-rate synthesis, with the
   * upper half of the band removed before it (minimp3 skips its IMDCT and half the synthesis windows). `reuseOutput`:
   * each push's samples are a view of one buffer the next push overwrites (no fresh buffer per push).
   */
  constructor(options: { simd?: boolean; halfRate?: 0 | 1; reuseOutput?: boolean } = {}) {
    this.reuseOutput = options.reuseOutput ?? false;
    this.wasm = new WebAssembly.Instance(decoderModule(options.simd ?? true), {}).exports as unknown as Exports;
    this.wasm.init();
    if (options.halfRate !== undefined) this.wasm.set_half(options.halfRate);
  }

  /** Frames that failed to decode between good ones (each run of bad bytes counts once), so far. */
  get errors(): number {
    return this.wasm.error_count();
  }

  /**
   * Decode `bytes` (the stream's next bytes). With `final`, also the frames that end exactly at the stream's end.
   * The samples are the caller's own, or with `reuseOutput` a view that the next push overwrites.
   */
  push(bytes: Uint8Array, final = false): DecodedChunk {
    const parts: Float32Array[] = [];
    let changedRate: number | undefined;
    const capacity = this.wasm.input_capacity();
    let offset = 0;
    for (;;) {
      const room = capacity - this.pending;
      const take = Math.min(room, bytes.length - offset);
      new Uint8Array(this.wasm.memory.buffer, this.wasm.input() + this.pending, take).set(bytes.subarray(offset, offset + take));
      offset += take;
      const length = this.pending + take;
      const last = final && offset === bytes.length;
      const used = this.wasm.decode(length, last ? 1 : 0);
      const n = this.wasm.samples();
      if (n > 0) parts.push(this.reuseOutput ? this.gather(parts, n) : new Float32Array(this.wasm.memory.buffer, this.wasm.output(), n).slice());
      this.pending = length - used;
      if (this.pending > 0) new Uint8Array(this.wasm.memory.buffer, this.wasm.input(), length).copyWithin(0, used);
      if (this.wasm.changed_rate()) {
        changedRate = this.wasm.changed_rate();
        break;
      }
      if (offset === bytes.length && (n === 0 || (!last && this.pending < this.wasm.margin()))) break;
      if (used === 0 && take === 0) break; // a full input buffer with no frame in it: nothing more can be done
    }
    // one part (the common case: a push's output fits the wasm buffer) is already a copy of its own; gathered
    // parts lie one after another in `output`, so the last one ends where the whole does
    const samples = this.reuseOutput ? this.output.subarray(0, parts.reduce((sum, p) => sum + p.length, 0)) : parts.length === 1 ? parts[0] : concatSamples(parts);
    return { samples, sampleRate: this.wasm.sample_rate(), changedRate };
  }

  /** Copy the wasm output's `n` samples after `parts` in `output` (grown with what it holds where they do not fit). */
  private gather(parts: Float32Array[], n: number): Float32Array {
    let at = 0;
    for (const p of parts) at += p.length;
    if (at + n > this.output.length) {
      const grown = new Float32Array(Math.max(at + n, 2 * this.output.length));
      grown.set(this.output.subarray(0, at));
      this.output = grown;
    }
    const part = this.output.subarray(at, at + n);
    part.set(new Float32Array(this.wasm.memory.buffer, this.wasm.output(), n));
    return part;
  }
}

