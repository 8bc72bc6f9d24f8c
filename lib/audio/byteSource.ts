/**
 * Where encoded audio bytes come from: random-access reads of a known size. A file on disk
 * (`openFileSource`, Node) and a browser `Blob`/`File` (`blobSource`) are both sources, so the same
 * chunked WAV and mp3 decoders stream a 3-hour recording in bounded memory in the CLI and in the page.
 */
import { open } from 'node:fs/promises';

export interface ByteSource {
  /** Names the input in errors (a path, or a file name in the browser). */
  readonly name: string;
  readonly size: number;
  /** Read up to `length` bytes at `position` into `into[0..]`; returns the bytes read (0 at the end). */
  read(into: Uint8Array, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

/** A file on disk (Node). */
export async function openFileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return {
      name: path,
      size,
      read: async (into, length, position) => (await handle.read(into, 0, length, position)).bytesRead,
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * A Blob or File (browser, or Node ≥ 20): each read slices the blob, so only the asked bytes are held. While the
 * caller works on one read, the next range of the same length is already being read (every decoder here reads
 * in order): a browser reads a File off its thread, so decoding and reading overlap.
 */
export function blobSource(blob: Blob, name: string, onRead?: (position: number, size: number) => void): ByteSource {
  let ahead: { position: number; length: number; bytes: Promise<ArrayBuffer> } | null = null;
  const slice = (position: number, length: number) => blob.slice(position, position + length).arrayBuffer();
  return {
    name,
    size: blob.size,
    read: async (into, length, position) => {
      const hit = ahead !== null && ahead.position === position && ahead.length === length;
      const pending = hit ? ahead!.bytes : slice(position, length);
      ahead = null;
      const bytes = new Uint8Array(await pending);
      into.set(bytes);
      const next = position + bytes.length;
      if (bytes.length === length && next < blob.size) {
        const read = slice(next, length);
        read.catch(() => {}); // a failed read-ahead fails the read that asks for it, not the process
        ahead = { position: next, length, bytes: read };
      }
      onRead?.(next, blob.size);
      return bytes.length;
    },
    close: async () => {
      ahead = null;
    },
  };
}

/** The source for `input`, and whether the caller opened it (and so must close it). */
export async function sourceOf(input: string | ByteSource): Promise<{ source: ByteSource; owned: boolean }> {
  return typeof input === 'string' ? { source: await openFileSource(input), owned: true } : { source: input, owned: false };
}
