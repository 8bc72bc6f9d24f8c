import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { decodeWav } from '../audio/wav.ts';
import { loadAudio } from '../audio/load.ts';
import { POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import {
  audioPlayerHtml,
  figureGridHtml,
  matrixHeatmapFigure,
  percentileRange,
  plainJson,
  plotlyFigureHtml,
  plotlyLoaderHtml,
  toTable,
  waveformFigure,
} from './display.ts';

const CLIP = join(SAMPLE_DATA_DIR, POSITIVE_DIR, 'XC3776-5.wav'); // 44.1 kHz mono, 3.0 s

test('plainJson turns typed arrays into arrays, rounds float32 noise and maps non-finite numbers to null', () => {
  const out = plainJson({ y: Float32Array.of(0.1, NaN, 2), n: [Infinity, 1], x: Int16Array.of(-3, 4), s: 'a' });
  assert.deepEqual(out, { y: [0.1, null, 2], n: [null, 1], x: [-3, 4], s: 'a' });
});

test('plotlyFigureHtml inlines the figure as JSON that cannot close its <script>', () => {
  const html = plotlyFigureHtml({ data: [{ type: 'scatter', name: '</script><b>x', y: Float32Array.of(1, 2) }], layout: { height: 300 } });
  assert.equal(html.match(/<\/script>/g)?.length, 1, 'only the closing tag of the figure script');
  assert.match(html, /^<div id="(capuchin-plot-[0-9a-f]{12})"[^>]*height:300px/);
  const id = /id="([^"]+)"/.exec(html)![1]!;
  assert.ok(html.includes(`document.getElementById(${JSON.stringify(id)})`));
  assert.ok(html.includes('"y":[1,2]'));
  assert.ok(html.includes('window.Plotly.newPlot(el, '));
  assert.notEqual(id, /id="([^"]+)"/.exec(plotlyFigureHtml({ data: [] }))![1], 'each figure gets its own div id');
});

test('figureGridHtml puts every figure in one grid', () => {
  const html = figureGridHtml([{ data: [] }, { data: [] }, { data: [] }]);
  assert.match(html, /^<div style="display:grid/);
  assert.equal(html.match(/class="capuchin-plot"/g)?.length, 3);
});

test('plotlyLoaderHtml wraps the bundle once behind a window.Plotly guard', () => {
  const html = plotlyLoaderHtml('window.Plotly = {};');
  assert.ok(html.startsWith('<script type="text/javascript">if (!window.Plotly) {\nwindow.Plotly = {};\n}</script>'));
  assert.match(html, /plotly\.js \d+\.\d+\.\d+ loaded/);
});

test('waveformFigure keeps the min/max envelope of a real clip within maxPoints', async () => {
  const audio = await loadAudio(CLIP, { sampleRate: 'native' });
  const fig = waveformFigure(audio, 'clip', 1000);
  const trace = fig.data[0] as { x: number[]; y: number[] };
  assert.ok(trace.y.length <= 1000 && trace.y.length >= 900, `points ${trace.y.length}`);
  assert.equal(trace.x.length, trace.y.length);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of audio.samples) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  assert.ok(Math.abs(Math.max(...trace.y) - hi) < 1e-3, 'the envelope reaches the loudest sample');
  assert.ok(Math.abs(Math.min(...trace.y) - lo) < 1e-3, 'and the quietest');
  for (let i = 0; i < trace.y.length; i += 2) assert.ok(trace.y[i]! <= trace.y[i + 1]!, 'each bucket is (min, max)');
  assert.ok(trace.x.at(-1)! < audio.samples.length / audio.sampleRate);
});

test('matrixHeatmapFigure transposes to bins × time and averages time rows down to maxTimeSteps', () => {
  // 4 frames × 2 bins: bin 0 = 1,2,3,4 ; bin 1 = 10,20,30,40
  const m = { data: Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40), rows: 4, cols: 2 };
  const fig = matrixHeatmapFigure(m, { title: 't', hopSec: 0.5, maxTimeSteps: 2, transform: (v) => v * 2 });
  const trace = fig.data[0] as { z: number[][]; x: number[]; zmin: number; zmax: number };
  assert.deepEqual(trace.z, [[3, 7], [30, 70]]);
  assert.deepEqual(trace.x, [0.5, 1.5]);
  assert.ok(trace.zmin >= 3 && trace.zmax <= 70 && trace.zmin < trace.zmax);
});

test('percentileRange ignores outliers beyond the quantiles and survives constant data', () => {
  const values = [...Array.from({ length: 98 }, (_, i) => i), -1e9, 1e9];
  assert.deepEqual(percentileRange(values, 0.02, 0.98), [1, 96]);
  assert.deepEqual(percentileRange([5, 5, 5], 0.02, 0.98), [5, 6]);
  assert.deepEqual(percentileRange([NaN], 0, 1), [0, 1]);
});

test('audioPlayerHtml embeds a WAV that decodes back to the clip', async () => {
  const audio = await loadAudio(CLIP);
  const html = audioPlayerHtml(audio, 'a <b> clip');
  assert.ok(html.includes('a &lt;b&gt; clip'));
  const b64 = /src="data:audio\/wav;base64,([^"]+)"/.exec(html)![1]!;
  const back = decodeWav(new Uint8Array(Buffer.from(b64, 'base64')), 'player');
  assert.equal(back.sampleRate, 16000);
  assert.equal(back.samples.length, audio.samples.length);
  let maxErr = 0;
  for (let i = 0; i < back.samples.length; i++) maxErr = Math.max(maxErr, Math.abs(back.samples[i]! - audio.samples[i]!));
  assert.ok(maxErr < 1e-3, `16-bit round trip error ${maxErr}`);
});

test('toTable reads danfojs frames (with a labelled index) and row objects', () => {
  const dfd = createRequire(import.meta.url)('danfojs-node');
  const df = new dfd.DataFrame([{ cls: 'a', d: 3 }, { cls: 'a', d: 4 }, { cls: 'b', d: 5 }]);
  assert.deepEqual(toTable(df.groupby(['cls']).col(['d']).count()), { columns: ['cls', 'd_count'], rows: [['a', 2], ['b', 1]] });
  const described = toTable(df.loc({ columns: ['d'] }).describe());
  assert.deepEqual(described.columns, ['', 'd']);
  assert.deepEqual(described.rows.slice(0, 2), [['count', 3], ['mean', 4]]);
  assert.deepEqual(toTable([{ a: 1 }, { b: 'x' }]), { columns: ['a', 'b'], rows: [[1, null], [null, 'x']] });
});
