/**
 * The review page as a reviewer uses it, in real headless Chromium (playwright-core with the system's
 * Chromium, $CHROMIUM or on PATH, never a download), opened from file://.
 *
 * 1. A real counting run of the sample's forest excerpt (3 labelled calls, 3 detections): the index row;
 *    the recording's page, whose player loads the real file and plays a detection from start − 0.5 s to
 *    end + 0.5 s; accept by click, nudge, reject by key, click a box (selects), add a missed call by
 *    clicking the spectrogram, nudge it, reload (decisions kept), "next to review", unsure blocks
 *    "fully reviewed", accept, mark reviewed, export the three files and the per-recording Raven table and
 *    check their rows.
 * 2. The writer's own output for 1,000 recordings (one 200 s recording with clips and a candidate, 999
 *    light rows): all rows are listed; `n` on the index opens the most uncertain detection,
 *    centred in the 60 s window; panning; a candidate accepted, rejected and accepted again; an added call
 *    deleted by key; a clip that loads; exports with an id that needs CSV quoting; a browser whose
 *    localStorage throws shows a warning and keeps working.
 * No console errors or page errors anywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../../data/paths.ts';
import { runCount } from '../../pipeline/count.ts';
import { readLabelledRecordings } from '../../records/labels.ts';
import { readAnnotations } from '../../records/annotations/index.ts';
import { readVerdictsCsv } from '../../records/verdicts.ts';
import { readReviewIndex } from '../../pipeline/readReview.ts';
import type { ReviewDetectorSummary, ReviewIndexRecording } from './types.ts';
import { ReviewWriter } from './writer.ts';
import { CHROMIUM_HINT, findChromium } from '../../util/executables.ts';

const CHROMIUM = findChromium();
const EXCERPT = 'recording_46_excerpt.mp3';
const skip = CHROMIUM ? undefined : `no Chromium: ${CHROMIUM_HINT}`;
const near = (actual: number, expected: number, tol: number, what: string) => assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual}, expected ${expected} ± ${tol}`);

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM!, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/** A page whose console errors and page errors are collected. */
async function openPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => errors.push(`page: ${String(e)}`));
  return page;
}

/** Click a button that downloads; returns the saved file's path and suggested name. */
async function save(page: Page, selector: string, dir: string): Promise<{ path: string; name: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return { path, name: download.suggestedFilename() };
}

/** The duration of an <audio> element once its metadata loads (-1 on an error). */
const audioDuration = (page: Page, id: string) =>
  page.evaluate(
    (id) => new Promise<number>((resolve) => {
      const a = document.getElementById(id) as HTMLAudioElement;
      if (a.readyState >= 1) return resolve(a.duration);
      a.addEventListener('loadedmetadata', () => resolve(a.duration));
      a.addEventListener('error', () => resolve(-1));
      if (a.preload === 'none') a.load();
    }),
    id,
  );

/** The time at a fraction of a canvas' width, clicked. */
async function clickCanvasAt(page: Page, selector: string, fraction: number): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  await page.mouse.click(box.x + fraction * box.width, box.y + box.height / 2);
}

const cell = (page: Page, item: string, column: number) => page.locator(`tr[data-item="${item}"] td:nth-child(${column})`).innerText();
const selected = (page: Page) => page.locator('#detections tr.selected').getAttribute('data-item');
const tsv = (text: string) => text.trim().split('\n').map((l) => l.split('\t'));

test('review.html of a real run in chromium: verify, correct, play, reload, export', { skip, timeout: 180_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-review-page-'));
  const browser = await launch();
  try {
    const out = join(root, 'run');
    const run = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: join(SAMPLE_DATA_DIR, FOREST_DIR), outDir: out, concurrency: 1, activity: false, log: () => {} });
    const index = readReviewIndex(out)!;
    const rec = index.recordings[0];
    const events = rec.events;
    assert.equal(events.length, 3, 'the shipped model finds the excerpt’s 3 calls');
    assert.deepEqual(events.map((e) => e.start_s), run.results[0].events.map((e) => Number(e.start_s.toFixed(3))));
    const length = (i: number) => events[i].end_s - events[i].start_s;
    const span = Math.min(60, rec.durationSec!); // the whole excerpt is in view
    const key = rec.key;

    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const page = await openPage(context, errors);
    await page.goto(pathToFileURL(join(out, 'review.html')).href);

    // the index: the summary and one row, not started
    assert.match(await page.locator('body').innerText(), /1 recording\(s\), 3 detection\(s\), 0 fully reviewed/);
    const row = page.locator(`#recordings tr[data-key="${key}"]`);
    assert.match(await row.innerText(), new RegExp(`^${EXCERPT.replace(/\./g, '\\.')}\\s+26\\.0\\s+3\\s+1\\.000\\s+not started`));

    // the recording's page; its player loads the real file and plays #1 from start − 0.5 s to end + 0.5 s
    await row.locator('a').click();
    await page.waitForSelector('#spectrogram');
    assert.equal(new URL(page.url()).hash, `#rec=${key}`);
    near(await audioDuration(page, 'source-audio'), rec.durationSec!, 0.1, 'the player’s duration');
    await page.evaluate(() => void ((document.getElementById('source-audio') as HTMLAudioElement).playbackRate = 4));
    const played = page.evaluate(
      () => new Promise<{ from: number; to: number }>((resolve, reject) => {
        const a = document.getElementById('source-audio') as HTMLAudioElement;
        let from = NaN;
        a.addEventListener('seeking', () => void (Number.isNaN(from) && (from = a.currentTime)));
        a.addEventListener('pause', () => resolve({ from, to: a.currentTime }), { once: true });
        setTimeout(() => reject(new Error(`still playing at ${a.currentTime} s`)), 10_000);
      }),
    );
    await page.click('button[data-play="event-0"]');
    const { from, to } = await played;
    near(from, events[0].start_s - 0.5, 0.01, 'playing starts at start − 0.5 s');
    assert.ok(to >= events[0].end_s + 0.5 && to < events[0].end_s + 0.5 + 0.3, `playing stops at end + 0.5 s (${to})`);

    // accept #1 by click and nudge its start by −0.1 s; reject #2 by key
    await page.click('button[data-item="event-0"][data-verdict="accept"]');
    await page.keyboard.press('Shift+ArrowLeft');
    near(Number(await cell(page, 'event-0', 2)), events[0].start_s - 0.1, 0.006, '#1 nudged');
    near(Number(await cell(page, 'event-0', 3)), events[0].end_s - 0.1, 0.006, '#1 keeps its length');
    await page.click('tr[data-item="event-1"] td:first-child');
    await page.keyboard.press('r');
    // a click on a box selects it and adds nothing
    await clickCanvasAt(page, '#spectrogram', (events[2].start_s + 1) / span);
    assert.equal(await selected(page), 'event-2');
    assert.equal(await page.locator('tr[data-item^="added-"]').count(), 0);
    // a missed call: a click on the spectrogram where there is no box, at 9.0 s; then nudged by +0.2 s
    await clickCanvasAt(page, '#spectrogram', 9.0 / span);
    assert.equal(await selected(page), 'added-0');
    const addedStart = Number(await cell(page, 'added-0', 2));
    near(addedStart, 9.0, 0.05, 'added at');
    near(Number(await cell(page, 'added-0', 3)) - addedStart, [0, 1, 2].map(length).sort((a, b) => a - b)[1], 0.011, 'an added call is as long as the median detection');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal(await page.locator('#done').isDisabled(), true, 'not yet: #3 has no verdict');

    // reload: the decisions are kept
    await page.reload();
    await page.waitForSelector('#spectrogram');
    assert.equal(await cell(page, 'event-0', 5), 'accept');
    assert.equal(await cell(page, 'event-1', 5), 'reject');
    near(Number(await cell(page, 'event-0', 2)), events[0].start_s - 0.1, 0.006, '#1 still nudged');
    const nudged = Number(await cell(page, 'added-0', 2));
    near(nudged, addedStart + 0.2, 0.011, 'the added call still nudged');

    // "next to review" goes to #3, the only detection left; unsure blocks "fully reviewed", accept allows it
    await page.click('#next');
    assert.equal(await selected(page), 'event-2');
    await page.keyboard.press('u');
    assert.equal(await page.locator('#done').isDisabled(), true, 'unsure: not yet');
    assert.match(await page.locator('body').innerText(), /once every detection is accepted or rejected/);
    await page.keyboard.press('a');
    await page.check('#done');

    // the per-recording Raven table: no Begin File, calls in start order with their verdicts
    const one = await save(page, '#raven-one', root);
    assert.equal(one.name, 'recording_46_excerpt.capuchin.reviewed.selection.table.txt');
    const oneRows = tsv(readFileSync(one.path, 'utf8'));
    assert.deepEqual(oneRows[0], ['Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)', 'Score', 'Verdict']);
    assert.deepEqual(oneRows.slice(1).map((r) => [r[0], r[8]]), [['1', 'accept'], ['2', 'added'], ['3', 'reject'], ['4', 'accept']]);

    await page.click('#back');
    await page.waitForSelector('#recordings');
    assert.match(await row.innerText(), /fully reviewed/);
    assert.match(await page.locator('body').innerText(), /1 recording\(s\), 3 detection\(s\), 1 fully reviewed/);

    const reviewedPath = (await save(page, 'button[data-export="reviewed"]', root)).path;
    const verdictsPath = (await save(page, 'button[data-export="verdicts"]', root)).path;
    const ravenPath = (await save(page, 'button[data-export="raven"]', root)).path;
    const raven = tsv(readFileSync(ravenPath, 'utf8'));

    // reviewed_calls.csv, the labels_calls.csv layout the trainer reads: #1 (nudged), the added call, #3; not the rejected #2
    const reviewed = parse(readFileSync(reviewedPath, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(reviewed.map((r) => [r.recording, r.call_index]), [[EXCERPT, '0'], [EXCERPT, '1'], [EXCERPT, '2']]);
    const calls = readLabelledRecordings(reviewedPath).get(EXCERPT)!;
    near(calls[0].start_s, events[0].start_s - 0.1, 0.001, 'reviewed #1 start (nudged)');
    near(calls[0].end_s, events[0].end_s - 0.1, 0.001, 'reviewed #1 end');
    near(calls[1].start_s, nudged, 0.006, 'reviewed added call'); // the page shows 2 decimals
    near(calls[2].start_s, events[2].start_s, 0.001, 'reviewed #3 start');
    const verdicts = readVerdictsCsv(verdictsPath);
    assert.deepEqual(verdicts.map((v) => [v.recording, v.detection, v.verdict]), [[EXCERPT, 1, 'accept'], [EXCERPT, 2, 'reject'], [EXCERPT, 3, 'accept'], [EXCERPT, 4, 'added']]);
    near(verdicts[0].start_s, events[0].start_s - 0.1, 0.001, 'verdicts #1 start');
    near(verdicts[1].start_s, events[1].start_s, 0.001, 'verdicts #2 start');
    near(verdicts[3].start_s, nudged, 0.006, 'verdicts added start');
    assert.equal(verdicts[3].score, null);
    assert.equal(verdicts[0].score, events[0].peak_score);
    assert.deepEqual(raven[0], ['Selection', 'View', 'Channel', 'Begin File', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)', 'Score', 'Verdict', 'File Offset (s)']);
    assert.deepEqual(raven.slice(1).map((r) => [r[3], r[9]]), [[EXCERPT, 'accept'], [EXCERPT, 'added'], [EXCERPT, 'reject'], [EXCERPT, 'accept']]);
    // both exports feed back in as annotations: the same calls as reviewed_calls.csv, the rejected one left out
    for (const path of [reviewedPath, ravenPath]) {
      const back = readAnnotations(path).byRecording.get(EXCERPT)!;
      assert.deepEqual(back.map((c) => Number(c.start_s.toFixed(2))), calls.map((c) => Number(c.start_s.toFixed(2))), path);
    }
    assert.deepEqual(errors, [], 'no console or page errors');
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});

const DETECTOR: ReviewDetectorSummary = { onThreshold: 0.5, offThreshold: 0.3, smoothing: 'mean', smoothingWindows: 5, windowSec: 3, hopSec: 0.5 };
const LONG_ID = 'siteA/long, "odd".wav';

/** 1,000 recordings through the real writer: one 200 s recording with clips (two events, one candidate) and 999 light rows. */
function writeLargeReview(dir: string): void {
  const w = new ReviewWriter({ dir, title: 'large', detector: DETECTOR, fminHz: 100, fmaxHz: 5000, audio: 'clips' });
  const dur = 200;
  const hop = DETECTOR.hopSec;
  const scores = new Float32Array(Math.floor((dur - DETECTOR.windowSec) / hop) + 1).fill(0.05);
  for (let i = 40; i <= 44; i++) scores[i] = 0.95; // event #1 at 20 s
  for (let i = 200; i <= 204; i++) scores[i] = 0.52; // event #2 at 100 s, nearest the threshold
  scores.set([0.35, 0.42, 0.35], 300); // a candidate at 150.5 s: above the off threshold, no event
  const rows = dur * 10;
  const image = new Float32Array(rows * 48).map((_, k) => ((k * 7919) % 101) / 100);
  const audio = new Int16Array(dur * 16000).map((_, k) => Math.round(3000 * Math.sin(k / 7)));
  w.add({
    recording: LONG_ID, file: join(dir, 'long.wav'), count: 2,
    events: [{ start_s: 20, end_s: 24.1, peak_s: 21.5, peak_score: 0.95 }, { start_s: 100, end_s: 104.1, peak_s: 101.5, peak_score: 0.52 }],
    scored: { durationSec: dur, scores, image: { data: image, rows, cols: 48, hopSec: 0.1 }, audio, sampleRate: 16000 },
  });
  for (let i = 1; i < 1000; i++) {
    const failed = i % 100 === 0;
    const ev = (t: number) => ({ start_s: t, end_s: t + 4.1, peak_s: t + 1.5, peak_score: 0.99 });
    const row: ReviewIndexRecording = failed
      ? { key: '', recording: `site${i % 7}/rec_${String(i).padStart(4, '0')}.wav`, durationSec: null, count: null, bestScore: null, error: 'not a WAV', events: [], candidates: [] }
      : { key: '', recording: `site${i % 7}/rec_${String(i).padStart(4, '0')}.wav`, durationSec: 60, count: 3, bestScore: 0.99, events: [ev(5), ev(25), ev(45)], candidates: [{ time_s: 55, score: 0.31 }] };
    w.addWritten(row, null, (h) => h, () => new Uint8Array());
  }
  w.finish();
}

test('review.html of 1,000 recordings in chromium: fast index, next to review, panning, candidates, clips, storage failure', { skip, timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-review-large-'));
  const browser = await launch();
  try {
    const out = join(root, 'run');
    writeLargeReview(out);
    const index = readReviewIndex(out)!;
    const long = index.recordings.find((r) => r.recording === LONG_ID)!;
    assert.deepEqual(long.candidates, [{ time_s: 150.5, score: 0.42 }]);
    const url = pathToFileURL(join(out, 'review.html')).href;

    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const page = await openPage(context, errors);
    // (how fast this index opens is timed by the bench suite 'review', never here)
    await page.goto(url);
    await page.waitForSelector('#recordings');
    assert.match(await page.locator('body').innerText(), /1000 recording\(s\), 2972 detection\(s\), 0 fully reviewed, 9 failed/);
    assert.match(await page.locator(`#recordings tr[data-key="${index.recordings.find((r) => r.count === null)!.key}"]`).innerText(), /failed\s+not a WAV/);

    // `n` on the index opens the most uncertain detection (0.52) and centres it in the 60 s window
    await page.keyboard.press('n');
    await page.waitForSelector('#spectrogram');
    assert.equal(new URL(page.url()).hash, `#rec=${long.key}`);
    assert.equal(await selected(page), 'event-1');
    let t0 = (100 + 104.1) / 2 - 30;
    await clickCanvasAt(page, '#scores', 0.1); // the score track adds calls too
    near(Number(await cell(page, 'added-0', 2)), t0 + 6, 0.05, 'a call added in the centred window');
    // pan to the start: a click on #1's box selects it
    await page.click('#pan-left');
    await page.click('#pan-left');
    t0 = 0;
    await clickCanvasAt(page, '#spectrogram', (22 - t0) / 60);
    assert.equal(await selected(page), 'event-0');
    assert.equal(await page.locator('tr[data-item^="added-"]').count(), 1);
    await page.keyboard.press('r');

    // the candidate: accepted by key adds a call at its window; "not a call" takes it away; accepted again
    await page.click('tr[data-item="candidate-0"] td:first-child');
    await page.keyboard.press('a');
    assert.equal(await cell(page, 'candidate-0', 5), 'added as a call');
    assert.equal(await cell(page, 'added-1', 2), '150.50');
    await page.click('button[data-item="candidate-0"][data-verdict="reject"]');
    assert.equal(await page.locator('tr[data-item="added-1"]').count(), 0);
    await page.click('button[data-item="candidate-0"][data-verdict="accept"]');
    assert.equal(await cell(page, 'added-1', 2), '150.50');
    // the call added by clicking is deleted by key
    await page.click('tr[data-item="added-0"] td:first-child');
    await page.keyboard.press('Delete');
    assert.equal(await page.locator('tr[data-item^="added-"]').count(), 1);
    assert.equal(await cell(page, 'added-0', 2), '150.50');

    // clips: each detection's clip loads (4.1 s call + 0.5 s either side)
    near(await audioDuration(page, 'clip-2'), 5.1, 0.05, 'clip #2');

    await page.click('button[data-item="event-1"][data-verdict="accept"]');
    await page.check('#done');
    const reviewed = parse(readFileSync((await save(page, '#raven-one', root)).path, 'utf8'), { delimiter: '\t', columns: true }) as Record<string, string>[];
    assert.deepEqual(reviewed.map((r) => [r['Begin Time (s)'], r.Verdict]), [['20.000', 'reject'], ['100.000', 'accept'], ['150.500', 'added']]);
    await page.click('#back');
    await page.waitForSelector('#recordings');
    const calls = parse(readFileSync((await save(page, 'button[data-export="reviewed"]', root)).path, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(calls, [
      { recording: LONG_ID, call_index: '0', start_s: '100', end_s: '104.1' },
      { recording: LONG_ID, call_index: '1', start_s: '150.5', end_s: '154.6' },
    ]);
    const verdicts = readVerdictsCsv((await save(page, 'button[data-export="verdicts"]', root)).path);
    assert.deepEqual(verdicts.map((v) => [v.recording, v.detection, v.verdict, v.start_s]), [[LONG_ID, 1, 'reject', 20], [LONG_ID, 2, 'accept', 100], [LONG_ID, 3, 'added', 150.5]]);
    const raven = parse(readFileSync((await save(page, 'button[data-export="raven"]', root)).path, 'utf8'), { delimiter: '\t', columns: true, quote: false }) as Record<string, string>[];
    assert.equal(raven.length, 990 * 3 + 3, 'every counted recording’s calls, decided or not');
    assert.deepEqual(raven.filter((r) => r['Begin File'] === LONG_ID).map((r) => r.Verdict), ['reject', 'accept', 'added']);
    assert.deepEqual(errors, [], 'no console or page errors');

    // a browser that refuses to store: a visible warning, the page keeps working
    const refusing = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await refusing.addInitScript(() => {
      Storage.prototype.setItem = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    const errors2: string[] = [];
    const page2 = await openPage(refusing, errors2);
    await page2.goto(`${url}#rec=${long.key}`);
    await page2.waitForSelector('#spectrogram');
    assert.equal(await page2.locator('#storage-warning').isVisible(), false);
    await page2.keyboard.press('a'); // on #1, selected when the page opens
    assert.equal(await cell(page2, 'event-0', 5), 'accept');
    assert.match(await page2.locator('#storage-warning').innerText(), /cannot save decisions .*quota/i);
    assert.deepEqual(errors2, [], 'no console or page errors with a refusing store');
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});
