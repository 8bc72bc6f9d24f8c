/**
 * The review page as a reviewer uses it, in real headless Chromium (playwright-core with the system
 * /usr/bin/chromium, never a download), opened from file:// on a real counting run of the sample's
 * forest excerpt (3 labelled calls, 3 detections): open the index, open the recording, accept one
 * detection by click and reject one by key, add a missed call by clicking the spectrogram, nudge its
 * start, reload (decisions kept), decide the last detection, mark the recording fully reviewed, export
 * the three files and check their rows. The audio element must load the real file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../../data/paths.ts';
import { runCount } from '../../pipeline/count.ts';
import { readLabelledRecordings } from '../../records/labels.ts';
import { readReviewIndex } from './read.ts';

const CHROMIUM = '/usr/bin/chromium';
const EXCERPT = 'recording_46_excerpt.mp3';

test('review.html in chromium: verify, correct, reload, export', { skip: existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (apt-get install chromium)`, timeout: 300_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const root = mkdtempSync(join(tmpdir(), 'capuchin-review-page-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const out = join(root, 'run');
    const run = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: join(SAMPLE_DATA_DIR, FOREST_DIR), outDir: out, concurrency: 1, activity: false, log: () => {} });
    const events = run.results[0].events;
    assert.equal(events.length, 3, 'the shipped model finds the excerpt’s 3 calls');
    const index = readReviewIndex(out)!;
    const key = index.recordings[0].key;

    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(join(out, 'review.html')).href);

    // the index: one row, not started
    const row = page.locator(`#recordings tr[data-key="${key}"]`);
    assert.match(await row.innerText(), new RegExp(`${EXCERPT}\\s+26\\.0\\s+3\\s+1\\.000\\s+not started`));

    // the recording's page; its audio is the real file
    await row.locator('a').click();
    await page.waitForSelector('#spectrogram');
    assert.equal(new URL(page.url()).hash, `#rec=${key}`);
    const duration = await page.evaluate(
      () => new Promise<number>((resolve) => {
        const a = document.getElementById('source-audio') as HTMLAudioElement;
        if (a.readyState >= 1) resolve(a.duration);
        a.addEventListener('loadedmetadata', () => resolve(a.duration));
        a.addEventListener('error', () => resolve(-1));
      }),
    );
    assert.ok(Math.abs(duration - 26.04) < 0.1, `the player loads the recording (duration ${duration})`);

    // accept #1 by click, reject #2 by key
    await page.click('button[data-item="event-0"][data-verdict="accept"]');
    await page.click('tr[data-item="event-1"] td:first-child');
    await page.keyboard.press('r');
    // a missed call by clicking the spectrogram where there is no box: 9.0 s (the view shows 0–26.03 s)
    const box = (await page.locator('#spectrogram').boundingBox())!;
    const span = Math.min(60, index.recordings[0].durationSec!);
    await page.mouse.click(box.x + (9.0 / span) * box.width, box.y + box.height / 2);
    const addedStart = Number(await page.locator('tr[data-item="added-0"] td:nth-child(2)').innerText());
    assert.ok(Math.abs(addedStart - 9.0) < 0.05, `added at ${addedStart} s`);
    // nudge it by +0.2 s (selected after adding)
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal(await page.locator('#done').isDisabled(), true, 'not yet: #3 has no verdict');

    // reload: the decisions are kept
    await page.reload();
    await page.waitForSelector('#spectrogram');
    assert.equal(await page.locator('tr[data-item="event-0"] td:nth-child(5)').innerText(), 'accept');
    assert.equal(await page.locator('tr[data-item="event-1"] td:nth-child(5)').innerText(), 'reject');
    const nudged = Number(await page.locator('tr[data-item="added-0"] td:nth-child(2)').innerText());
    assert.ok(Math.abs(nudged - (addedStart + 0.2)) < 0.011, `nudged to ${nudged}`);

    // "next to review" goes to #3, the only detection left; accept it, mark the recording reviewed
    await page.keyboard.press('n');
    assert.match((await page.locator('tr.selected').getAttribute('data-item'))!, /^event-2$/);
    await page.keyboard.press('a');
    await page.check('#done');
    await page.click('#back');
    await page.waitForSelector('#recordings');
    assert.match(await row.innerText(), /fully reviewed/);

    const save = async (which: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-export="${which}"]`)]);
      const path = join(root, download.suggestedFilename());
      await download.saveAs(path);
      return path;
    };
    const reviewedPath = await save('reviewed');
    const verdicts = parse(readFileSync(await save('verdicts'), 'utf8'), { columns: true }) as Record<string, string>[];
    const raven = readFileSync(await save('raven'), 'utf8').trim().split('\n').map((l) => l.split('\t'));

    // reviewed_calls.csv: the labels_calls.csv layout the trainer reads: #1, the added call, #3 (not the rejected #2)
    const reviewed = readLabelledRecordings(reviewedPath).get(EXCERPT)!;
    assert.equal(reviewed.length, 3);
    assert.ok(Math.abs(reviewed[0].start_s - events[0].start_s) < 0.001);
    assert.ok(Math.abs(reviewed[1].start_s - nudged) < 0.006, `added call at ${reviewed[1].start_s} (the page shows ${nudged})`); // the page shows 2 decimals
    assert.ok(Math.abs(reviewed[2].start_s - events[2].start_s) < 0.001);
    assert.deepEqual(
      verdicts.map((v) => [v.recording, v.detection, v.verdict]),
      [[EXCERPT, '1', 'accept'], [EXCERPT, '2', 'reject'], [EXCERPT, '3', 'accept'], [EXCERPT, '4', 'added']],
    );
    assert.ok(Math.abs(Number(verdicts[1].start_s) - events[1].start_s) < 0.001);
    assert.equal(verdicts[3].score, '');
    assert.deepEqual(raven[0], ['Selection', 'View', 'Channel', 'Begin File', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)', 'Score', 'Verdict']);
    assert.deepEqual(raven.slice(1).map((r) => [r[3], r[9]]), [[EXCERPT, 'accept'], [EXCERPT, 'reject'], [EXCERPT, 'accept'], [EXCERPT, 'added']]);
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});
