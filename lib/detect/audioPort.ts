/**
 * modelAudio (lib/detect/modelAudio.ts) across a message port: one side decodes, resamples and checks
 * (`serveModelAudio`, the browser page's decoding worker: modelAudio over the File), the other scores what arrives
 * (`ModelAudioClient`, the page's counting worker). Decoding and scoring one recording then run on two cores, with
 * the same chunks, warnings and errors as in one thread. `framedAudio` also frames the stream on the decoding side
 * (the FrameStreamer scoreStream would run, over the same silence-led stream) and sends each chunk with its frames
 * to `scoreFramed`: with buffers reused (below), scoring is the longer half in the browser, and the frames are what
 * can move without splitting the model's work.
 *
 * Flow control: the decoder sends at most `window` chunks the scorer has not taken yet, so a 3-hour file never
 * piles up decoded audio. A scorer that stops early (an error in scoring) cancels the decode. Each chunk's buffer
 * goes back to the decoding side once scored and carries a later chunk: a fresh buffer per chunk costs page faults
 * on every sample, several times slower in the browser than in Node (the web bench's allocation row).
 *
 * A port is anything with postMessage and onmessage: a Worker, a worker's `self`, a MessagePort (also Node's).
 */
import { blobSource } from '../audio/byteSource.ts';
import type { FeatureConfig } from '../features/config.ts';
import { configureFeatures } from '../features/extractor.ts';
import { FrameStreamer } from '../features/frameStream.ts';
import { matrixFrom } from '../features/matrix.ts';
import { BufferPool } from '../util/bufferPool.ts';
import { modelAudio, type ModelAudio, type ModelAudioFeature, type ModelAudioOptions } from './modelAudio.ts';
import type { FramedChunk } from './scoreStream.ts';

export interface Port {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** Frame the stream on the decoding side: the model's feature config, and the silence (samples) at either end. */
export interface Framing {
  feature: FeatureConfig;
  leadSamples: number;
}

export type ToDecoder =
  | { type: 'decode'; id: number; blob: Blob; name: string; feature: ModelAudioFeature; opts: ModelAudioOptions; window: number; framing?: Framing }
  | { type: 'ack'; id: number }
  | { type: 'cancel'; id: number }
  /** A chunk's buffer, given back once the chunk is scored, for a later chunk. */
  | { type: 'recycle'; buffer: ArrayBuffer };

export type FromDecoder =
  /** With framing: `frames` (rows × `cols`) are the chunk's, and `lead` marks the silence at either end. */
  | { type: 'chunk'; id: number; samples: Float32Array; frames?: Float32Array; cols?: number; lead?: boolean }
  | { type: 'read'; id: number; position: number; size: number }
  /** `warnings`: decoding's; `inputWarnings`: the input checks' (modelAudio's inputWarnings). */
  | { type: 'end'; id: number; warnings: string[]; inputWarnings: string[] }
  | { type: 'error'; id: number; message: string };

/** Chunks in flight by default (60 s each by default: modelAudio's chunkSec). */
const DEFAULT_WINDOW = 4;
/** Buffers the decoding side keeps for reuse (the scorer gives each chunk's back: its samples' and frames'). */
const SPARE_BUFFERS = 16;

/** The decoding side: answers every 'decode' on `port` with the recording's chunks, then 'end' (or 'error'). */
export function serveModelAudio(port: Port, pool = new BufferPool(SPARE_BUFFERS)): void {
  const jobs = new Map<number, { credits: number; cancelled: boolean; wake: (() => void) | null }>();
  const send = (m: FromDecoder, transfer: Transferable[] = []) => port.postMessage(m, transfer);

  async function decode(m: Extract<ToDecoder, { type: 'decode' }>): Promise<void> {
    const job = { credits: m.window, cancelled: false, wake: null as (() => void) | null };
    jobs.set(m.id, job);
    const warnings: string[] = [];
    try {
      const source = blobSource(m.blob, m.name, (position, size) => send({ type: 'read', id: m.id, position, size }));
      const audio = modelAudio(source, m.feature, m.opts, warnings);
      const framer = m.framing ? new FrameStreamer(configureFeatures(m.framing.feature)) : null;
      const lead = m.framing?.leadSamples ?? 0;
      /** Send one chunk (copied: modelAudio and the framer reuse their buffers); false once cancelled. */
      const deliver = async (chunk: Float32Array, isLead: boolean): Promise<boolean> => {
        while (job.credits === 0 && !job.cancelled) await new Promise<void>((wake) => (job.wake = wake));
        if (job.cancelled) return false;
        job.credits--;
        const samples = pool.copy(chunk);
        if (!framer) {
          send({ type: 'chunk', id: m.id, samples }, [samples.buffer]);
          return true;
        }
        const framed = framer.push(chunk);
        const frames = pool.copy(framed.data);
        send({ type: 'chunk', id: m.id, samples, frames, cols: framed.cols, lead: isLead }, [samples.buffer, frames.buffer]);
        return true;
      };
      if (lead > 0 && !(await deliver(new Float32Array(lead), true))) return;
      for await (const chunk of audio.chunks) {
        if (!(await deliver(chunk, false))) return; // leaving the loop closes the decoder and its source
      }
      if (lead > 0 && !(await deliver(new Float32Array(lead), true))) return;
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
    const { chunks, inputWarnings } = this.request(blob, name, feature, opts, undefined, warnings, onRead);
    async function* samples(): AsyncGenerator<Float32Array> {
      for await (const m of chunks) yield m.samples;
    }
    return { chunks: samples(), inputWarnings };
  }

  /**
   * modelAudio(blob) framed on the other side for a model with `feature`, with `leadSamples` of silence at either end
   * (scoreStream's leadSamples of the detector): chunks for scoreFramed, each valid until the next is asked for.
   */
  framedAudio(
    blob: Blob,
    name: string,
    feature: FeatureConfig,
    leadSamples: number,
    opts: ModelAudioOptions & { window?: number } = {},
    warnings: string[] = [],
    onRead?: (position: number, size: number) => void,
  ): { chunks: AsyncGenerator<FramedChunk>; inputWarnings(): string[] } {
    const { chunks, inputWarnings } = this.request(blob, name, feature, opts, { feature, leadSamples }, warnings, onRead);
    async function* framed(): AsyncGenerator<FramedChunk> {
      for await (const m of chunks) {
        if (!m.frames || !m.cols) throw new Error('audioPort: a framed chunk came without its frames (internal error)');
        yield { samples: m.samples, frames: matrixFrom(m.frames, m.frames.length / m.cols, m.cols), lead: m.lead === true };
      }
    }
    return { chunks: framed(), inputWarnings };
  }

  /** One recording's chunk messages, each valid until the next is asked for (its buffers then go back). */
  private request(
    blob: Blob,
    name: string,
    feature: ModelAudioFeature,
    opts: ModelAudioOptions & { window?: number },
    framing: Framing | undefined,
    warnings: string[],
    onRead?: (position: number, size: number) => void,
  ): { chunks: AsyncGenerator<Extract<FromDecoder, { type: 'chunk' }>>; inputWarnings(): string[] } {
    const id = this.nextId++;
    const { window = DEFAULT_WINDOW, ...audioOpts } = opts;
    const request: ToDecoder = {
      type: 'decode',
      id,
      blob,
      name,
      feature: { sampleRate: feature.sampleRate, fmaxHz: feature.fmaxHz, removeDc: feature.removeDc },
      opts: audioOpts,
      window,
      framing,
    };
    const client = this;
    let inputWarnings: string[] = [];
    async function* chunks(): AsyncGenerator<Extract<FromDecoder, { type: 'chunk' }>> {
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
            yield m;
            // resumed: the consumer is done with the chunk
            for (const view of [m.samples, m.frames]) {
              if (!view) continue;
              const buffer = view.buffer as ArrayBuffer;
              client.port.postMessage({ type: 'recycle', buffer } satisfies ToDecoder, [buffer]);
            }
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
