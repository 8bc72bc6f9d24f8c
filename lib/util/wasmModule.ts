/**
 * The shared plumbing of capuchin's hand-assembled WebAssembly kernels (lib/audio/resampleKernel.ts,
 * lib/features/fftPairKernel.ts): LEB128 and name encodings, sections, the SIMD opcode prefix, and a module
 * compiled once on first use, or null where the runtime does not validate it (no wasm SIMD).
 */

export const I32 = 0x7f;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

export const name = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A SIMD instruction (0xfd prefix). */
export const simdOp = (code: number): number[] => [0xfd, ...uleb(code)];

/** The module of these sections (after the magic and version), compiled on first call; null where it does not validate. */
export function lazyModule(sections: number[]): () => WebAssembly.Module | null {
  const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections]);
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    return compiled;
  };
}
