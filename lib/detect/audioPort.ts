/**
 * modelAudio (lib/detect/modelAudio.ts) across a message port: one side decodes (`serveModelAudio`, the browser
 * page's decoding worker: decodePieces, the file's own rate), the other resamples, checks and scores what arrives
 * (`ModelAudioClient.modelAudio`, the page's counting worker: modelAudioOf, then scoreStream). Decoding and scoring
 * one recording then run on two cores, with the same chunks, warnings and errors as in one thread. The resampler
 * runs on the scoring side: in the browser, decoding is the longer half.
 *
 * Flow control: the decoder sends at most `window` pieces the scorer has not taken yet, so a 3-hour file never
 * piles up decoded audio. A scorer that stops early (an error in scoring) cancels the decode.
 *
 * A port is anything with postMessage and onmessage: a Worker, a worker's `self`, a MessagePort (also Node's).
 */
import { blobSource } from '../audio/byteSource.ts';
import { decodePieces, type NativePiece } from '../audio/load.ts';
import { decodeOptions, modelAudioOf, type ModelAudio, type ModelAudioFeature, type ModelAudioOptions } from './modelAudio.ts';

export interface Port {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

export type ToDecoder =
  | { type: 'decode'; id: number; blob: Blob; name: string; feature: ModelAudioFeature; opts: ModelAudioOptions; window: number }
  | { type: 'ack'; id: number }
  | { type: 'cancel'; id: number };

export type FromDecoder =
  | { type: 'piece'; id: number; piece: NativePiece }
  | { type: 'read'; id: number; position: number; size: number }
  | { type: 'end'; id: number; warnings: string[] }
  | { type: 'error'; id: number; message: string };

/** Pieces in flight by default (an mp3 piece is what 256 KB decode to, about 16 s at 128 kbps). */
const DEFAULT_WINDOW = 4;

/** The decoding side: answers every 'decode' on `port` with the recording's pieces, then 'end' (or 'error'). */
export function serveModelAudio(port: Port): void {
  const jobs = new Map<number, { credits: number; cancelled: boolean; wake: (() => void) | null }>();
  const send = (m: FromDecoder, transfer: Transferable[] = []) => port.postMessage(m, transfer);

  async function decode(m: Extract<ToDecoder, { type: 'decode' }>): Promise<void> {
    const job = { credits: m.window, cancelled: false, wake: null as (() => void) | null };
    jobs.set(m.id, job);
    const warnings: string[] = [];
    try {
      const source = blobSource(m.blob, m.name, (position, size) => send({ type: 'read', id: m.id, position, size }));
      for await (const piece of decodePieces(source, decodeOptions(m.feature, m.opts, warnings))) {
        while (job.credits === 0 && !job.cancelled) await new Promise<void>((wake) => (job.wake = wake));
        if (job.cancelled) return; // leaving the loop closes the decoder and its source
        job.credits--;
        // a copy: decoders may yield views of buffers they reuse, and the copy's buffer can be transferred
        const samples = piece.samples.slice();
        send({ type: 'piece', id: m.id, piece: { samples, sampleRate: piece.sampleRate, stats: piece.stats } }, [samples.buffer]);
      }
      send({ type: 'end', id: m.id, warnings });
    } catch (err) {
      if (!job.cancelled) send({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) });
    } finally {
      jobs.delete(m.id);
    }
  }

  port.onmessage = (event: MessageEvent) => {
    const m = event.data as ToDecoder;
    if (m.type === 'decode') {
      void decode(m);
      return;
    }
    const job = jobs.get(m.id);
    if (!job) return;
    if (m.type === 'ack') job.credits++;
    else job.cancelled = true;
    job.wake?.();
    job.wake = null;
  };
}

/** The scoring side of one port: any number of recordings, one after another or side by side. */
export class ModelAudioClient {
  private nextId = 1;
  private readonly jobs = new Map<number, (m: FromDecoder) => void>();

  constructor(private readonly port: Port) {
    port.onmessage = (event: MessageEvent) => {
      const m = event.data as FromDecoder;
      this.jobs.get(m.id)?.(m);
    };
  }

  /** The decoding worker stopped (its error event): every open recording fails with `message`. */
  fail(message: string): void {
    for (const [id, deliver] of this.jobs) deliver({ type: 'error', id, message });
  }

  /**
   * modelAudio(blob), decoded on the other side, resampled and checked here. Decoding warnings reach `warnings` when
   * the chunks end (as in one thread, all before the input checks'). `onRead` sees the bytes read.
   */
  modelAudio(
    blob: Blob,
    name: string,
    feature: ModelAudioFeature,
    opts: ModelAudioOptions & { window?: number } = {},
    warnings: string[] = [],
    onRead?: (position: number, size: number) => void,
  ): ModelAudio {
    const id = this.nextId++;
    const { window = DEFAULT_WINDOW, ...audioOpts } = opts;
    const request: ToDecoder = { type: 'decode', id, blob, name, feature: { sampleRate: feature.sampleRate, fmaxHz: feature.fmaxHz, removeDc: feature.removeDc }, opts: audioOpts, window };
    const client = this;
    async function* pieces(): AsyncGenerator<NativePiece> {
      const queue: FromDecoder[] = [];
      let wake: (() => void) | null = null;
      client.jobs.set(id, (m) => {
        queue.push(m);
        wake?.();
        wake = null;
      });
      let finished = false;
      try {
        client.port.postMessage(request);
        for (;;) {
          while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          const m = queue.shift()!;
          if (m.type === 'read') onRead?.(m.position, m.size);
          else if (m.type === 'piece') {
            client.port.postMessage({ type: 'ack', id } satisfies ToDecoder);
            yield m.piece;
          } else if (m.type === 'end') {
            finished = true;
            warnings.push(...m.warnings);
            return;
          } else {
            finished = true;
            throw new Error(m.message);
          }
        }
      } finally {
        client.jobs.delete(id);
        if (!finished) client.port.postMessage({ type: 'cancel', id } satisfies ToDecoder);
      }
    }
    return modelAudioOf(pieces(), feature, audioOpts);
  }
}
