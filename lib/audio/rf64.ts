/**
 * RF64 and BW64 (EBU Tech 3306, ITU-R BS.2088): the WAV layout for files over 4 GB, as long field recordings,
 * some recorders and `ffmpeg -rf64 auto` write them. The file starts `RF64` (or `BW64`), size 0xFFFFFFFF, `WAVE`;
 * a `ds64` chunk must come right after `WAVE` and holds the 64-bit RIFF size, data size and sample count, then a
 * table of 64-bit sizes for other chunks. Any chunk whose 32-bit size is 0xFFFFFFFF (the `data` chunk always)
 * takes its size from the ds64 chunk.
 *
 * Sizes and offsets are JS numbers (exact to 2^53 bytes, 8 PiB), never 32-bit ints.
 */
import { AudioError } from './errors.ts';

/** A 32-bit chunk or RIFF size of 0xFFFFFFFF: "see ds64" in an RF64, "to the end of the file" otherwise (ffmpeg writing to a pipe). */
export const UNKNOWN_SIZE = 0xffffffff;
/** Bytes of a ds64 body before its table: riffSize, dataSize, sampleCount (8 each) and tableLength (4). */
export const DS64_FIXED_BYTES = 28;
const TABLE_ENTRY_BYTES = 12; // chunk id (4) + 64-bit size (8)

export type RiffContainer = 'RIFF' | 'RF64' | 'BW64';

export interface Ds64 {
  /** The whole file's size minus 8, as the writer declared it. */
  readonly riffSize: number;
  /** Bytes of the data chunk; 0 when the writer could not go back to fill it in (ffmpeg writing RF64 to a pipe). */
  readonly dataSize: number;
  /** Frames, as the writer declared them (not used for decoding: the data size and block align decide). */
  readonly sampleCount: number;
  /** 64-bit sizes of other chunks whose 32-bit size is 0xFFFFFFFF, by chunk id. */
  readonly chunkSizes: ReadonlyMap<string, number>;
}

/** True for the magics of the 64-bit layout. */
export function isRf64(container: string): container is 'RF64' | 'BW64' {
  return container === 'RF64' || container === 'BW64';
}

const DS64_FIX =
  "re-copy it from the recorder's card or re-export it from its source (a recording cut off while being written, or a tool that rewrote the header, leaves the ds64 chunk missing or damaged)";

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/**
 * Check that `bytes` (at least 20 bytes of the file start) has a ds64 chunk right after `WAVE`, as an RF64 must,
 * and return its declared body size. Throws AudioError 'bad-format' when it is missing or shorter than 28 bytes.
 */
export function ds64BodySize(bytes: Uint8Array, file: string, container: 'RF64' | 'BW64'): number {
  const id = fourcc(bytes, 12);
  if (id !== 'ds64') {
    throw new AudioError(
      file,
      'bad-format',
      `an ${container} file (a WAV over 4 GB) must have a ds64 chunk right after WAVE, but the first chunk is ${JSON.stringify(id.replace(/[^\x20-\x7e]/g, '?'))}, so its sizes are unknown`,
      DS64_FIX,
    );
  }
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(16, true);
  if (size < DS64_FIXED_BYTES) {
    throw new AudioError(file, 'bad-format', `the ${container} ds64 chunk is ${size} bytes, shorter than the ${DS64_FIXED_BYTES} that hold its 64-bit sizes`, DS64_FIX);
  }
  return size;
}

/** Parse the ds64 chunk at byte 12 (`bytes` holds the whole chunk: see ds64BodySize). Throws AudioError 'bad-format' when it is damaged. */
export function parseDs64(bytes: Uint8Array, file: string, container: 'RF64' | 'BW64'): Ds64 {
  const size = ds64BodySize(bytes, file, container);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const body = 20;
  const u64 = (at: number, what: string): number => {
    const value = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
    if (!Number.isSafeInteger(value)) {
      throw new AudioError(file, 'bad-format', `the ${container} ds64 chunk says the ${what} is ${value} bytes, beyond any file (a damaged header)`, DS64_FIX);
    }
    return value;
  };
  const riffSize = view.getUint32(body, true) + view.getUint32(body + 4, true) * 2 ** 32;
  const dataSize = u64(body + 8, 'data size');
  const sampleCount = view.getUint32(body + 16, true) + view.getUint32(body + 20, true) * 2 ** 32;
  const tableLength = view.getUint32(body + 24, true);
  if (DS64_FIXED_BYTES + tableLength * TABLE_ENTRY_BYTES > size) {
    throw new AudioError(
      file,
      'bad-format',
      `the ${container} ds64 chunk lists ${tableLength} chunk sizes but its ${size} bytes hold ${Math.floor((size - DS64_FIXED_BYTES) / TABLE_ENTRY_BYTES)}`,
      DS64_FIX,
    );
  }
  const chunkSizes = new Map<string, number>();
  for (let i = 0, at = body + DS64_FIXED_BYTES; i < tableLength; i++, at += TABLE_ENTRY_BYTES) {
    const id = fourcc(bytes, at);
    chunkSizes.set(id, u64(at + 4, `size of its ${JSON.stringify(id)} chunk`));
  }
  return { riffSize, dataSize, sampleCount, chunkSizes };
}

/**
 * A chunk's body size: its 32-bit size, or, when that is 0xFFFFFFFF in an RF64, the ds64's 64-bit size for it.
 * `undefined` when the size is unknown and the chunk runs to the end of the file (a plain WAV written to a pipe,
 * an RF64 whose ds64 was left at 0, a chunk missing from the ds64 table).
 */
export function chunkSize(id: string, size32: number, ds64: Ds64 | undefined): number | undefined {
  if (size32 !== UNKNOWN_SIZE) return size32;
  if (!ds64) return undefined;
  if (id === 'data') return ds64.dataSize > 0 ? ds64.dataSize : undefined;
  return ds64.chunkSizes.get(id);
}
