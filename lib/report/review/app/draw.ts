/** Canvas drawing of a recording page: the spectrogram image, the score track, and boxes over both. */
import type { ReviewCandidate, ReviewDetectorSummary, ReviewRecordingData } from '../types.ts';

const VIRIDIS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** 256 RGB entries of a viridis-like scale. */
export const PALETTE: Uint8ClampedArray = (() => {
  const p = new Uint8ClampedArray(256 * 3);
  for (let v = 0; v < 256; v++) {
    const x = (v / 255) * (VIRIDIS.length - 1);
    const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
    const f = x - i;
    for (let k = 0; k < 3; k++) p[v * 3 + k] = VIRIDIS[i][k] + (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) * f;
  }
  return p;
})();

/** The whole spectrogram as an offscreen canvas: x = time rows, y = frequency (low at the bottom). */
export function spectrogramImage(s: NonNullable<ReviewRecordingData['spectrogram']>): HTMLCanvasElement {
  const bytes = Uint8Array.from(atob(s.data), (c) => c.charCodeAt(0));
  const canvas = document.createElement('canvas');
  canvas.width = s.rows;
  canvas.height = s.cols;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(s.rows, s.cols);
  for (let r = 0; r < s.rows; r++)
    for (let b = 0; b < s.cols; b++) {
      const v = bytes[r * s.cols + b];
      const o = ((s.cols - 1 - b) * s.rows + r) * 4;
      img.data[o] = PALETTE[v * 3];
      img.data[o + 1] = PALETTE[v * 3 + 1];
      img.data[o + 2] = PALETTE[v * 3 + 2];
      img.data[o + 3] = 255;
    }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

export interface Box {
  start_s: number;
  end_s: number;
  colour: string;
  selected: boolean;
  label: string;
}

export interface Frame {
  /** Seconds shown: [t0, t0 + span]. */
  t0: number;
  span: number;
  width: number;
}

export const xOf = (f: Frame, t: number) => ((t - f.t0) / f.span) * f.width;
export const tOf = (f: Frame, x: number) => f.t0 + (x / f.width) * f.span;

function drawBoxes(ctx: CanvasRenderingContext2D, f: Frame, height: number, boxes: readonly Box[], fill: boolean): void {
  for (const b of boxes) {
    const x0 = xOf(f, b.start_s);
    const x1 = xOf(f, b.end_s);
    if (x1 < 0 || x0 > f.width) continue;
    ctx.lineWidth = b.selected ? 3 : 1.5;
    ctx.strokeStyle = b.colour;
    if (fill) {
      ctx.fillStyle = b.colour + '22';
      ctx.fillRect(x0, 0, x1 - x0, height);
    }
    ctx.strokeRect(x0 + 0.5, 1, x1 - x0 - 1, height - 2);
    // the label on a tab of the box's colour, readable over the spectrogram
    ctx.font = '12px sans-serif';
    const w = ctx.measureText(b.label).width + 6;
    ctx.fillStyle = b.colour;
    ctx.fillRect(x0, 0, w, 15);
    ctx.fillStyle = b.colour === '#ffffff' || b.colour === '#e6e6e6' ? '#000' : '#fff';
    ctx.fillText(b.label, x0 + 3, 12);
  }
}

export function drawSpectrogram(canvas: HTMLCanvasElement, image: HTMLCanvasElement | null, data: ReviewRecordingData, f: Frame, boxes: readonly Box[]): void {
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (image && data.spectrogram) {
    const hop = data.spectrogram.hopSec;
    const r0 = f.t0 / hop;
    const rows = f.span / hop;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image, r0, 0, rows, image.height, 0, 0, f.width, canvas.height);
  }
  drawBoxes(ctx, f, canvas.height, boxes, false);
  if (data.spectrogram) {
    // the frequency range, low at the bottom
    ctx.font = '11px sans-serif';
    ctx.fillStyle = 'rgba(0,0,0,.55)';
    ctx.fillRect(canvas.width - 62, 0, 62, 15);
    ctx.fillRect(canvas.width - 62, canvas.height - 15, 62, 15);
    ctx.fillStyle = '#fff';
    ctx.textAlign = 'right';
    ctx.fillText(`${data.spectrogram.fmaxHz} Hz`, canvas.width - 4, 11);
    ctx.fillText(`${data.spectrogram.fminHz} Hz`, canvas.width - 4, canvas.height - 4);
    ctx.textAlign = 'left';
  }
}

export function drawScores(canvas: HTMLCanvasElement, data: ReviewRecordingData, det: ReviewDetectorSummary, candidates: readonly ReviewCandidate[], f: Frame, boxes: readonly Box[]): void {
  const ctx = canvas.getContext('2d')!;
  const h = canvas.height;
  const y = (p: number) => h - 4 - p * (h - 18);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, h);
  drawBoxes(ctx, f, h, boxes, true);
  for (const [p, dash] of [[det.onThreshold, [] as number[]], [det.offThreshold, [4, 4]]] as [number, number[]][]) {
    ctx.strokeStyle = '#d62728';
    ctx.lineWidth = 1;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(0, y(p));
    ctx.lineTo(f.width, y(p));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.fillStyle = '#d62728';
  ctx.font = '11px sans-serif';
  ctx.textAlign = 'right';
  ctx.fillText(`on ${det.onThreshold}`, canvas.width - 4, y(det.onThreshold) - 3);
  ctx.fillText(`off ${det.offThreshold}`, canvas.width - 4, y(det.offThreshold) + 12);
  ctx.textAlign = 'left';
  ctx.strokeStyle = '#333';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  data.scores.forEach((s, i) => {
    const x = xOf(f, i * data.hopSec + data.windowSec / 2 - (data.leadSec ?? 0));
    if (i === 0) ctx.moveTo(x, y(s));
    else ctx.lineTo(x, y(s));
  });
  ctx.stroke();
  ctx.fillStyle = '#ff7f0e';
  for (const c of candidates) {
    const x = xOf(f, c.time_s + data.windowSec / 2);
    ctx.beginPath();
    ctx.moveTo(x, y(c.score) - 10);
    ctx.lineTo(x - 5, y(c.score) - 18);
    ctx.lineTo(x + 5, y(c.score) - 18);
    ctx.fill();
  }
  // time ticks
  ctx.fillStyle = '#555';
  ctx.font = '11px sans-serif';
  const step = f.span > 120 ? 30 : f.span > 30 ? 5 : 1;
  for (let t = Math.ceil(f.t0 / step) * step; t <= f.t0 + f.span; t += step) ctx.fillText(`${t}s`, xOf(f, t) + 2, h - 2);
}
