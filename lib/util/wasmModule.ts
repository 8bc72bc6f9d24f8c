/**
 * Loading capuchin's WebAssembly modules, all built from C by tools/wasm/build.sh and committed as base64
 * (lib/audio/minimp3Wasm.ts, lib/audio/resampleWasm.ts, lib/features/fftPairWasm.ts): a module compiled once on
 * first use, or null where the runtime does not validate it (no wasm SIMD), and where a wrapper's own data may start.
 */

/** The bytes of a base64 string, in Node and in the browser. */
export function bytesOf(base64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(base64, 'base64'));
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The module of this base64 wasm, compiled on first call; null where it does not validate. */
export function lazyModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      const bytes = bytesOf(base64);
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    }
    return compiled;
  };
}

/**
 * The first 16-byte-aligned byte of an instance's memory that its C code leaves alone (above its data and stack,
 * the linker's exported __heap_base): where the TypeScript side places tables, inputs and outputs.
 */
export function heapBase(instance: WebAssembly.Instance): number {
  const base = instance.exports.__heap_base;
  if (!(base instanceof WebAssembly.Global)) throw new Error('capuchin wasm: the module exports no __heap_base (build it with tools/wasm/build.sh)');
  return Math.ceil((base.value as number) / 16) * 16;
}

/** Grow `memory` until it holds `bytes` bytes. */
export function reserveMemory(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}
