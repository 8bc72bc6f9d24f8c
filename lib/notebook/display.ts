/**
 * Display helpers for the tslab notebooks (notebooks/*.ipynb).
 *
 * Every `*Html` / `*Figure` function is pure (testable in node); every `show*` function sends
 * HTML to the running cell through tslab's `display.html`. plotly.js (plotly.js-dist, minified
 * once, no CDN — see plotlyBundle.ts) goes into the notebook ONCE through `initPlotly()`;
 * figures then draw with `window.Plotly.newPlot`.
 *
 * Loaded inside a tslab kernel, this module also sends lib/util/progress.ts's progress lines to
 * the notebook as one plain-text output per bar that updates in place (on stderr, JupyterLab would
 * draw them as red boxes that look like errors). The CLI never loads it and keeps stderr.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { Audio } from '../audio/audio.ts';
import type { ScoreTrack } from '../detect/events.ts';
import type { Matrix } from '../features/matrix.ts';
import type { FoldHistory } from '../model/crossValidate.ts';
import { wavDataUri } from '../report/audioClips.ts';
import { plotlyJs } from '../report/plotlyBundle.ts';
import { escapeHtml, formatNumber, scriptJson, tableHtml, type PlotlyFigure, type Table, type TableCell } from '../report/plotlyHtml.ts';
import { setProgressSink, stderrProgressSink, type ProgressSink } from '../util/progress.ts';

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
  const x = Array.from(track.scores, (_, i) => Number((i * track.hopSec + track.windowSec / 2 - (track.leadSec ?? 0)).toFixed(3)));
  const data: Record<string, unknown>[] = [{ type: 'scatter', mode: 'lines', name: 'window score', x, y: track.scores, line: { color: '#999', width: 1 } }];
  if (opts.smoothed) data.push({ type: 'scatter', mode: 'lines', name: 'smoothed', x, y: opts.smoothed, line: { color: '#1f77b4', width: 2 } });
  const events = opts.events ?? [];
  // Markers carry "#n" in their hover text; the visible "#n" labels sit in a band above the
  // scores (y 1.02–1.25), staggered on two rows, and are left out where they would overlap.
  data.push({
    type: 'scatter', mode: 'markers', name: `detections (${events.length})`, x: events.map((e) => e.peak_s), y: events.map((e) => e.peak_score),
    customdata: events.map((e, i) => [i + 1, e.start_s, e.end_s]), marker: { color: '#d62728', size: 8 },
    hovertemplate: '#%{customdata[0]}: %{customdata[1]:.1f}–%{customdata[2]:.1f} s, peak %{y:.2f} at %{x:.1f} s<extra></extra>',
  });
  if (opts.labelledStarts) {
    data.push({
      type: 'scatter', mode: 'markers', name: `labelled call starts (${opts.labelledStarts.length})`, x: [...opts.labelledStarts],
      y: opts.labelledStarts.map(() => 0.02), marker: { color: '#2ca02c', symbol: 'triangle-up', size: 11 },
    });
  }
  const hline = (y: number, dash: string) => ({ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: y, y1: y, line: { color: '#d62728', dash, width: 1 } });
  const spans = events.map((e) => ({ type: 'rect', xref: 'x', yref: 'paper', x0: e.start_s, x1: e.end_s, y0: 0, y1: 1, line: { width: 0 }, fillcolor: 'rgba(214,39,40,0.12)' }));
  const annotations = detectionLabels(events.map((e) => e.peak_s), track.durationSec).map(({ index, row }) => ({
    x: events[index]!.peak_s, xref: 'x', y: row === 0 ? 1.03 : 1.14, yref: 'y', yanchor: 'bottom', showarrow: false,
    text: `#${index + 1}`, font: { size: 11, color: '#d62728' },
  }));
  return {
    data,
    layout: {
      title: { text: opts.title }, height: 320, margin: { l: 50, r: 10, t: 40, b: 40 },
      xaxis: { title: { text: 'time (s)' }, range: [0, track.durationSec] },
      yaxis: { title: { text: 'P(call)' }, range: [0, 1.25], tickvals: [0, 0.2, 0.4, 0.6, 0.8, 1] },
      shapes: [hline(opts.onThreshold, 'solid'), hline(opts.offThreshold, 'dot'), ...spans], annotations, legend: { orientation: 'h', y: -0.25 },
    },
  };
}

/**
 * Which detections get a visible "#n" label, and on which of two rows: a label goes on the first
 * row whose previous label is at least `minGapFraction` of the time axis away (about 30 px on a
 * 600 px wide figure), else it is left out (its marker's hover text still names it).
 */
export function detectionLabels(peaks: readonly number[], durationSec: number, minGapFraction = 0.05): { index: number; row: number }[] {
  const gap = Math.max(durationSec, 1e-9) * minGapFraction;
  const last = [-Infinity, -Infinity];
  const labels: { index: number; row: number }[] = [];
  peaks.forEach((t, index) => {
    const row = last.findIndex((prev) => t - prev >= gap);
    if (row < 0) return;
    last[row] = t;
    labels.push({ index, row });
  });
  return labels;
}

// ---------------------------------------------------------------- training curves

/** Plotly's default colours, one per fold. */
const FOLD_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** 1, 2 or 5 × a power of ten, at least `raw` (a tick step). */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw - 1e-9)!;
}

/**
 * Loss and accuracy per epoch for every fold as two plotly figures (for figureGridHtml /
 * showFigures, so they sit side by side on a wide page and stack on a narrow one): train solid,
 * validation dashed, ◆ the kept epoch; the epoch axis has a few integer ticks whatever the number
 * of epochs. (The static reports draw the same with Vega-Lite: lib/report/figures/trainingCurves.ts.)
 */
export function trainingCurvesFigures(histories: readonly FoldHistory[]): PlotlyFigure[] {
  if (histories.length === 0 || histories.every((h) => h.epochs.length === 0)) {
    throw new Error('capuchin: trainingCurvesFigures: no epochs in the training history. Fix: record one EpochRecord per epoch per fold.');
  }
  const maxEpoch = Math.max(...histories.flatMap((h) => h.epochs.map((e) => e.epoch)));
  const hasValidation = histories.some((h) => h.epochs.some((e) => Number.isFinite(e.val_loss) || Number.isFinite(e.val_acc)));
  const dtick = niceStep(maxEpoch / 6);
  const key = hasValidation ? 'solid = train · dashed = validation · ◆ = kept epoch' : 'train only (no validation recorded) · ◆ = kept epoch';
  const panels = [
    { metric: 'loss', val: 'val_loss', title: 'Loss' },
    { metric: 'acc', val: 'val_acc', title: 'Accuracy' },
  ] as const;
  return panels.map(({ metric, val, title }) => {
    const data: Record<string, unknown>[] = [];
    histories.forEach((h, i) => {
      const colour = FOLD_COLOURS[i % FOLD_COLOURS.length];
      const fold = `fold ${h.fold}`;
      const x = h.epochs.map((e) => e.epoch);
      data.push({
        type: 'scatter', mode: 'lines', name: fold, legendgroup: fold, x, y: h.epochs.map((e) => e[metric]),
        line: { color: colour, width: 2 }, hovertemplate: `${fold} train, epoch %{x}: %{y:.3f}<extra></extra>`,
      });
      const hasVal = h.epochs.some((e) => Number.isFinite(e[val]));
      if (hasVal) {
        data.push({
          type: 'scatter', mode: 'lines', name: `${fold} validation`, legendgroup: fold, showlegend: false, x, y: h.epochs.map((e) => e[val] ?? null),
          line: { color: colour, width: 1.5, dash: 'dash' }, hovertemplate: `${fold} validation, epoch %{x}: %{y:.3f}<extra></extra>`,
        });
      }
      const best = h.epochs.find((e) => e.epoch === h.bestEpoch);
      const bestValue = best && (hasVal ? best[val] : best[metric]);
      if (best && bestValue !== undefined && Number.isFinite(bestValue)) {
        data.push({
          type: 'scatter', mode: 'markers', name: `${fold} kept epoch`, legendgroup: fold, showlegend: false, x: [best.epoch], y: [bestValue],
          marker: { color: colour, symbol: 'diamond', size: 10, line: { color: 'white', width: 1 } }, hovertemplate: `${fold} kept epoch %{x}: %{y:.3f}<extra></extra>`,
        });
      }
    });
    return {
      data,
      layout: {
        title: { text: `${title}<br><span style="font-size:11px">${key}</span>` },
        height: 360, margin: { t: 56, b: 84, l: 55, r: 10 },
        xaxis: { title: { text: 'epoch', standoff: 6 }, tick0: 0, dtick, tickformat: 'd', tickangle: 0, range: [0.5, maxEpoch + 0.5] },
        yaxis: { title: { text: title.toLowerCase() }, ...(metric === 'acc' ? { range: [0, 1.02] } : { rangemode: 'tozero' }) },
        // Below the axis title (the plot area is 220 px high): fold names, click one to hide its curves.
        legend: { orientation: 'h', x: 0, y: -0.27, yanchor: 'top' },
      },
    };
  });
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
  text(s: string): void;
}

interface Tslab {
  display: HtmlSink;
  /** A display that later calls overwrite in place (update_display_data). */
  newDisplay(): HtmlSink;
}

function tslab(): Tslab {
  // Resolved lazily: tslab's display only works inside a running tslab kernel.
  return require('tslab') as Tslab;
}

function tslabDisplay(): HtmlSink {
  return tslab().display;
}

/** True inside a tslab kernel (tslab's Jupyter side is loaded in this process). */
export function inTslabKernel(): boolean {
  return Object.keys(require.cache).some((file) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file));
}

/**
 * Progress lines for a notebook: each bar is one plain-text output of the cell that updates in
 * place (at most once a second), not stderr, which JupyterLab shows as a red box. Outside a
 * running cell tslab cannot display, and the lines go to stderr as usual.
 */
export function notebookProgressSink(): ProgressSink {
  return {
    everyMs: 1000,
    open(label) {
      let shown: HtmlSink | undefined;
      let fallback: ReturnType<ProgressSink['open']> | undefined;
      return {
        write(line, finished) {
          if (!fallback) {
            try {
              (shown ??= tslab().newDisplay()).text(line);
              return;
            } catch {
              fallback = stderrProgressSink.open(label);
            }
          }
          fallback.write(line, finished);
        },
      };
    },
  };
}

if (inTslabKernel()) setProgressSink(notebookProgressSink());

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
  tslabDisplay().html(captionedTableHtml(toTable(table), caption));
}

/**
 * A table with its caption as a line above it, as wide as the output: an HTML <caption> is as
 * narrow as its table, which JupyterLab then wraps into a column.
 */
export function captionedTableHtml(table: Table, caption = table.caption): string {
  const text = caption ? `<div class="capuchin-caption" style="margin:10px 0 2px;color:#444;font-weight:600">${escapeHtml(caption)}</div>` : '';
  return text + tableHtml({ columns: table.columns, rows: table.rows });
}

// ---------------------------------------------------------------- experiment configs

function configValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return `[${v.map(configValue).join(', ')}]`;
  if (v && typeof v === 'object') return `(${configSettings(v as Record<string, unknown>)})`;
  return String(v);
}

/** "key value · key value", a nested switch as "name (its settings)", the ones switched off as "off: a, b". */
function configSettings(section: Record<string, unknown>): string {
  const parts: string[] = [];
  const off: string[] = [];
  for (const [k, v] of Object.entries(section)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const { enabled, ...rest } = v as Record<string, unknown>;
      if (enabled === false) off.push(k);
      else parts.push(Object.keys(rest).length ? `${k} ${configValue(rest)}` : k);
    } else parts.push(`${k} ${configValue(v)}`);
  }
  if (off.length) parts.push(`off: ${off.join(', ')}`);
  return parts.join(' · ');
}

/**
 * An experiment config (or any nested settings object) as a compact two-column table: top-level
 * values as they are, each section (feature, train, augment, …) as one row of "key value" pairs.
 */
export function configTable(config: Record<string, unknown>): Table {
  return {
    columns: ['', 'settings'],
    rows: Object.entries(config).map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? configSettings(v as Record<string, unknown>) : configValue(v)]),
  };
}

/** configTable as left-aligned HTML, with the full JSON folded away under it. */
export function configHtml(config: Record<string, unknown>, caption?: string): string {
  const rows = configTable(config)
    .rows.map(([k, v]) => `<tr><th style="text-align:left;vertical-align:top;padding:3px 10px 3px 0">${escapeHtml(String(k))}</th><td style="text-align:left;padding:3px 0">${escapeHtml(String(v ?? ''))}</td></tr>`)
    .join('');
  const head = caption ? `<div class="capuchin-caption" style="margin:10px 0 2px;color:#444;font-weight:600">${escapeHtml(caption)}</div>` : '';
  return `${head}<table class="capuchin-config" style="border-collapse:collapse;max-width:100%"><tbody>${rows}</tbody></table>` +
    `<details style="margin-top:4px"><summary style="cursor:pointer;color:#555">full config (JSON)</summary><pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre></details>`;
}

export function showConfig(config: Record<string, unknown>, caption?: string): void {
  tslabDisplay().html(configHtml(config, caption));
}

export function showHtml(html: string): void {
  tslabDisplay().html(html);
}
