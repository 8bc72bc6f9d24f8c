/**
 * GUANO metadata (github.com/riggsd/guano-spec): the `guan` chunk that bat and bird recorders write into a WAV,
 * UTF-8 text with one `Key: value` per line (`GUANO|Version: 1.0`, `Timestamp: 2024-03-01T05:30:00-03:00`,
 * `Loc Position: -3.1 -60.0`, `Make`, `Model`, `Serial`, `TE`, vendor keys such as `WA|…`).
 *
 * The chunk may sit anywhere in the file, often after the samples, so `findWavChunk` walks the chunk headers
 * (RIFF or RF64/BW64, 8 bytes each, read at their offsets) and only the `guan` chunk itself is read: a recording
 * of several GB costs a few small reads.
 */
import { sourceOf, type ByteSource } from './byteSource.ts';
import { AudioError } from './errors.ts';
import { chunkSize, ds64BodySize, isRf64, parseDs64, type Ds64 } from './rf64.ts';

/** GUANO text is a few KB; a larger `guan` chunk is not metadata. */
const MAX_GUANO_BYTES = 1 << 20;
/** Stop walking after this many chunks (a damaged size can send the walk into the samples). */
const MAX_CHUNKS = 4096;

/** A chunk's body in a WAV file. */
export interface WavChunk {
  readonly id: string;
  /** Byte offset of the body (after the 8-byte chunk header). */
  readonly offset: number;
  /** Body bytes present in the file (the declared size, cut to the end of the file). */
  readonly size: number;
}

export async function readAt(source: ByteSource, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(Math.max(0, Math.min(length, source.size - position)));
  let done = 0;
  while (done < bytes.length) {
    const n = await source.read(bytes.subarray(done), bytes.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return bytes.subarray(0, done);
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/**
 * The first chunk `id` of a RIFF or RF64/BW64 WAVE file, found by reading only the chunk headers (and the ds64
 * chunk of an RF64, for the 64-bit sizes). `undefined` when the bytes are not a WAVE file, or no such chunk comes
 * before the end of the file or a chunk of unknown size. An RF64 with a missing or damaged ds64 throws its AudioError.
 */
export async function findWavChunk(source: ByteSource, id: string): Promise<WavChunk | undefined> {
  const head = await readAt(source, 0, 20);
  if (head.length < 12 || fourcc(head, 8) !== 'WAVE') return undefined;
  const container = fourcc(head, 0);
  if (container !== 'RIFF' && !isRf64(container)) return undefined;
  let ds64: Ds64 | undefined;
  let at = 12;
  if (isRf64(container)) {
    if (head.length < 20) {
      throw new AudioError(source.name, 'truncated', `the file ends after ${head.length} bytes, inside its ds64 chunk`, 're-download or re-export it');
    }
    const body = ds64BodySize(head, source.name, container);
    const chunk = await readAt(source, 0, 20 + body);
    if (chunk.length < 20 + body) {
      throw new AudioError(source.name, 'truncated', `the file ends after ${chunk.length} bytes, inside its ds64 chunk (needs ${20 + body})`, 're-download or re-export it');
    }
    ds64 = parseDs64(chunk, source.name, container);
    at = 20 + body + (body % 2);
  }
  for (let n = 0; n < MAX_CHUNKS && at + 8 <= source.size; n++) {
    const header = await readAt(source, at, 8);
    if (header.length < 8) return undefined;
    const chunkId = fourcc(header, 0);
    const size = chunkSize(chunkId, new DataView(header.buffer, header.byteOffset, 8).getUint32(4, true), ds64);
    const present = source.size - (at + 8);
    if (chunkId === id) return { id, offset: at + 8, size: size === undefined ? present : Math.min(size, present) };
    if (size === undefined) return undefined; // runs to the end of the file
    at += 8 + size + (size % 2); // chunks are padded to even sizes
  }
  return undefined;
}

/**
 * The GUANO fields of a WAV file (a path, or any byte source), or `undefined` when it has no `guan` chunk
 * (or is not a WAV). Reads the chunk headers and the `guan` chunk only.
 */
export async function readGuano(input: string | ByteSource): Promise<Record<string, string> | undefined> {
  let opened;
  try {
    opened = await sourceOf(input);
  } catch (err) {
    if (typeof input === 'string' && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AudioError(input, 'missing', 'the file does not exist', 'check the path and the file name');
    }
    throw err;
  }
  const { source, owned } = opened;
  try {
    const chunk = await findWavChunk(source, 'guan');
    if (!chunk) return undefined;
    if (chunk.size > MAX_GUANO_BYTES) {
      throw new AudioError(source.name, 'bad-format', `its guan chunk is ${chunk.size} bytes, too large for GUANO text (at most ${MAX_GUANO_BYTES})`, 're-write the metadata with a GUANO editor (guano_edit.py)');
    }
    return parseGuano(decodeText(await readAt(source, chunk.offset, chunk.size)));
  } finally {
    if (owned) await source.close();
  }
}

/** UTF-8, as GUANO requires; bytes that are not UTF-8 are read as Latin-1 (as the reference reader does). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

const trim = (text: string) => text.replace(/^[\s\0]+|[\s\0]+$/g, '');

/**
 * GUANO text → fields. One `Key: value` per line (`\n` or `\r\n`); the key ends at the first `:`, so values may
 * hold colons; keys and values are trimmed of whitespace and NUL padding; blank lines, lines without a `:` and
 * keys without a value are left out; a repeated key keeps its last value. Values are returned as written (the
 * `\n` escape of multi-line `Note` values is not expanded).
 */
export function parseGuano(text: string): Record<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = trim(line.slice(0, colon));
    const value = trim(line.slice(colon + 1));
    if (key && value) fields.set(key, value);
  }
  return Object.fromEntries(fields);
}

export interface GuanoTimestamp {
  /** The `Timestamp` value as written, e.g. `2024-03-01T05:30:00-03:00`. */
  readonly iso: string;
  /** Minutes east of UTC (−180 for `-03:00`, 0 for `Z`); `undefined` when the timestamp has no offset: local time, offset unknown. */
  readonly offsetMinutes: number | undefined;
  /** The instant in ms since 1970-01-01 UTC; `undefined` when the offset is unknown (a local time names no single instant). */
  readonly epochMs: number | undefined;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The recording's start from the `Timestamp` field: `YYYY-MM-DDTHH:MM:SS[.fff…]` followed by `Z`, `±HH:MM` or
 * nothing (local time, offset unknown); read leniently, as are `±HHMM`, `±HH`, a space for the `T`, a `,` for the `.`.
 * `undefined` when there is no Timestamp or it is not such a date-time (a month 13, a 25th hour…).
 * Fractions below a millisecond are dropped.
 */
export function guanoTimestamp(fields: Readonly<Record<string, string>>): GuanoTimestamp | undefined {
  const iso = fields.Timestamp;
  const m = iso === undefined ? null : TIMESTAMP.exec(iso);
  if (!iso || !m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, ms);
  const valid = wall.getUTCFullYear() === year && wall.getUTCMonth() === month - 1 && wall.getUTCDate() === day && wall.getUTCHours() === hour && wall.getUTCMinutes() === minute && wall.getUTCSeconds() === second;
  if (!valid) return undefined;
  const zone = m[8];
  if (!zone) return { iso, offsetMinutes: undefined, epochMs: undefined };
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (hours > 23 || minutes > 59) return undefined;
    const total = hours * 60 + minutes;
    offsetMinutes = zone[0] === '-' && total > 0 ? -total : total;
  }
  return { iso, offsetMinutes, epochMs: wall.getTime() - offsetMinutes * 60_000 };
}
