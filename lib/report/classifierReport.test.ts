import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findChromium } from '../util/executables.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import wavefile from 'wavefile';
import { chromium } from 'playwright-core';
import { classifierReportHtml, perFoldRows, worstErrors } from './classifierReport.ts';
import { encodeWav16, relativeAudioHref, wavDataUri } from './audioClips.ts';
import { syntheticExperimentResult } from './__fixtures__/syntheticResult.ts';
import { rocAuc } from '../evaluate/roc.ts';
import { summarize } from '../evaluate/summarize.ts';
import { SAMPLE_DATA_DIR } from '../data/paths.ts';
import type { Audio } from '../audio/audio.ts';

const result = syntheticExperimentResult({ bootstrapN: 100 });

function loadSampleWav(file: string): Audio {
  const wav = new wavefile.WaveFile(readFileSync(join(SAMPLE_DATA_DIR, file)));
  wav.toBitDepth('32f');
  const fmt = wav.fmt as { sampleRate: number; numChannels: number };
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const samples = Float32Array.from(Array.isArray(raw) || fmt.numChannels > 1 ? (raw as Float64Array[])[0] : raw);
  return { samples, sampleRate: fmt.sampleRate };
}

test('worst errors: highest-scored negatives above the threshold, lowest-scored positives below it', () => {
  const { falsePositives, falseNegatives } = worstErrors(result.oof, result.threshold, 5);
  assert.ok(falsePositives.length > 0 && falseNegatives.length > 0);
  assert.ok(falsePositives.every((p) => p.label === 0 && p.score >= result.threshold));
  assert.ok(falseNegatives.every((p) => p.label === 1 && p.score < result.threshold));
  const maxNegative = Math.max(...result.oof.filter((p) => p.label === 0).map((p) => p.score));
  assert.equal(falsePositives[0].score, maxNegative);
  assert.deepEqual(falsePositives.map((p) => p.score), [...falsePositives.map((p) => p.score)].sort((a, b) => b - a));
});

test('per-fold rows recompute AUC on each fold’s own predictions', () => {
  const rows = perFoldRows(result);
  assert.deepEqual(rows.map((r) => r.fold), [0, 1, 2]);
  const fold1 = result.oof.filter((p) => p.fold === 1);
  assert.equal(rows[1].roc_auc, rocAuc(fold1.map((p) => p.label), fold1.map((p) => p.score)));
  assert.equal(rows[1].n, fold1.length);
  assert.equal(rows[0].epochs, 8);
});

test('report.html: metric table with CIs, audio players linked through audioHref for every worst error', async () => {
  const k = 4;
  const html = await classifierReportHtml(result, { worstK: k, audioHref: (f) => `clips/${encodeURIComponent(f)}` });
  const { falsePositives, falseNegatives } = worstErrors(result.oof, result.threshold, k);
  for (const p of [...falsePositives, ...falseNegatives]) assert.ok(html.includes(`src="clips/${encodeURIComponent(p.file)}"`), p.file);
  assert.equal((html.match(/<audio controls/g) ?? []).length, falsePositives.length + falseNegatives.length);
  assert.ok(html.includes(`95% CI (bootstrap, 100 stratified resamples, seed 1)`));
  const ci = result.metrics.ci!;
  assert.ok(html.includes(`${Number(ci.roc_auc.lo.toFixed(4))} – ${Number(ci.roc_auc.hi.toFixed(4))}`));
  for (const heading of ['Training curves', 'ROC and precision–recall', 'Confusion matrix and scores', 'Classification report', 'Config']) {
    assert.ok(html.includes(`<h2>${heading}</h2>`), heading);
  }
  assert.ok(html.includes('&quot;learningRate&quot;: 0.001'), 'config shown');
});

test('embedded clips are WAV data: URIs holding the real sample audio, cut to maxSeconds', async () => {
  const html = await classifierReportHtml(result, { worstK: 2, embedAudio: { load: loadSampleWav, maxSeconds: 1.5 } });
  const uris = [...html.matchAll(/src="data:audio\/wav;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => m[1]);
  assert.equal(uris.length, 4);
  const wav = new wavefile.WaveFile(Buffer.from(uris[0], 'base64'));
  const fmt = wav.fmt as { sampleRate: number; numChannels: number; bitsPerSample: number };
  assert.deepEqual([fmt.numChannels, fmt.bitsPerSample], [1, 16]);
  const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array;
  assert.equal(samples.length, Math.floor(1.5 * fmt.sampleRate));
  assert.ok(samples.some((s) => Math.abs(s) > 100), 'not silence');
});

test('a clip that cannot be loaded shows why instead of failing the report; one-class OOF skips ROC/PR', async () => {
  const html = await classifierReportHtml(result, {
    worstK: 1,
    embedAudio: { load: (f) => { throw new Error(`capuchin: ${f}: missing`); } },
  });
  assert.equal((html.match(/audio unavailable: capuchin: Parsed_[^<]*: missing/g) ?? []).length, 2);
  const oof = result.oof.map((p) => ({ ...p, label: 1 as const }));
  const metrics = summarize(oof.map((p) => p.label), oof.map((p) => p.score), 0.5);
  const one = await classifierReportHtml({ ...result, oof, metrics, threshold: 0.5 });
  assert.ok(one.includes('Not drawn: the out-of-fold predictions hold only one class.'));
});

test('encodeWav16 clips to ±1 and keeps the rate; relativeAudioHref resolves to the real file', () => {
  const wav = new wavefile.WaveFile(encodeWav16({ samples: Float32Array.of(0, 2, -2, 0.5), sampleRate: 16000 }));
  assert.deepEqual(Array.from(wav.getSamples(false, Int16Array) as unknown as Int16Array), [0, 32767, -32768, 16384]);
  assert.ok(wavDataUri({ samples: new Float32Array(16000), sampleRate: 16000 }, 0.5).startsWith('data:audio/wav;base64,'));
  const reportDir = '/tmp/capuchin-report/exp';
  const href = relativeAudioHref(reportDir, SAMPLE_DATA_DIR)('Parsed_Capuchinbird_Clips/XC3776-5.wav');
  assert.ok(existsSync(resolve(reportDir, decodeURIComponent(href))), href);
  assert.equal(relativeAudioHref('/r', '/d')('Forest Recordings/a b.mp3'), '../d/Forest%20Recordings/a%20b.mp3');
});

const CHROMIUM = findChromium() ?? undefined;

test('report.html draws every figure in headless Chromium without script errors', { skip: CHROMIUM ? false : 'chromium not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capuchin-report-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const path = join(dir, 'report.html');
    writeFileSync(path, await classifierReportHtml(result, { audioHref: relativeAudioHref(dir, SAMPLE_DATA_DIR) }));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`file://${path}`);
    await page.waitForFunction(() => document.querySelectorAll('.figure .main-svg').length >= document.querySelectorAll('.figure').length * 2, null, { timeout: 20000 });
    const counts = await page.evaluate(() => ({
      figures: document.querySelectorAll('.figure').length,
      drawn: document.querySelectorAll('.figure.js-plotly-plot').length,
      traces: document.querySelectorAll('.figure .trace').length,
      staticFigures: [...document.querySelectorAll('.capuchin-figure svg')].map((svg) => svg.textContent ?? ''),
      audio: [...document.querySelectorAll('audio')].map((a) => (a as HTMLAudioElement).src),
    }));
    // interactive: ROC, PR, score histogram; static (the PNGs' Vega-Lite specs as SVG): training curves, confusion matrix
    assert.equal(counts.figures, 3);
    assert.equal(counts.drawn, 3);
    assert.ok(counts.traces > 8, `traces drawn: ${counts.traces}`);
    assert.equal(counts.staticFigures.length, 2);
    assert.match(counts.staticFigures[0], /loss/i);
    assert.match(counts.staticFigures[1], /Confusion matrix/);
    assert.ok(counts.audio.length > 0);
    for (const src of counts.audio) assert.ok(existsSync(decodeURIComponent(new URL(src).pathname)), src);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

