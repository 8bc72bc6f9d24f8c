/**
 * The comment of a WAV's LIST/INFO chunk (ICMT), and the start time AudioMoth writes there:
 * `Recorded at 05:30:00 01/03/2024 (UTC-3) by AudioMoth 24F3190…`. Its offset tells whether the file name is
 * UTC or the recorder's local time, so an AudioMoth set to a time zone needs no --utc-offset.
 */
import { sourceOf, type ByteSource } from './byteSource.ts';
import { decodeText, findWavChunk, readAt } from './guano.ts';
import { makeStart, type RecordingStart } from './recordingTime.ts';

/** INFO lists are a few hundred bytes; a larger one is not read. */
const MAX_LIST_BYTES = 1 << 16;

/** The ICMT text of a WAV file's LIST/INFO chunk, or undefined (no such chunk, not a WAV). */
export async function readWavComment(input: string | ByteSource): Promise<string | undefined> {
  const { source, owned } = await sourceOf(input);
  try {
    const list = await findWavChunk(source, 'LIST');
    if (!list || list.size < 4 || list.size > MAX_LIST_BYTES) return undefined;
    const body = await readAt(source, list.offset, list.size);
    if (String.fromCharCode(...body.subarray(0, 4)) !== 'INFO') return undefined;
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let at = 4; at + 8 <= body.length; ) {
      const id = String.fromCharCode(...body.subarray(at, at + 4));
      const size = view.getUint32(at + 4, true);
      if (id === 'ICMT') return decodeText(body.subarray(at + 8, Math.min(body.length, at + 8 + size))).replace(/\0+$/, '');
      at += 8 + size + (size % 2);
    }
    return undefined;
  } finally {
    if (owned) await source.close();
  }
}

const RECORDED_AT = /Recorded at (\d{2}):(\d{2}):(\d{2}) (\d{2})\/(\d{2})\/(\d{4}) \(UTC(?:([+-])(\d{1,2})(?::(\d{2}))?)?\)/;

/** The start time in an AudioMoth comment (local time with its UTC offset), or undefined. */
export function startFromAudioMothComment(comment: string): RecordingStart | undefined {
  const m = RECORDED_AT.exec(comment);
  if (!m) return undefined;
  const offset = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9] ?? 0)) : 0;
  return makeStart({ year: +m[6], month: +m[5], day: +m[4], hour: +m[1], minute: +m[2], second: +m[3] }, offset, 'audiomoth');
}
