/**
 * The browser counter's page: pick or drop recordings, count them in a pool of Web Workers (worker.ts),
 * show one table row per file (data-recording / data-count / data-starts for tests), a score track per
 * file, and the CLI's downloads (results.csv, detections.csv, errors.csv, warnings.csv, Raven tables). Nothing is uploaded:
 * every file is read in this tab.
 */
import { detectionsCsv, type DetectionRow } from '../../lib/records/detections.ts';
import { errorsCsv } from '../../lib/records/errors.ts';
import { warningsCsv } from '../../lib/records/warnings.ts';
import { resultRowsForFolder, resultsCsv, type ResultsFormat } from '../../lib/records/results.ts';
import type { CountedFile, FromWorker, ModelSource, ToWorker, WorkerInfo } from './protocol.ts';

declare const Plotly: { newPlot(el: HTMLElement, data: object[], layout: object, config: object): Promise<void> } | undefined;

interface Entry {
  id: number;
  file: File;
  row: HTMLTableRowElement;
  fraction: number;
  result?: CountedFile;
  error?: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const entries: Entry[] = [];
let pool: Pool | null = null;
let modelSource: ModelSource = { kind: 'url', base: new URL('model/', location.href).href, label: 'the shipped model' };
let nextId = 0;
/** The user picked a results.csv layout (else the model's target decides it). */
let formatChosen = false;

/** Workers that each load the model once and take the next waiting file when idle. */
class Pool {
  readonly ready: Promise<WorkerInfo>;
  private readonly idle: Worker[] = [];
  private readonly waiting: Entry[] = [];
  private readonly busy = new Map<Worker, Entry>();
  private readonly workers: Worker[] = [];

  constructor(size: number, threads: number, model: ModelSource, private readonly onMessage: (m: FromWorker) => void) {
    const wasmBase = new URL('./', location.href).href;
    const starts = Array.from({ length: size }, () => {
      return new Promise<WorkerInfo>((resolve, reject) => {
        const worker = new Worker(new URL('worker.js', location.href)); // throws (rejects) where the browser forbids workers, e.g. file://
        this.workers.push(worker);
        worker.onerror = (e) => reject(new Error(`the counting worker failed to start (${e.message || 'blocked by the browser; serve the folder over http'})`));
        worker.onmessage = (event: MessageEvent<FromWorker>) => {
          const m = event.data;
          if (m.type === 'ready') {
            worker.onmessage = (ev: MessageEvent<FromWorker>) => this.handle(worker, ev.data);
            this.idle.push(worker);
            this.pump();
            resolve(m.info);
          } else if (m.type === 'init-failed') reject(new Error(m.error));
        };
        worker.postMessage({ type: 'init', model, wasmBase, threads } satisfies ToWorker);
      });
    });
    this.ready = Promise.any(starts).catch((e: AggregateError) => Promise.reject(e.errors[0]));
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
  }

  add(entry: Entry): void {
    this.waiting.push(entry);
    this.pump();
  }

  private handle(worker: Worker, m: FromWorker): void {
    this.onMessage(m);
    if (m.type === 'counted' || m.type === 'failed') {
      this.busy.delete(worker);
      this.idle.push(worker);
      this.pump();
    }
  }

  private pump(): void {
    while (this.idle.length && this.waiting.length) {
      const worker = this.idle.shift()!;
      const entry = this.waiting.shift()!;
      this.busy.set(worker, entry);
      worker.postMessage({ type: 'count', id: entry.id, file: entry.file } satisfies ToWorker);
    }
  }
}

function poolShape(): { size: number; threads: number } {
  const cores = navigator.hardwareConcurrency || 2;
  // A cross-origin isolated page may use tfjs's threaded wasm build (SharedArrayBuffer). tfjs gives a
  // worker at most half the logical cores, so threads pay only from 4 cores on: then 2 per worker.
  if (self.crossOriginIsolated && cores >= 4) return { size: Math.min(4, Math.floor(cores / 2)), threads: 2 };
  return { size: Math.max(1, Math.min(4, cores)), threads: 1 };
}

function startPool(): Pool {
  const { size, threads } = poolShape();
  const p = new Pool(size, threads, modelSource, onWorkerMessage);
  $('engine').textContent = 'loading the model…';
  p.ready.then(
    (info) => {
      $('engine').textContent =
        `${info.modelName}; detector: ${info.detectorSource}. tfjs ${info.backend}${info.simd ? ' SIMD' : ''}, ${size} worker(s) × ${info.threads} wasm thread(s)${info.decodingWorker ? ', each decoding in a worker of its own' : ''}; ` +
        (self.crossOriginIsolated
          ? "cross-origin isolated, so tfjs's threaded wasm build is used (at most half the logical cores per worker)."
          : 'not cross-origin isolated, so one wasm thread per worker (serve with COOP/COEP headers for threads, e.g. npm run serve:web -- --isolate).');
      document.body.dataset.model = 'ready';
      $('target-name').textContent = info.target.name;
      document.title = `capuchin: count ${info.target.name} calls in your browser`;
      if (!formatChosen) $<HTMLSelectElement>('format').value = info.target.format;
    },
    (err: Error) => {
      $('engine').textContent = `Could not load the model: ${err.message}`;
      document.body.dataset.model = 'failed';
      for (const e of entries) if (!e.result && !e.error) fail(e, err.message);
    },
  );
  return p;
}

function onWorkerMessage(m: FromWorker): void {
  if (m.type === 'progress') {
    const e = entries.find((x) => x.id === m.id);
    if (e) setFraction(e, m.fraction);
  } else if (m.type === 'counted') {
    const e = entries.find((x) => x.id === m.result.id)!;
    e.result = m.result;
    setFraction(e, 1);
    renderResult(e);
  } else if (m.type === 'failed') {
    fail(entries.find((x) => x.id === m.id)!, m.error);
  }
  updateOverall();
}

function fail(e: Entry, error: string): void {
  e.error = error;
  e.row.dataset.status = 'failed';
  e.row.cells[2].textContent = '—';
  e.row.cells[3].textContent = error;
  e.row.cells[3].className = 'error';
  setFraction(e, 1);
  updateOverall();
}

function setFraction(e: Entry, fraction: number): void {
  e.fraction = fraction;
  (e.row.querySelector('progress') as HTMLProgressElement).value = fraction;
}

function fmt(sec: number): string {
  const m = Math.floor(sec / 60);
  return `${m}:${(sec - 60 * m).toFixed(1).padStart(4, '0')}`;
}

function renderResult(e: Entry): void {
  const r = e.result!;
  const starts = r.detections.map((d) => Number(d.start_s.toFixed(3)));
  Object.assign(e.row.dataset, { status: 'counted', count: String(r.count), starts: starts.join(',') });
  e.row.cells[1].textContent = fmt(r.durationSec);
  e.row.cells[2].textContent = String(r.count);
  e.row.cells[3].textContent = starts.length ? starts.map(fmt).join(', ') : 'none';
  for (const w of r.warnings) {
    const note = document.createElement('div');
    note.className = 'warning';
    note.textContent = `warning: ${w}`;
    e.row.cells[3].append(note);
  }
  e.row.cells[4].textContent = r.bestScore.toFixed(3);
  const link = download(r.raven.name, r.raven.text, 'Raven table');
  e.row.cells[5].replaceChildren(link, document.createTextNode(` · ${(r.durationSec / Math.max(r.seconds, 1e-9)).toFixed(0)}× real time`));
  plot(e);
}

function plot(e: Entry): void {
  const r = e.result!;
  const holder = document.createElement('tr');
  const cell = holder.insertCell();
  cell.colSpan = 6;
  const div = document.createElement('div');
  div.className = 'track';
  cell.append(div);
  e.row.after(holder);
  if (typeof Plotly === 'undefined') {
    div.textContent = 'plotly.js did not load; the score track is not drawn.';
    return;
  }
  const x = Array.from(r.scores, (_, i) => i * r.hopSec - r.leadSec);
  const shapes = r.detections.map((d) => ({ type: 'rect', xref: 'x', yref: 'paper', x0: d.start_s, x1: d.end_s, y0: 0, y1: 1, fillcolor: 'rgba(230,120,20,0.25)', line: { width: 0 } }));
  void Plotly.newPlot(
    div,
    [{ x, y: Array.from(r.scores), type: 'scatter', mode: 'lines', name: 'window score', line: { width: 1, color: '#2a6' } }],
    { title: { text: `${r.recording}: ${r.count} call(s)`, font: { size: 13 } }, height: 200, margin: { l: 40, r: 10, t: 30, b: 35 }, xaxis: { title: { text: 'window start (s)' } }, yaxis: { range: [0, 1] }, shapes },
    { responsive: true, displaylogo: false },
  );
}

function download(name: string, text: string, label = name): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  a.download = name;
  a.textContent = label;
  return a;
}

function updateOverall(): void {
  const total = entries.length;
  const finished = entries.filter((e) => e.result || e.error).length;
  const progress = $<HTMLProgressElement>('overall');
  progress.value = total ? entries.reduce((s, e) => s + e.fraction, 0) / total : 0;
  $('overall-text').textContent = total ? `${finished} of ${total} file(s) done` : '';
  const done = total > 0 && finished === total;
  document.body.dataset.state = done ? 'done' : total ? 'running' : 'idle';
  if (done) renderDownloads();
}

function renderDownloads(): void {
  const format = $<HTMLSelectElement>('format').value as ResultsFormat;
  const names = entries.map((e) => e.file.name);
  const counts = new Map(entries.map((e) => [e.file.name, e.result ? e.result.count : null] as const));
  const detections: DetectionRow[] = entries.flatMap((e) => e.result?.detections ?? []);
  const errors = entries.filter((e) => e.error).map((e) => ({ recording: e.file.name, error: e.error! }));
  const warnings = entries.flatMap((e) => (e.result?.warnings ?? []).map((warning) => ({ recording: e.file.name, warning })));
  $('downloads').replaceChildren(
    download('results.csv', resultsCsv(resultRowsForFolder(names, counts), format)),
    document.createTextNode(' · '),
    download('detections.csv', detectionsCsv(detections)),
    document.createTextNode(' · '),
    download('errors.csv', errorsCsv(errors)),
    document.createTextNode(' · '),
    download('warnings.csv', warningsCsv(warnings)),
  );
}

function addFiles(files: Iterable<File>): void {
  pool ??= startPool();
  const skipped: string[] = [];
  for (const file of files) {
    if (entries.some((e) => e.file.name === file.name)) {
      skipped.push(file.name);
      continue;
    }
    const row = $<HTMLTableSectionElement>('rows').insertRow();
    row.dataset.recording = file.name;
    row.dataset.status = 'waiting';
    for (let i = 0; i < 6; i++) row.insertCell();
    row.cells[0].textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.value = 0;
    row.cells[5].append(bar);
    const entry: Entry = { id: nextId++, file, row, fraction: 0 };
    entries.push(entry);
    if (document.body.dataset.model === 'failed') fail(entry, $('engine').textContent ?? 'the model did not load');
    else pool.add(entry);
  }
  $('notice').textContent = skipped.length ? `Already in the table, skipped: ${skipped.join(', ')} (results.csv has one row per file name).` : '';
  updateOverall();
}

function main(): void {
  const input = $<HTMLInputElement>('files');
  input.addEventListener('change', () => input.files && addFiles(input.files));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer?.files) addFiles(e.dataTransfer.files);
  });
  $<HTMLSelectElement>('format').addEventListener('change', () => {
    formatChosen = true;
    if (document.body.dataset.state === 'done') renderDownloads();
  });
  const modelInput = $<HTMLInputElement>('model-files');
  modelInput.addEventListener('change', () => {
    if (!modelInput.files?.length) return;
    if (entries.length) {
      $('notice').textContent = 'Pick the model before adding recordings (reload the page to start over).';
      return;
    }
    modelSource = { kind: 'files', files: [...modelInput.files] };
    pool?.terminate();
    delete document.body.dataset.model;
    pool = startPool();
  });
  if (location.protocol === 'file:') {
    $('notice').textContent = 'Opened from file://: most browsers block Web Workers and wasm here. Serve the folder instead, e.g. `npx serve web/dist`.';
  }
  document.body.dataset.state = 'idle';
  pool = startPool();
}

main();
