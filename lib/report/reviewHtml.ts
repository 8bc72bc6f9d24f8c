/**
 * review.html: one self-contained page to check a counting run by eye and ear. Per recording:
 * the score track with the on/off thresholds, the spectrogram with the detections boxed, and per
 * detection a spectrogram thumbnail (PNG) and an <audio> player of the call. Built on
 * plotlyHtml's htmlReport (plotly.js inlined once) and audioClips' WAV data: URIs.
 */
import { Resvg } from '@resvg/resvg-js';
import type { DetectorConfig } from '../detect/config.ts';
import { smoothTrack, type DetectedEvent } from '../detect/events.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { wavDataUri } from './audioClips.ts';
import { escapeHtml, htmlReport, type PlotlyFigure, type Section, type TableCell } from './plotlyHtml.ts';

/**
 * A coarse spectrogram image, row-major [rows = time frames, cols = frequency bins low → high]
 * (the layout of lib/detect's review image): row r covers [r·hopSec, (r+1)·hopSec).
 */
export interface ReviewSpectrogram {
  data: Float32Array | readonly number[];
  rows: number;
  cols: number;
  hopSec: number;
  fmaxHz: number;
  fminHz?: number;
}

export interface ReviewClip {
  /** Index into the recording's events. */
  event_index: number;
  samples: Float32Array;
  sampleRate: number;
}

export interface ReviewRecording {
  recording: string;
  durationSec: number;
  scores: Float32Array;
  hopSec: number;
  windowSec: number;
  events: readonly DetectedEvent[];
  spectrogram?: ReviewSpectrogram;
  clips?: readonly ReviewClip[];
  /** Set for a file that could not be processed: only the message is shown. */
  error?: string;
}

export interface ReviewOptions {
  title?: string;
  /** Thresholds and smoothing to draw; without it the defaults 0.5 / 0.3 are drawn and no smoothed trace. */
  detector?: DetectorConfig;
  /** Spectrogram columns kept per recording (time is averaged down to this; default 900). */
  maxSpectrogramCols?: number;
  /** Seconds of context around a detection in its thumbnail (default 0.5). */
  thumbnailPadSec?: number;
  /** Longest clip embedded per player, seconds (default 8). */
  maxClipSec?: number;
}

const VIRIDIS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = VIRIDIS[i].map((v, k) => Math.round(v + (VIRIDIS[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function checkSpectrogram(rec: ReviewRecording, s: ReviewSpectrogram): void {
  if (!(s.rows > 0 && s.cols > 0 && s.data.length === s.rows * s.cols && s.hopSec > 0 && s.fmaxHz > 0))
    throw new Error(
      `capuchin: review spectrogram of ${rec.recording} has rows=${s.rows}, cols=${s.cols}, ${s.data.length} values, hopSec=${s.hopSec}, fmaxHz=${s.fmaxHz}; ` +
        'expected rows·cols values laid out [time, frequency] and positive hopSec/fmaxHz.',
    );
}

/** Colour range: 2nd to 99.5th percentile, so a few loud frames do not wash the image out. */
function colourRange(data: ArrayLike<number>): [number, number] {
  const step = Math.max(1, Math.floor(data.length / 20000));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) sample.push(data[i]);
  if (!sample.length) return [0, 1];
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(0.02 * (sample.length - 1))];
  const hi = sample[Math.floor(0.995 * (sample.length - 1))];
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** z[bin][column], time averaged into at most maxCols columns; values rounded for a smaller page. */
function heatmapZ(s: ReviewSpectrogram, maxCols: number): { z: number[][]; x: number[] } {
  const group = Math.max(1, Math.ceil(s.rows / maxCols));
  const cols = Math.ceil(s.rows / group);
  const z = Array.from({ length: s.cols }, () => new Array<number>(cols).fill(0));
  const x: number[] = [];
  for (let c = 0; c < cols; c++) {
    const r0 = c * group;
    const r1 = Math.min(s.rows, r0 + group);
    x.push(Number((((r0 + r1) / 2) * s.hopSec).toFixed(3)));
    for (let b = 0; b < s.cols; b++) {
      let sum = 0;
      for (let r = r0; r < r1; r++) sum += s.data[r * s.cols + b];
      z[b][c] = Number((sum / (r1 - r0)).toFixed(2));
    }
  }
  return { z, x };
}

function eventShapes(events: readonly DetectedEvent[], line: string, fill: string) {
  return events.map((e) => ({
    type: 'rect', xref: 'x', yref: 'paper', x0: e.start_s, x1: e.end_s, y0: 0, y1: 1,
    line: { color: line, width: 1.5 }, fillcolor: fill, layer: 'above',
  }));
}

function scoreFigure(rec: ReviewRecording, opts: ReviewOptions): PlotlyFigure {
  const on = opts.detector?.onThreshold ?? 0.5;
  const off = opts.detector?.offThreshold ?? 0.3;
  const x = Array.from(rec.scores, (_, i) => Number((i * rec.hopSec + rec.windowSec / 2).toFixed(3)));
  const round = (v: Float32Array) => Array.from(v, (s) => Number(s.toFixed(4)));
  const data: Record<string, unknown>[] = [
    { type: 'scatter', mode: 'lines', name: 'window score', x, y: round(rec.scores), line: { color: '#888', width: 1 } },
  ];
  if (opts.detector)
    data.push({
      type: 'scatter', mode: 'lines', name: `smoothed (${opts.detector.smoothing} ${opts.detector.smoothingWindows})`,
      x, y: round(smoothTrack(rec.scores, opts.detector.smoothing, opts.detector.smoothingWindows)), line: { color: '#1f77b4', width: 2 },
    });
  data.push({
    type: 'scatter', mode: 'markers+text', name: 'detections', x: rec.events.map((e) => e.peak_s), y: rec.events.map((e) => e.peak_score),
    text: rec.events.map((_, i) => `#${i + 1}`), textposition: 'top center', marker: { color: '#d62728', size: 7 },
  });
  const threshold = (y: number, dash: string) => ({
    type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: y, y1: y, line: { color: '#d62728', dash, width: 1 },
  });
  return {
    data,
    layout: {
      title: { text: 'Score per window (plotted at the window centre)' }, height: 300, margin: { l: 50, r: 10, t: 40, b: 40 },
      xaxis: { title: { text: 'time (s)' }, range: [0, rec.durationSec] }, yaxis: { title: { text: 'P(call)' }, range: [0, 1.08] },
      shapes: [threshold(on, 'solid'), threshold(off, 'dot'), ...eventShapes(rec.events, 'rgba(214,39,40,0)', 'rgba(214,39,40,0.12)')],
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}

function spectrogramFigure(rec: ReviewRecording, s: ReviewSpectrogram, range: [number, number], maxCols: number): PlotlyFigure {
  const { z, x } = heatmapZ(s, maxCols);
  return {
    data: [{ type: 'heatmap', z, x, colorscale: 'Viridis', zmin: range[0], zmax: range[1], showscale: false, hoverinfo: 'x+y+z' }],
    layout: {
      title: { text: 'Spectrogram with detections' }, height: 300, margin: { l: 50, r: 10, t: 40, b: 40 },
      xaxis: { title: { text: 'time (s)' }, range: [0, rec.durationSec] },
      yaxis: { title: { text: `bin (${s.fminHz ?? 0}–${s.fmaxHz} Hz)` } },
      shapes: eventShapes(rec.events, '#ffffff', 'rgba(0,0,0,0)'),
    },
  };
}

/** A small PNG of the spectrogram around one detection, as a data: URI (rendered with resvg). */
export function thumbnailPng(s: ReviewSpectrogram, fromSec: number, toSec: number, range: [number, number], size = { width: 240, height: 96 }): string {
  const r0 = Math.max(0, Math.floor(fromSec / s.hopSec));
  const r1 = Math.min(s.rows, Math.ceil(toSec / s.hopSec));
  const frames = Math.max(1, r1 - r0);
  const w = size.width / frames;
  const h = size.height / s.cols;
  const rects: string[] = [];
  for (let f = 0; f < r1 - r0; f++)
    for (let b = 0; b < s.cols; b++) {
      const t = (s.data[(r0 + f) * s.cols + b] - range[0]) / (range[1] - range[0]);
      rects.push(`<rect x="${(f * w).toFixed(2)}" y="${((s.cols - 1 - b) * h).toFixed(2)}" width="${(w + 0.5).toFixed(2)}" height="${(h + 0.5).toFixed(2)}" fill="${viridis(t)}"/>`);
    }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#000"/>${rects.join('')}</svg>`;
  const png = new Resvg(svg).render().asPng();
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

function recordingSection(rec: ReviewRecording, opts: ReviewOptions): Section {
  const heading = `${rec.recording}: ${rec.error ? 'FAILED' : `${rec.events.length} call${rec.events.length === 1 ? '' : 's'}`}`;
  if (rec.error) return { heading, html: `<p class="error">Could not be processed: ${escapeHtml(rec.error)}</p>` };
  const s = rec.spectrogram;
  if (s) checkSpectrogram(rec, s);
  const range = s ? colourRange(s.data) : ([0, 1] as [number, number]);
  const figures = [scoreFigure(rec, opts)];
  if (s) figures.push(spectrogramFigure(rec, s, range, opts.maxSpectrogramCols ?? 900));
  const pad = opts.thumbnailPadSec ?? 0.5;
  const clips = new Map((rec.clips ?? []).map((c) => [c.event_index, c] as const));
  const rows: TableCell[][] = rec.events.map((e, i) => {
    const clip = clips.get(i);
    const img = s ? { html: `<img class="thumb" alt="spectrogram of call ${i + 1}" src="${thumbnailPng(s, e.start_s - pad, e.end_s + pad, range)}">` } : null;
    const audio = clip
      ? { html: `<audio controls preload="none" src="${wavDataUri({ samples: clip.samples, sampleRate: clip.sampleRate }, opts.maxClipSec ?? 8)}"></audio>` }
      : null;
    return [i + 1, Number(e.start_s.toFixed(2)), Number(e.end_s.toFixed(2)), Number(e.peak_score.toFixed(3)), img, audio];
  });
  return {
    heading,
    html: `<p>${rec.durationSec.toFixed(1)} s, ${rec.scores.length} windows of ${rec.windowSec} s every ${rec.hopSec} s.</p>`,
    figures,
    table: rows.length ? { columns: ['#', 'start (s)', 'end (s)', 'peak score', 'spectrogram', 'listen'], rows } : undefined,
  };
}

/** The review page as an HTML string (see the module comment). */
export function reviewHtml(recordings: readonly ReviewRecording[], opts: ReviewOptions = {}): string {
  const summaryRows: TableCell[][] = recordings.map((r, i) => [
    { html: `<a href="#s${i + 1}">${escapeHtml(r.recording)}</a>` },
    Number(r.durationSec.toFixed(1)),
    r.error ? 'failed' : r.events.length,
    r.error ? null : Number(Math.max(0, ...r.events.map((e) => e.peak_score)).toFixed(3)),
  ]);
  const d = opts.detector;
  const settings = d
    ? `on ${d.onThreshold}, off ${d.offThreshold}, ${d.smoothing} smoothing over ${d.smoothingWindows} windows, start estimator ${d.startEstimator}`
    : 'detector settings not given';
  const summary: Section = {
    heading: 'Summary',
    html: `<style>.figures{flex-direction:column}.figure{min-height:300px}img.thumb{display:block;image-rendering:pixelated}.error{color:#b00}</style><p>${escapeHtml(settings)}.</p>`,
    table: { columns: ['recording', 'duration (s)', 'calls', 'best score'], rows: summaryRows },
  };
  return htmlReport({
    title: opts.title ?? 'Capuchinbird call review',
    subtitle: `${recordings.length} recording(s), ${recordings.reduce((a, r) => a + r.events.length, 0)} detection(s)`,
    sections: [summary, ...recordings.map((r) => recordingSection(r, opts))],
  });
}

export function writeReviewHtml(path: string, recordings: readonly ReviewRecording[], opts: ReviewOptions = {}): void {
  writeFileAtomic(path, reviewHtml(recordings, opts));
}
