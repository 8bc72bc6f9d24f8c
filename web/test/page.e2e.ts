/**
 * The browser counter, as a person uses it: build web/dist into a temp folder, serve it on localhost,
 * open it in headless Chromium (playwright-core with the system's Chromium, $CHROMIUM or on PATH, never a download),
 * pick the sample's forest excerpt, a stereo 16-bit WAV made from it and a file the counter must refuse,
 * and wait until every row is done. The page must agree with `runCount` (the CLI's code) on the same files
 * exactly: counts, call starts, and the bytes of results.csv, detections.csv, errors.csv and each Raven
 * table. No console errors. Run twice: a plain server (one wasm thread per worker) and a cross-origin
 * isolated one (wasm threads).
 *
 * Run: npm run test:web   (≈1 min; part of .ci/run). Skips with a message when chromium is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHROMIUM_HINT, findChromium } from '../../lib/util/executables.ts';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertChunk, wavBytes } from '../../lib/audio/__fixtures__/testAudio.ts';
import { loadAudio } from '../../lib/audio/load.ts';
import { DEFAULT_MODEL_DIR, FOREST_DIR, SAMPLE_DATA_DIR } from '../../lib/data/paths.ts';
import { runCount } from '../../lib/pipeline/count.ts';
import { ravenFileName } from '../../lib/records/raven.ts';
import { buildWeb } from '../build.ts';
import { serveStatic } from '../serve.ts';

const CHROMIUM = findChromium();
const EXCERPT = 'recording_46_excerpt.mp3';
const LABELLED = [2.57, 12.47, 19.81];

interface Row {
  recording: string;
  status: string;
  count: string | undefined;
  starts: string | undefined;
}

test('the browser counter equals the CLI on the same files, on a plain and a cross-origin isolated page', { skip: CHROMIUM ? undefined : `no Chromium: ${CHROMIUM_HINT}`, timeout: 600_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const root = mkdtempSync(join(tmpdir(), 'capuchin-web-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    // Inputs: the excerpt (mp3, 3 labelled calls), its first 15 s as 44.1 kHz-stereo-style WAV at the
    // mp3's own rate with unequal channels, a FLAC of it (ffmpeg, where present), and a .m4a the counter must report, not drop.
    const inputs = join(root, 'inputs');
    mkdirSync(inputs);
    copyFileSync(join(SAMPLE_DATA_DIR, FOREST_DIR, EXCERPT), join(inputs, EXCERPT));
    const native = await loadAudio(join(inputs, EXCERPT), { sampleRate: 'native' });
    const head = native.samples.slice(0, 15 * native.sampleRate);
    // with GUANO metadata: the page reads the start time from the File as the CLI does from the path
    const guano = new TextEncoder().encode('GUANO|Version: 1.0\r\nTimestamp: 2024-03-01T05:59:55-03:00\r\n');
    writeFileSync(join(inputs, 'excerpt_head_stereo.wav'), insertChunk(wavBytes([head.map((v) => v * 0.9), head.map((v) => v * 0.7)], native.sampleRate, '16'), 'guan', guano, 'before-data'));
    writeFileSync(join(inputs, 'not_supported.m4a'), new Uint8Array(64));
    // 8 kHz: counted, with the band-limited warning (the shipped model's mel bands reach 5 kHz)
    const at8k = await loadAudio(join(inputs, EXCERPT), { sampleRate: 8000 });
    writeFileSync(join(inputs, 'excerpt_8kHz.wav'), wavBytes([at8k.samples.slice(0, 12 * 8000)], 8000, '16'));
    // cut short (a recorder's battery died): its header declares 12 s, the file holds 8 s; counted with a warning
    const at16k = await loadAudio(join(inputs, EXCERPT), { sampleRate: 16000 });
    writeFileSync(join(inputs, 'excerpt_cut.wav'), wavBytes([at16k.samples.slice(0, 12 * 16000)], 16000, '16').subarray(0, 44 + 8 * 16000 * 2));
    const files = [EXCERPT, 'excerpt_8kHz.wav', 'excerpt_cut.wav', 'excerpt_head_stereo.wav', 'not_supported.m4a'];
    if (spawnSync('ffmpeg', ['-v', 'error', '-i', join(inputs, 'excerpt_head_stereo.wav'), '-c:a', 'flac', join(inputs, 'excerpt_head.flac')]).status === 0) files.splice(1, 0, 'excerpt_head.flac');

    // the page has no folder, so no site: the CLI is told the same
    const cli = await runCount({ modelDir: DEFAULT_MODEL_DIR, recordingsDir: inputs, outDir: join(root, 'cli'), concurrency: 1, review: false, recordingInfo: { site: '' }, log: () => {} });
    const excerpt = cli.results.find((r) => r.recording === EXCERPT)!;
    assert.equal(excerpt.count, 3, 'the CLI counts the excerpt right (the comparison is worth something)');
    LABELLED.forEach((t, k) => assert.ok(Math.abs(excerpt.events[k].start_s - t) <= 1));
    const cliFile = (name: string) => readFileSync(join(root, 'cli', name), 'utf8');
    assert.match(cliFile('detections.csv'), /excerpt_head_stereo\.wav,0,[\d.]+,[\d.]+,[\d.]+,2024-03-01T0[56]:\d\d:[\d.]+-03:00,\n/, 'the GUANO start time reaches detections.csv');

    const dist = join(root, 'dist');
    const built = await buildWeb({ outDir: dist, log: () => {} });
    for (const f of ['index.html', 'page.js', 'worker.js', 'decode.js', 'plotly.js', 'tfjs-backend-wasm-simd.wasm', 'model/model.json', 'model/weights.bin', 'model/capuchin.json', 'model/detector.json'])
      assert.ok(built.files.some((x) => x.name === f), `web/dist lacks ${f}`);

    for (const isolate of [false, true]) {
      const server = await serveStatic(dist, { isolate });
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      const wasmLoaded: string[] = []; // and decode.js
      page.on('request', (r) => /\.wasm$|\/decode\.js$/.test(r.url()) && wasmLoaded.push(r.url().split('/').pop()!));
      try {
        await page.goto(server.url);
        await page.waitForFunction(() => document.body.dataset.model === 'ready' || document.body.dataset.model === 'failed', null, { timeout: 120_000 });
        const engine = await page.textContent('#engine');
        assert.equal(await page.evaluate(() => document.body.dataset.model), 'ready', `model: ${engine}`);
        assert.match(engine ?? '', isolate ? /cross-origin isolated, so tfjs's threaded wasm build is used/ : /not cross-origin isolated, so one wasm thread per worker/);
        assert.ok(wasmLoaded.includes(isolate ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm'), `wasm binaries fetched: ${wasmLoaded.join(', ')}`);
        assert.match(engine ?? '', /detector: the model's detector\.json/);
        // each counting worker decodes in a worker of its own (lib/detect/audioPort.ts): the counts below come through it
        assert.match(engine ?? '', /each decoding in a worker of its own/);
        assert.ok(wasmLoaded.includes('decode.js'), `decode.js was not fetched (${wasmLoaded.join(', ')})`);

        await page.setInputFiles('#files', files.map((f) => join(inputs, f)));
        await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 300_000 });
        const rows: Row[] = await page.$$eval('#rows tr[data-recording]', (trs) =>
          trs.map((tr) => {
            const d = (tr as HTMLElement).dataset;
            return { recording: d.recording!, status: d.status!, count: d.count, starts: d.starts };
          }),
        );
        assert.deepEqual(rows.map((r) => r.recording), files);
        for (const r of cli.results) {
          const row = rows.find((x) => x.recording === r.recording)!;
          if (r.count === null) {
            assert.equal(row.status, 'failed', `${r.recording}: the CLI failed it (${r.error}), the page did not`);
            continue;
          }
          assert.equal(row.status, 'counted', r.recording);
          assert.equal(row.count, String(r.count), `${r.recording}: page ${row.count}, CLI ${r.count}`);
          assert.equal(row.starts, r.events.map((e) => Number(e.start_s.toFixed(3))).join(','), `${r.recording}: call starts`);
        }
        assert.match(await page.textContent('tr[data-recording="not_supported.m4a"]') ?? '', /\.m4a files are not decoded by capuchin/);

        // The downloads are the CLI's files, byte for byte.
        const downloads: Record<string, string> = await page.$$eval('#downloads a, #rows a[download]', async (links) => {
          const out: Record<string, string> = {};
          for (const a of links as HTMLAnchorElement[]) out[a.download] = await (await fetch(a.href)).text();
          return out;
        });
        for (const name of ['results.csv', 'detections.csv', 'warnings.csv']) assert.equal(downloads[name], cliFile(name), `${name} differs from the CLI's`);
        assert.match(downloads['warnings.csv'], /^excerpt_8kHz\.wav,.*band-limited: recorded at 8000 Hz/m);
        assert.match(await page.textContent('tr[data-recording="excerpt_8kHz.wav"]') ?? '', /warning: band-limited/);
        assert.match(downloads['warnings.csv'], /^excerpt_cut\.wav,.*truncated: the header declares 12\.0 s of audio but the file holds 8\.0 s/m);
        // errors.csv: the same rows; the CLI's message names the full path where the page has only the file name
        const rowsOf = (csv: string) => csv.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
        assert.deepEqual(rowsOf(downloads['errors.csv']), rowsOf(cliFile('errors.csv')));
        assert.deepEqual(rowsOf(downloads['errors.csv']), ['not_supported.m4a']);
        assert.match(downloads['errors.csv'], /^not_supported\.m4a,.*\.m4a files are not decoded by capuchin/m);
        for (const r of cli.results.filter((x) => x.count !== null)) {
          const name = ravenFileName(r.recording);
          assert.equal(downloads[name], cliFile(join('raven', name)), `${name} differs from the CLI's`);
        }
        assert.equal(await page.locator('.track .main-svg').count() > 0, true, 'no score track was drawn');
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
        await server.close();
      }
    }

    // Another model folder, picked by the user (here a copy of the shipped one): the pool restarts with it.
    const picked = join(root, 'my-model');
    mkdirSync(picked);
    for (const f of ['model.json', 'weights.bin', 'capuchin.json', 'detector.json']) copyFileSync(join(DEFAULT_MODEL_DIR, f), join(picked, f));
    const server = await serveStatic(dist);
    const page = await browser.newPage();
    try {
      await page.goto(server.url);
      await page.setInputFiles('#model-files', ['model.json', 'weights.bin', 'capuchin.json', 'detector.json'].map((f) => join(picked, f)));
      await page.waitForFunction(() => /the picked model/.test(document.getElementById('engine')!.textContent ?? '') && document.body.dataset.model === 'ready', null, { timeout: 120_000 });
      await page.setInputFiles('#files', [join(inputs, EXCERPT)]);
      await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 300_000 });
      assert.equal(await page.getAttribute(`tr[data-recording="${EXCERPT}"]`, 'data-count'), String(excerpt.count));
      // A model folder missing its weights is refused by name.
      await page.reload();
      await page.setInputFiles('#model-files', [join(picked, 'model.json'), join(picked, 'capuchin.json')]);
      await page.waitForFunction(() => document.body.dataset.model === 'failed', null, { timeout: 60_000 });
      assert.match(await page.textContent('#engine') ?? '', /have no weights\.bin/);
    } finally {
      await page.close();
      await server.close();
    }

    // Opened from file://, Chromium blocks the workers: the page says so instead of hanging.
    const local = await browser.newPage();
    try {
      await local.goto(`file://${join(dist, 'index.html')}`);
      await local.waitForFunction(() => document.body.dataset.model === 'failed' || document.body.dataset.model === 'ready', null, { timeout: 60_000 });
      assert.match(await local.textContent('#notice') ?? '', /Opened from file:\/\/.*npx serve web\/dist/);
    } finally {
      await local.close();
    }
  } finally {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});
