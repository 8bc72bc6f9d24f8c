import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadAudio } from '../audio/index.ts';
import { SAMPLE_DATA_DIR, FOREST_DIR } from '../data/paths.ts';
import { resolveDetectorConfig } from '../detect/config.ts';
import { scoreTrackToEvents } from '../detect/events.ts';
import { simulateScoreTrack } from '../detect/__fixtures__/syntheticTrack.ts';
import { configureFeatures } from '../features/extractor.ts';
import { reviewHtml, thumbnailPng, writeReviewHtml, type ReviewRecording, type ReviewSpectrogram } from './reviewHtml.ts';

const CHROMIUM = '/usr/bin/chromium';
const SAMPLE = join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3');
const LABELLED_STARTS = [2.57, 12.47, 19.81]; // data/sample/labels_calls.csv

/** The real sample excerpt: 16 kHz audio, a 10 rows/s log-mel image, a score track for its labelled calls. */
async function sampleRecording(): Promise<ReviewRecording> {
  const audio = await loadAudio(SAMPLE, { sampleRate: 16000 });
  const durationSec = audio.samples.length / audio.sampleRate;
  const ex = configureFeatures({ kind: 'mel', melBins: 48, hopLength: 160, frameLength: 400, fftLength: 512 });
  const mel = ex.frames(audio.samples); // 100 frames/s of mel power
  const rows = Math.floor(mel.rows / 10);
  const data = new Float32Array(rows * mel.cols);
  for (let r = 0; r < rows; r++)
    for (let b = 0; b < mel.cols; b++) {
      let p = 0;
      for (let k = 0; k < 10; k++) p += mel.data[(r * 10 + k) * mel.cols + b];
      data[r * mel.cols + b] = 10 * Math.log10(p / 10 + 1e-10);
    }
  const spectrogram: ReviewSpectrogram = { data, rows, cols: mel.cols, hopSec: 0.1, fminHz: 80, fmaxHz: 8000 };
  const calls = LABELLED_STARTS.map((s) => ({ start_s: s, end_s: s + 4.1 }));
  const scores = simulateScoreTrack({ durationSec, calls, noiseSd: 0.05, seed: 46 });
  const events = scoreTrackToEvents(scores, resolveDetectorConfig(), { durationSec });
  const clips = events.map((e, event_index) => ({
    event_index,
    sampleRate: audio.sampleRate,
    samples: audio.samples.slice(Math.round(e.start_s * audio.sampleRate), Math.round(e.end_s * audio.sampleRate)),
  }));
  return { recording: 'recording_46_excerpt.mp3', durationSec, scores, hopSec: 0.5, windowSec: 3, events, spectrogram, clips };
}

test('thumbnails are real PNGs of the requested size', () => {
  const s: ReviewSpectrogram = { data: Float32Array.from({ length: 50 * 8 }, (_, i) => i % 8), rows: 50, cols: 8, hopSec: 0.1, fmaxHz: 8000 };
  const uri = thumbnailPng(s, 1, 3, [0, 7]);
  const png = Buffer.from(uri.replace('data:image/png;base64,', ''), 'base64');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png.readUInt32BE(16), 240); // IHDR width
  assert.equal(png.readUInt32BE(20), 96); // IHDR height
});

test('bad spectrogram shapes are rejected with the recording named', () => {
  const rec: ReviewRecording = {
    recording: 'x.mp3', durationSec: 10, scores: new Float32Array(15), hopSec: 0.5, windowSec: 3, events: [],
    spectrogram: { data: new Float32Array(10), rows: 3, cols: 4, hopSec: 0.1, fmaxHz: 8000 },
  };
  assert.throws(() => reviewHtml([rec]), /review spectrogram of x\.mp3 has rows=3, cols=4, 10 values/);
});

test('review.html renders in headless chromium: plots, thumbnails, playable calls, no console errors', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is absent (apt-get install chromium to run this check)`);
    return;
  }
  const rec = await sampleRecording();
  assert.equal(rec.events.length, 3, 'the synthetic track of the sample gives its three labelled calls');
  const failed: ReviewRecording = {
    recording: 'broken.wav', durationSec: 0, scores: new Float32Array(0), hopSec: 0.5, windowSec: 3, events: [],
    error: 'truncated: the data chunk <ends> early',
  };
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-review-'));
  const path = join(dir, 'review.html');
  writeReviewHtml(path, [rec, failed], { detector: resolveDetectorConfig() });
  const html = readFileSync(path, 'utf8');
  assert.ok(html.includes('truncated: the data chunk &lt;ends&gt; early'), 'error text is escaped');

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.waitForSelector('#fig-1 .heatmaplayer image', { timeout: 30000 });
    const seen = await page.evaluate(() => ({
      plots: document.querySelectorAll('.js-plotly-plot').length,
      scoreTraces: document.querySelectorAll('#fig-0 .scatterlayer .trace').length,
      heatmaps: document.querySelectorAll('#fig-1 .heatmaplayer image').length,
      boxes: document.querySelectorAll('#fig-1 .shapelayer path').length,
      audios: document.querySelectorAll('audio').length,
      thumbs: Array.from(document.querySelectorAll('img.thumb')).map((i) => (i as HTMLImageElement).naturalWidth),
    }));
    assert.equal(seen.plots, 2);
    assert.equal(seen.scoreTraces, 3, 'raw, smoothed and detection traces');
    assert.equal(seen.heatmaps, 1);
    assert.equal(seen.boxes, 3, 'one box per detection on the spectrogram');
    assert.equal(seen.audios, 3);
    assert.deepEqual(seen.thumbs, [240, 240, 240]);
    // the browser decodes each embedded WAV: its duration is the call's
    const durations = await page.evaluate(() =>
      Promise.all(
        Array.from(document.querySelectorAll('audio')).map(
          (a) =>
            new Promise<number>((resolve, reject) => {
              a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
              a.addEventListener('error', () => reject(new Error('audio failed to load')), { once: true });
              a.preload = 'metadata';
              a.load();
            }),
        ),
      ),
    );
    durations.forEach((d, i) => assert.ok(Math.abs(d - (rec.events[i].end_s - rec.events[i].start_s)) < 0.01, `clip ${i}: ${d} s`));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
