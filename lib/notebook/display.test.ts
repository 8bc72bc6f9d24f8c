import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { decodeWav } from '../audio/wav.ts';
import { loadAudio } from '../audio/load.ts';
import { POSITIVE_DIR, SAMPLE_DATA_DIR } from '../data/paths.ts';
import {
  audioPlayerHtml,
  captionedTableHtml,
  configHtml,
  configTable,
  detectionLabels,
  figureGridHtml,
  inTslabKernel,
  niceStep,
  scoreTrackFigure,
  trainingCurvesFigures,
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

test('configTable: one row per section, switches that are off listed once, nested settings in brackets', () => {
  const config = {
    name: 'demo',
    feature: { kind: 'pcen', melBins: 48, fminHz: 100 },
    augment: { seed: 0, timeShift: { enabled: true, maxSec: 0.5, mode: 'circular' }, gain: { enabled: false, maxDb: 6 }, mixup: { enabled: false } },
  };
  assert.deepEqual(configTable(config), {
    columns: ['', 'settings'],
    rows: [
      ['name', 'demo'],
      ['feature', 'kind pcen · melBins 48 · fminHz 100'],
      ['augment', 'seed 0 · timeShift (maxSec 0.5 · mode circular) · off: gain, mixup'],
    ],
  });
  const html = configHtml(config, 'experiment config <demo>');
  assert.match(html, /experiment config &lt;demo&gt;/);
  assert.equal(html.match(/<tr>/g)?.length, 3, 'three rows, not one line per JSON key');
  assert.match(html, /<details[^>]*><summary[^>]*>full config \(JSON\)<\/summary><pre>\{\n  &quot;name&quot;/, 'the full JSON folded away');
});

test('captionedTableHtml puts the caption above the table, not in a <caption> as narrow as the table', () => {
  const html = captionedTableHtml({ columns: ['a'], rows: [[1]] }, 'a long caption');
  assert.match(html, /^<div class="capuchin-caption"[^>]*>a long caption<\/div><table>/);
  assert.ok(!html.includes('<caption>'));
});

test('detectionLabels staggers close labels on two rows and leaves out the ones with no room', () => {
  // 60 s axis, 3 s minimum gap: 10 and 11 s share no row, 11.5 s has no room, 14 s fits on row 0 again.
  assert.deepEqual(detectionLabels([10, 11, 11.5, 14, 30], 60), [
    { index: 0, row: 0 },
    { index: 1, row: 1 },
    { index: 3, row: 0 },
    { index: 4, row: 0 },
  ]);
  assert.deepEqual(detectionLabels([], 60), []);
});

test('scoreTrackFigure: detections as markers with hover text, labels in a band above the scores', () => {
  const track = { recording: 'r.wav', scores: Float32Array.from([0.1, 0.9, 0.95, 0.2]), hopSec: 0.5, windowSec: 3, durationSec: 60 };
  const events = [10, 11, 11.5].map((t) => ({ start_s: t - 1, end_s: t + 1, peak_s: t, peak_score: 0.95 }));
  const fig = scoreTrackFigure(track, { title: 't', onThreshold: 0.5, offThreshold: 0.3, events });
  const detections = fig.data.find((d) => String(d.name).startsWith('detections'))!;
  assert.equal(detections.mode, 'markers', 'no text drawn at the markers');
  assert.match(String(detections.hovertemplate), /#%\{customdata\[0\]\}/);
  const annotations = (fig.layout as { annotations: { text: string; y: number }[] }).annotations;
  assert.deepEqual(annotations.map((a) => a.text), ['#1', '#2']);
  assert.ok(annotations.every((a) => a.y > 1), 'labels above P = 1');
});

test('trainingCurvesFigures: loss and accuracy, a line per fold and split, few integer epoch ticks', () => {
  const history = [0, 1].map((fold) => ({
    fold,
    bestEpoch: 30,
    epochs: Array.from({ length: 40 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), acc: 0.5 + i / 100, val_loss: 1.1 / (i + 1), val_acc: 0.5 + i / 120, seconds: 1 })),
  }));
  const [loss, acc] = trainingCurvesFigures(history);
  for (const fig of [loss!, acc!]) {
    assert.equal(fig.data.filter((d) => d.mode === 'lines').length, 4, 'train + validation per fold');
    assert.equal(fig.data.filter((d) => d.mode === 'markers').length, 2, 'one kept-epoch diamond per fold');
    const xaxis = (fig.layout as { xaxis: { dtick: number; tickangle: number } }).xaxis;
    assert.equal(xaxis.dtick, 10, '40 epochs: ticks every 10');
    assert.equal(xaxis.tickangle, 0);
  }
  assert.deepEqual(acc!.data.find((d) => d.mode === 'markers')!.y, [0.5 + 29 / 120], 'the kept epoch on the validation curve');
  assert.deepEqual([1, 3, 7, 16].map(niceStep), [1, 5, 10, 20]);
  assert.throws(() => trainingCurvesFigures([{ fold: 0, bestEpoch: 0, epochs: [] }]), /no epochs in the training history/);
});

test('outside a tslab kernel the progress lines stay on stderr', () => {
  assert.equal(inTslabKernel(), false);
});
