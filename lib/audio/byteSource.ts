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

/** Bytes per read of a blob's stream (its own buffer, reused: each read lands in memory already touched). */
const STREAM_BUFFER_BYTES = 1 << 20;

/**
 * A blob's bytes from `position` on, in order, through its stream: a browser reads a File off its thread and ahead of
 * the reader, into one reused buffer (a "BYOB" reader; where an engine has none, the chunks it hands out).
 */
class BlobStream {
  private readonly byob: ReadableStreamBYOBReader | null;
  private readonly plain: ReadableStreamDefaultReader<Uint8Array> | null;
  private buffer = new ArrayBuffer(STREAM_BUFFER_BYTES);
  /** What the last stream read gave that no read has taken yet (valid until the next stream read). */
  private pending = new Uint8Array(0);

  constructor(
    blob: Blob,
    public position: number,
  ) {
    const stream = blob.slice(position).stream();
    let byob: ReadableStreamBYOBReader | null = null;
    try {
      byob = stream.getReader({ mode: 'byob' });
    } catch {
      // not a byte stream here
    }
    this.byob = byob;
    this.plain = byob ? null : stream.getReader();
  }

  /** Up to `length` bytes into `into[0..]`: fewer only at the blob's end. */
  async read(into: Uint8Array, length: number): Promise<number> {
    let got = 0;
    while (got < length) {
      if (this.pending.length === 0 && !(await this.refill())) break;
      const take = Math.min(length - got, this.pending.length);
      into.set(this.pending.subarray(0, take), got);
      this.pending = this.pending.subarray(take);
      got += take;
    }
    this.position += got;
    return got;
  }

  async cancel(): Promise<void> {
    await (this.byob ?? this.plain)!.cancel().catch(() => {});
  }

  private async refill(): Promise<boolean> {
    if (this.byob) {
      const { done, value } = await this.byob.read(new Uint8Array(this.buffer));
      if (done || !value) return false;
      this.buffer = value.buffer as ArrayBuffer; // the read transferred it; it comes back with the bytes
      this.pending = value;
      return true;
    }
    const { done, value } = await this.plain!.read();
    if (done) return false;
    this.pending = value;
    return true;
  }
}

/**
 * A Blob or File (browser, or Node ≥ 20), read through its stream: reads in order continue it, a read anywhere else
 * starts a new one there, so only the bytes near the reader are held. In a browser this reads a File several times
 * faster than slicing it and asking each slice for its arrayBuffer (the web bench's reading row).
 */
export function blobSource(blob: Blob, name: string, onRead?: (position: number, size: number) => void): ByteSource {
  let stream: BlobStream | null = null;
  return {
    name,
    size: blob.size,
    read: async (into, length, position) => {
      if (stream?.position !== position) {
        await stream?.cancel();
        stream = new BlobStream(blob, position);
      }
      const got = await stream.read(into, length);
      onRead?.(position + got, blob.size);
      return got;
    },
    close: async () => {
      await stream?.cancel();
      stream = null;
    },
  };
}

/** The source for `input`, and whether the caller opened it (and so must close it). */
export async function sourceOf(input: string | ByteSource): Promise<{ source: ByteSource; owned: boolean }> {
  return typeof input === 'string' ? { source: await openFileSource(input), owned: true } : { source: input, owned: false };
}
