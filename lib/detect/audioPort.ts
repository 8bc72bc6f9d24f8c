/**
 * modelAudio (lib/detect/modelAudio.ts) across a message port: one side decodes, resamples and checks
 * (`serveModelAudio`, the browser page's decoding worker: modelAudio over the File), the other scores what arrives
 * (`ModelAudioClient.modelAudio`, the page's counting worker: its chunks go to scoreStream). Decoding and scoring
 * one recording then run on two cores, with the same chunks, warnings and errors as in one thread. The resampler
 * runs on the decoding side: with buffers reused (below), scoring is the longer half in the browser.
 *
 * Flow control: the decoder sends at most `window` chunks the scorer has not taken yet, so a 3-hour file never
 * piles up decoded audio. A scorer that stops early (an error in scoring) cancels the decode. Each chunk's buffer
 * goes back to the decoding side once scored and carries a later chunk: a fresh buffer per chunk costs page faults
 * on every sample, several times slower in the browser than in Node (the web bench's allocation row).
 *
 * A port is anything with postMessage and onmessage: a Worker, a worker's `self`, a MessagePort (also Node's).
 */
import { blobSource } from '../audio/byteSource.ts';
import { modelAudio, type ModelAudio, type ModelAudioFeature, type ModelAudioOptions } from './modelAudio.ts';

export interface Port {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

export type ToDecoder =
  | { type: 'decode'; id: number; blob: Blob; name: string; feature: ModelAudioFeature; opts: ModelAudioOptions; window: number }
  | { type: 'ack'; id: number }
  | { type: 'cancel'; id: number }
  /** A chunk's buffer, given back once the chunk is scored, for a later chunk. */
  | { type: 'recycle'; buffer: ArrayBuffer };

export type FromDecoder =
  | { type: 'chunk'; id: number; samples: Float32Array }
  | { type: 'read'; id: number; position: number; size: number }
  /** `warnings`: decoding's; `inputWarnings`: the input checks' (modelAudio's inputWarnings). */
  | { type: 'end'; id: number; warnings: string[]; inputWarnings: string[] }
  | { type: 'error'; id: number; message: string };

/** Chunks in flight by default (60 s each by default: modelAudio's chunkSec). */
const DEFAULT_WINDOW = 4;
/** Buffers the decoding side keeps for reuse (the scorer gives each chunk's back). */
const SPARE_BUFFERS = 8;

/** The decoding side's buffers for the chunks it sends, back from the scorer once used. */
export class BufferPool {
  private readonly spare: ArrayBuffer[] = [];
  /** Buffers made so far (the rest of the copies went into given-back ones). */
  created = 0;

  /** A copy of `samples` in a buffer of the pool's (or a new one, with room for a slightly longer chunk). */
  copy(samples: Float32Array): Float32Array {
    const bytes = samples.byteLength;
    const i = this.spare.findIndex((b) => b.byteLength >= bytes);
    if (i < 0) this.created++;
    const buffer = i >= 0 ? this.spare.splice(i, 1)[0] : new ArrayBuffer(Math.ceil((bytes * 1.25) / 4) * 4);
    const out = new Float32Array(buffer, 0, samples.length);
    out.set(samples);
    return out;
  }

  give(buffer: ArrayBuffer): void {
    if (this.spare.length < SPARE_BUFFERS) this.spare.push(buffer);
  }
}

/** The decoding side: answers every 'decode' on `port` with the recording's chunks, then 'end' (or 'error'). */
export function serveModelAudio(port: Port, pool = new BufferPool()): void {
  const jobs = new Map<number, { credits: number; cancelled: boolean; wake: (() => void) | null }>();
  const send = (m: FromDecoder, transfer: Transferable[] = []) => port.postMessage(m, transfer);

  async function decode(m: Extract<ToDecoder, { type: 'decode' }>): Promise<void> {
    const job = { credits: m.window, cancelled: false, wake: null as (() => void) | null };
    jobs.set(m.id, job);
    const warnings: string[] = [];
    try {
      const source = blobSource(m.blob, m.name, (position, size) => send({ type: 'read', id: m.id, position, size }));
      const audio = modelAudio(source, m.feature, m.opts, warnings);
      for await (const chunk of audio.chunks) {
        while (job.credits === 0 && !job.cancelled) await new Promise<void>((wake) => (job.wake = wake));
        if (job.cancelled) return; // leaving the loop closes the decoder and its source
        job.credits--;
        // a copy: modelAudio reuses its chunk buffer, and the copy's buffer can be transferred
        const samples = pool.copy(chunk);
        send({ type: 'chunk', id: m.id, samples }, [samples.buffer]);
      }
      send({ type: 'end', id: m.id, warnings, inputWarnings: audio.inputWarnings() });
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
    if (m.type === 'recycle') {
      pool.give(m.buffer);
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
   * modelAudio(blob), on the other side. Decoding warnings reach `warnings` when the chunks end (as in one thread, all
   * before the input checks'). `onRead` sees the bytes read. Each chunk is valid until the next is asked for.
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
    let inputWarnings: string[] = [];
    async function* chunks(): AsyncGenerator<Float32Array> {
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
          else if (m.type === 'chunk') {
            client.port.postMessage({ type: 'ack', id } satisfies ToDecoder);
            yield m.samples;
            // resumed: the consumer is done with the chunk
            const buffer = m.samples.buffer as ArrayBuffer;
            client.port.postMessage({ type: 'recycle', buffer } satisfies ToDecoder, [buffer]);
          } else if (m.type === 'end') {
            finished = true;
            warnings.push(...m.warnings);
            inputWarnings = m.inputWarnings;
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
    return { chunks: chunks(), inputWarnings: () => inputWarnings };
  }
}
