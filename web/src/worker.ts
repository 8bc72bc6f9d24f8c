/**
 * The page's counting worker: the CLI's own code path (lib/detect: modelAudio → scoreStream's windows →
 * scoreTrackToEvents → lib/records formats) on tfjs's wasm backend. Its decoding worker (decode.js, started
 * here) reads the recording's File as a stream, never whole, and decodes, resamples and frames it while this
 * worker scores (scoreFramed), so one recording keeps two cores busy (lib/detect/audioPort.ts); where a worker
 * cannot start one, it decodes here.
 */
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { blobSource } from '../../lib/audio/byteSource.ts';
import type { DetectorConfig } from '../../lib/detect/config.ts';
import { modelDetector } from '../../lib/detect/targetDetector.ts';
import { scoreTrackToEvents } from '../../lib/detect/events.ts';
import { ModelAudioClient, type Port } from '../../lib/detect/audioPort.ts';
import { leadSamples, scoreFramed, scoreRecording, type ScoredRecording } from '../../lib/detect/scoreStream.ts';
import { modelFromFiles, type ModelFiles } from '../../lib/model/artifacts.ts';
import { registerWasmTrainingKernels } from '../../lib/model/backend/wasmKernels/register.ts';
import type { ModelMeta } from '../../lib/model/io.ts';
import { detectionRowsFromEvents } from '../../lib/records/detections.ts';
import { readRecordingInfo, timeAt } from '../../lib/audio/recordingInfo.ts';
import { ravenFileName, ravenTable } from '../../lib/records/raven.ts';
import { defaultResultsFormat } from '../../lib/records/results.ts';
import { targetOfModel, type Target } from '../../lib/records/target.ts';
import type { FromWorker, ModelSource, ToWorker } from './protocol.ts';

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let loaded: { model: tf.LayersModel; meta: ModelMeta; detector: DetectorConfig; target: Target } | null = null;
let queue: Promise<void> = Promise.resolve();
/** The decoding worker beside this one; null where this browser gives a worker no workers (then this one decodes). */
let decoder: ModelAudioClient | null = null;

function startDecoder(): ModelAudioClient | null {
  if (typeof Worker === 'undefined') return null;
  try {
    const worker = new Worker(new URL('decode.js', self.location.href));
    const client = new ModelAudioClient(worker as unknown as Port);
    worker.onerror = (e) => {
      decoder = null; // the next files decode here
      client.fail(`the decoding worker stopped (${e.message || 'decode.js did not load'}). Fix: serve the whole web/dist folder`);
    };
    return client;
  } catch {
    return null;
  }
}

async function readModelFiles(source: ModelSource): Promise<ModelFiles> {
  if (source.kind === 'url') {
    const get = async (name: string, optional = false) => {
      const response = await fetch(new URL(name, source.base));
      if (!response.ok) {
        if (optional && response.status === 404) return undefined;
        throw new Error(`capuchin: could not load ${source.base}${name} (HTTP ${response.status}). Fix: serve the whole web/dist folder.`);
      }
      return response;
    };
    const detector = await get('detector.json', true);
    return {
      folder: source.label,
      modelJson: await (await get('model.json'))!.text(),
      weights: await (await get('weights.bin'))!.arrayBuffer(),
      meta: await (await get('capuchin.json'))!.text(),
      detector: detector ? await detector.text() : undefined,
    };
  }
  const byName = new Map(source.files.map((f) => [f.name, f]));
  const need = (name: string) => {
    const file = byName.get(name);
    if (!file) throw new Error(`capuchin: the picked model files have no ${name}. Fix: pick every file of a model/ folder written by \`npm run experiment\` (model.json, weights.bin, capuchin.json, detector.json).`);
    return file;
  };
  const folder = (source.files[0] as File & { webkitRelativePath?: string }).webkitRelativePath?.split('/')[0] || 'the picked model';
  return {
    folder,
    modelJson: await need('model.json').text(),
    weights: await need('weights.bin').arrayBuffer(),
    meta: await need('capuchin.json').text(),
    detector: byName.has('detector.json') ? await byName.get('detector.json')!.text() : undefined,
  };
}

async function init(msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  wasm.setWasmPaths(msg.wasmBase);
  if (msg.threads > 1) wasm.setThreadsCount(msg.threads);
  registerWasmTrainingKernels(); // the CLI registers them too: identical kernels, identical scores
  if (!(await tf.setBackend('wasm'))) throw new Error('capuchin: the tfjs wasm backend failed to start in this browser');
  await tf.ready();
  const files = await readModelFiles(msg.model);
  const { model, meta, detector: saved } = await modelFromFiles(files);
  const { detector, source } = modelDetector(meta, saved?.detector);
  const target = targetOfModel(meta);
  loaded = { model, meta, detector, target };
  decoder = startDecoder();
  post({
    type: 'ready',
    info: {
      backend: tf.getBackend(),
      threads: wasm.getThreadsCount(),
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      decodingWorker: decoder !== null,
      detectorSource: source,
      modelName: `${files.folder} (${meta.architecture}, ${meta.feature.kind})`,
      featureKind: meta.feature.kind,
      target: { name: target.name, lowHz: target.lowHz, highHz: target.highHz, format: defaultResultsFormat(target) },
      windowSec: detector.windowSec,
      hopSec: detector.hopSec,
    },
  });
}

async function count(id: number, file: File): Promise<void> {
  const { model, meta, detector } = loaded!;
  const started = performance.now();
  let last = 0;
  const onRead = (position: number, size: number) => {
    const now = performance.now();
    if (now - last > 200 || position === size) {
      last = now;
      post({ type: 'progress', id, fraction: size ? position / size : 1 });
    }
  };
  const warnings: string[] = [];
  const opts = { keepAudioSec: 0, imageRowsPerSec: 0 };
  let scored: ScoredRecording;
  if (decoder) {
    // framed there too: the decoding worker has the time to spare (lib/detect/audioPort.ts)
    const audio = decoder.framedAudio(file, file.name, meta.feature, leadSamples(detector, meta.feature.sampleRate), {}, warnings, onRead);
    scored = await scoreFramed(audio.chunks, model, meta, detector, opts);
    warnings.push(...audio.inputWarnings());
  } else {
    scored = await scoreRecording(blobSource(file, file.name, onRead), model, meta, detector, opts, warnings);
  }
  const events = scoreTrackToEvents(scored.scores, detector, { durationSec: scored.durationSec });
  // the page has no folder: no site; the start time from GUANO metadata or a recorder's file name, as in the CLI
  const info = await readRecordingInfo(blobSource(file, file.name), file.name, '', { site: '' });
  const detections = detectionRowsFromEvents(file.name, events, { site: info.site, timeAt: timeAt(info) });
  const selections = events.map((e) => ({ begin_s: e.start_s, end_s: e.end_s, score: e.peak_score }));
  let bestScore = 0;
  for (const s of scored.scores) bestScore = Math.max(bestScore, s);
  const scores = scored.scores;
  post(
    {
      type: 'counted',
      result: {
        id,
        recording: file.name,
        durationSec: scored.durationSec,
        count: events.length,
        detections,
        raven: { name: ravenFileName(file.name), text: ravenTable(selections, { lowHz: loaded!.target.lowHz, highHz: loaded!.target.highHz }) },
        bestScore,
        warnings,
        scores,
        hopSec: detector.hopSec,
        leadSec: detector.leadSec,
        seconds: (performance.now() - started) / 1000,
      },
    },
    [scores.buffer],
  );
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'init') {
    queue = queue.then(() => init(msg)).catch((err) => post({ type: 'init-failed', error: err instanceof Error ? err.message : String(err) }));
  } else {
    queue = queue.then(() => count(msg.id, msg.file)).catch((err) => post({ type: 'failed', id: msg.id, recording: msg.file.name, error: err instanceof Error ? err.message : String(err) }));
  }
};
