/**
 * Display helpers for the tslab notebooks (notebooks/*.ipynb).
 *
 * Every `*Html` / `*Figure` function is pure (testable in node); every `show*` function sends
 * HTML to the running cell through tslab's `display.html`. plotly.js (plotly.js-dist, minified
 * once, no CDN — see plotlyBundle.ts) goes into the notebook ONCE through `initPlotly()`;
 * figures then draw with `window.Plotly.newPlot`.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { Audio } from '../audio/audio.ts';
import type { ScoreTrack } from '../detect/events.ts';
import type { Matrix } from '../features/matrix.ts';
import { wavDataUri } from '../report/audioClips.ts';
import { plotlyJs } from '../report/plotlyBundle.ts';
import { escapeHtml, scriptJson, tableHtml, type PlotlyFigure, type Table, type TableCell } from '../report/plotlyHtml.ts';

const require = createRequire(import.meta.url);

export type { PlotlyFigure };

// ---------------------------------------------------------------- plotly

/** plotly.js-dist's version, e.g. "3.7.0". */
export function plotlyVersion(): string {
  return (require('plotly.js-dist/package.json') as { version: string }).version;
}

/** A JSON-able copy: typed arrays become arrays, non-finite numbers become null (plotly's gap). */
export function plainJson(value: unknown): unknown {
  // float32 holds ~7 significant digits; printing more (0.1 → 0.10000000149011612) only bloats the notebook.
  if (value instanceof Float32Array) return Array.from(value, (v) => (Number.isFinite(v) ? Number(v.toPrecision(7)) : null));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(plainJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  return value;
}

/** The <script> that defines window.Plotly (skipped when the page already has it). */
export function plotlyLoaderHtml(bundle = plotlyJs()): string {
  return `<script type="text/javascript">if (!window.Plotly) {\n${bundle}\n}</script>` +
    `<div class="capuchin-plotly-loaded">plotly.js ${escapeHtml(plotlyVersion())} loaded</div>`;
}

/**
 * A figure: a div plus a script that draws into it as soon as the div is in the page and
 * window.Plotly exists (Jupyter runs output scripts before it attaches the output to the page).
 */
export function plotlyFigureHtml(figure: PlotlyFigure): string {
  const id = `capuchin-plot-${randomBytes(6).toString('hex')}`;
  const layout = figure.layout ?? {};
  const height = typeof layout.height === 'number' ? layout.height : 450;
  const config = { responsive: true, displaylogo: false, ...figure.config };
  const args = [figure.data, layout, config].map((x) => scriptJson(plainJson(x))).join(', ');
  return (
    `<div id="${id}" class="capuchin-plot" style="width:100%;height:${height}px"></div>` +
    `<script type="text/javascript">(function draw(tries) {` +
    // In a static export the page is still being parsed: wait until its layout (grids) is complete.
    `if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', function () { draw(tries); }); return; }` +
    `var el = document.getElementById(${JSON.stringify(id)});` +
    `if (el && window.Plotly) { window.Plotly.newPlot(el, ${args}); }` +
    `else if (tries < 600) { setTimeout(function () { draw(tries + 1); }, 50); }` +
    `else if (el) { el.textContent = 'plotly.js is not loaded: run the cell that calls initPlotly() first.'; }` +
    `})(0);</script>`
  );
}

/**
 * A waveform as a min/max envelope over at most `maxPoints` buckets (a 3 s clip at 44.1 kHz
 * would otherwise put 132k points into the notebook).
 */
export function waveformFigure(audio: Audio, title: string, maxPoints = 4000): PlotlyFigure {
  const n = audio.samples.length;
  const buckets = Math.max(1, Math.min(n, Math.floor(maxPoints / 2)));
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.max(start + 1, Math.floor(((b + 1) * n) / buckets));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = start; i < end && i < n; i++) {
      const v = audio.samples[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const t = Number((start / audio.sampleRate).toFixed(5));
    x.push(t, t);
    y.push(Number(lo.toPrecision(4)), Number(hi.toPrecision(4)));
  }
  return {
    data: [{ type: 'scatter', mode: 'lines', x, y, line: { width: 1 }, name: 'waveform' }],
    layout: { title: { text: title }, height: 250, margin: { t: 40, b: 40, l: 50, r: 10 }, xaxis: { title: { text: 'time (s)' } }, yaxis: { title: { text: 'amplitude' } } },
  };
}

/** The [lo, hi] quantiles of the finite values (a colour range that one extreme row cannot flatten). */
export function percentileRange(values: readonly number[], lo: number, hi: number): [number, number] {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return [0, 1];
  const at = (q: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))]!;
  const [a, b] = [at(lo), at(hi)];
  return a < b ? [a, b] : [v[0]!, v[v.length - 1]! > v[0]! ? v[v.length - 1]! : v[0]! + 1];
}

export interface HeatmapOptions {
  title: string;
  /** Seconds between rows (the hop); the x axis is in seconds. */
  hopSec: number;
  /** Value of each column (Hz of a bin, or coefficient index); default 0..cols-1. */
  yValues?: readonly number[];
  yTitle?: string;
  /** Columns of the figure: time rows are averaged down to at most this many (default 400). */
  maxTimeSteps?: number;
  /** Map each value before plotting (e.g. magnitude → dB). */
  transform?: (v: number) => number;
  colorbarTitle?: string;
}

/** A feature matrix [rows = frames, cols = bins] as a heatmap with time across and bins up. */
export function matrixHeatmapFigure(m: Matrix, opts: HeatmapOptions): PlotlyFigure {
  const steps = Math.max(1, Math.min(m.rows, opts.maxTimeSteps ?? 400));
  const f = opts.transform ?? ((v: number) => v);
  const z: number[][] = Array.from({ length: m.cols }, () => new Array<number>(steps).fill(0));
  const x: number[] = [];
  for (let s = 0; s < steps; s++) {
    const r0 = Math.floor((s * m.rows) / steps);
    const r1 = Math.max(r0 + 1, Math.floor(((s + 1) * m.rows) / steps));
    for (let c = 0; c < m.cols; c++) {
      let sum = 0;
      for (let r = r0; r < r1; r++) sum += m.data[r * m.cols + c]!;
      z[c]![s] = Number(f(sum / (r1 - r0)).toPrecision(4));
    }
    x.push(Number((((r0 + r1) / 2) * opts.hopSec).toFixed(5)));
  }
  const [zmin, zmax] = percentileRange(z.flat(), 0.02, 0.98);
  return {
    data: [{ type: 'heatmap', z, x, y: opts.yValues ? [...opts.yValues] : undefined, zmin, zmax, colorscale: 'Viridis', colorbar: { title: { text: opts.colorbarTitle ?? '' } } }],
    layout: {
      title: { text: opts.title },
      height: 320,
      margin: { t: 40, b: 40, l: 60, r: 10 },
      xaxis: { title: { text: 'time (s)' } },
      yaxis: { title: { text: opts.yTitle ?? 'bin' } },
    },
  };
}


export interface ScoreTrackOptions {
  title: string;
  onThreshold: number;
  offThreshold: number;
  /** The smoothed track the detector decided on. */
  smoothed?: Float32Array | readonly number[];
  /** Detected calls: a shaded span from start_s to end_s each. */
  events?: readonly { start_s: number; end_s: number; peak_s: number; peak_score: number }[];
  /** Labelled call starts (labels_calls.csv), drawn as green ticks on the time axis. */
  labelledStarts?: readonly number[];
}

/**
 * A recording's window scores over time (at window centres) with the hysteresis thresholds, the
 * detected calls shaded and numbered, and labelled call starts when known.
 */
export function scoreTrackFigure(track: ScoreTrack, opts: ScoreTrackOptions): PlotlyFigure {
  const x = Array.from(track.scores, (_, i) => Number((i * track.hopSec + track.windowSec / 2).toFixed(3)));
  const data: Record<string, unknown>[] = [{ type: 'scatter', mode: 'lines', name: 'window score', x, y: track.scores, line: { color: '#999', width: 1 } }];
  if (opts.smoothed) data.push({ type: 'scatter', mode: 'lines', name: 'smoothed', x, y: opts.smoothed, line: { color: '#1f77b4', width: 2 } });
  const events = opts.events ?? [];
  data.push({
    type: 'scatter', mode: 'markers+text', name: `detections (${events.length})`, x: events.map((e) => e.peak_s), y: events.map((e) => e.peak_score),
    text: events.map((_, i) => `#${i + 1}`), textposition: 'top center', marker: { color: '#d62728', size: 8 },
  });
  if (opts.labelledStarts) {
    data.push({
      type: 'scatter', mode: 'markers', name: `labelled call starts (${opts.labelledStarts.length})`, x: [...opts.labelledStarts],
      y: opts.labelledStarts.map(() => 0.02), marker: { color: '#2ca02c', symbol: 'triangle-up', size: 11 },
    });
  }
  const hline = (y: number, dash: string) => ({ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: y, y1: y, line: { color: '#d62728', dash, width: 1 } });
  const spans = events.map((e) => ({ type: 'rect', xref: 'x', yref: 'paper', x0: e.start_s, x1: e.end_s, y0: 0, y1: 1, line: { width: 0 }, fillcolor: 'rgba(214,39,40,0.12)' }));
  return {
    data,
    layout: {
      title: { text: opts.title }, height: 320, margin: { l: 50, r: 10, t: 40, b: 40 },
      xaxis: { title: { text: 'time (s)' }, range: [0, track.durationSec] }, yaxis: { title: { text: 'P(call)' }, range: [0, 1.08] },
      shapes: [hline(opts.onThreshold, 'solid'), hline(opts.offThreshold, 'dot'), ...spans], legend: { orientation: 'h', y: -0.25 },
    },
  };
}

/** Figures in a grid of equal columns (at least 420 px wide each, wrapping on narrow pages). */
export function figureGridHtml(figures: readonly PlotlyFigure[]): string {
  const cells = figures.map((f) => `<div style="min-width:0">${plotlyFigureHtml(f)}</div>`).join('');
  return `<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:8px;width:100%">${cells}</div>`;
}

// ---------------------------------------------------------------- audio and tables

/** An <audio controls> player with the clip inlined as a 16-bit WAV data: URI. */
export function audioPlayerHtml(audio: Audio, label = '', maxSeconds = 30): string {
  const seconds = (audio.samples.length / audio.sampleRate).toFixed(2);
  const caption = label ? `${escapeHtml(label)} · ` : '';
  return `<div class="capuchin-audio"><div>${caption}${seconds} s @ ${audio.sampleRate} Hz</div>` +
    `<audio controls preload="none" src="${wavDataUri(audio, maxSeconds)}"></audio></div>`;
}

/** What showTable accepts: a danfojs DataFrame (columns + values), row objects, or a Table. */
export type TableLike = { columns: readonly string[]; values: readonly unknown[]; index?: readonly unknown[] } | readonly Record<string, unknown>[] | Table;

function toCell(v: unknown): TableCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

/** Normalise a danfojs DataFrame / Series-like (columns + values) or row objects to a report Table. */
export function toTable(table: TableLike): Table {
  if (Array.isArray(table)) {
    const records = table as readonly Record<string, unknown>[];
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    return { columns, rows: records.map((r) => columns.map((c) => toCell(r[c]))) };
  }
  if ('rows' in table) return table as Table;
  const frame = table as { columns: readonly string[]; values: readonly unknown[]; index?: readonly unknown[] };
  const rows = frame.values.map((row) => (Array.isArray(row) ? row.map(toCell) : [toCell(row)]));
  // A danfojs index that carries labels (describe(): count, mean, …) becomes the first column.
  const labelled = frame.index && frame.index.length === rows.length && frame.index.some((v, i) => v !== i);
  if (!labelled) return { columns: [...frame.columns], rows };
  return { columns: ['', ...frame.columns], rows: rows.map((r, i) => [toCell(frame.index![i]), ...r]) };
}

// ---------------------------------------------------------------- display through tslab

interface HtmlSink {
  html(s: string): void;
}

function tslabDisplay(): HtmlSink {
  // Resolved lazily: tslab's display only works inside a running tslab kernel.
  return (require('tslab') as { display: HtmlSink }).display;
}

let plotlyShown = false;

/** Put plotly.js into the notebook page (call once, in the first cell). */
export function initPlotly(): void {
  tslabDisplay().html(plotlyLoaderHtml());
  plotlyShown = true;
}

/** Draw a figure in the current cell (loads plotly.js first if initPlotly() was not called). */
export function showFigure(figure: PlotlyFigure): void {
  if (!plotlyShown) initPlotly();
  tslabDisplay().html(plotlyFigureHtml(figure));
}

export function showPlotly(data: Record<string, unknown>[], layout: Record<string, unknown> = {}, config: Record<string, unknown> = {}): void {
  showFigure({ data, layout, config });
}

/** Several figures side by side (wrapping on narrow pages). */
export function showFigures(figures: readonly PlotlyFigure[]): void {
  if (!plotlyShown) initPlotly();
  tslabDisplay().html(figureGridHtml(figures));
}

export function showAudio(audio: Audio, label = '', maxSeconds = 30): void {
  tslabDisplay().html(audioPlayerHtml(audio, label, maxSeconds));
}

export function showTable(table: TableLike, caption?: string): void {
  const t = toTable(table);
  tslabDisplay().html(tableHtml(caption ? { ...t, caption } : t));
}

export function showHtml(html: string): void {
  tslabDisplay().html(html);
}
