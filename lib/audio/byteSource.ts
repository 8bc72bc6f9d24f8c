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

/** A Blob or File (browser, or Node ≥ 20): each read slices the blob, so only the asked bytes are held. */
export function blobSource(blob: Blob, name: string, onRead?: (position: number, size: number) => void): ByteSource {
  return {
    name,
    size: blob.size,
    read: async (into, length, position) => {
      const bytes = new Uint8Array(await blob.slice(position, position + length).arrayBuffer());
      into.set(bytes);
      onRead?.(position + bytes.length, blob.size);
      return bytes.length;
    },
    close: async () => {},
  };
}

/** The source for `input`, and whether the caller opened it (and so must close it). */
export async function sourceOf(input: string | ByteSource): Promise<{ source: ByteSource; owned: boolean }> {
  return typeof input === 'string' ? { source: await openFileSource(input), owned: true } : { source: input, owned: false };
}
