/**
 * The bad-input corpus (lib/pipeline/__fixtures__/badCorpus.ts, 60+ generated files) through
 * `npm run count` as a user runs it: exit 3 (some files failed), one results.csv row per audio name,
 * an errors.csv row naming each failed file, a warnings.csv row for each file whose count may be off,
 * distinct Raven tables. Then the configuration errors that must stop a run before its first file
 * (exit 1, the offending file or flag named, no output folder written).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, REPO_ROOT, SAMPLE_DATA_DIR, FOREST_DIR } from '../data/paths.ts';
import { readErrorsCsv } from '../records/errors.ts';
import { readResultsCsv } from '../records/results.ts';
import { readWarningsCsv } from '../records/warnings.ts';
import { readCompleteSet } from '../util/outputSet.ts';
import { buildBadCorpus } from './__fixtures__/badCorpus.ts';

function count(args: string[]): { status: number | null; stderr: string } {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'experiments/count.ts'), ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 240_000 });
  return { status: res.status, stderr: res.stderr };
}

test('count goes through 60+ unusual and broken inputs: exit 3, every file accounted for with its reason', { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-corpus-'));
  try {
    const corpus = join(root, 'in');
    const entries = buildBadCorpus(corpus);
    assert.ok(entries.length >= 60, `${entries.length} cases`);
    const out = join(root, 'out');
    const run = count(['--data', corpus, '--out', out, '--workers', '2']);
    assert.equal(run.status, 3, run.stderr.slice(-3000));
    readCompleteSet(out, 'test');
    const { rows } = readResultsCsv(join(out, 'results.csv'));
    const errors = new Map(readErrorsCsv(join(out, 'errors.csv')).map((e) => [e.recording, e.error] as const));
    const warnings = readWarningsCsv(join(out, 'warnings.csv'));
    assert.deepEqual(rows.map((r) => r.recording).sort(), entries.map((e) => e.name).sort(), 'one results.csv row per audio name, nothing else (notes.txt is not audio)');
    for (const e of entries) {
      const row = rows.find((r) => r.recording === e.name)!;
      const warned = warnings.filter((w) => w.recording === e.name).map((w) => w.warning);
      if (e.expect.outcome === 'counted') {
        assert.notEqual(row.count, null, `${e.name} was not counted: ${errors.get(e.name)}`);
        assert.ok(!errors.has(e.name), `${e.name} is counted and in errors.csv`);
        if (e.expect.calls !== undefined) assert.equal(row.count, e.expect.calls, e.name);
        if (e.expect.warning) assert.ok(warned.some((w) => e.expect.outcome === 'counted' && e.expect.warning!.test(w)), `${e.name}: warnings ${JSON.stringify(warned)}`);
      } else {
        assert.equal(row.count, null, `${e.name} should have failed`);
        const message = errors.get(e.name) ?? '';
        assert.match(message, e.expect.error, `${e.name}: ${message}`);
        assert.ok(message.includes(e.name) && /Fix: \S/.test(message), `${e.name}: the message names the file and a fix: ${message}`);
      }
    }
    // no warning without a reason: files of clean real audio carry none
    for (const clean of ['call_16bit.wav', 'call_stereo.wav', 'insects.wav', 'call_11025Hz.wav', 'one_sample.wav']) assert.deepEqual(warnings.filter((w) => w.recording === clean), [], clean);
    const raven = readdirSync(join(out, 'raven'));
    assert.equal(raven.length, entries.filter((e) => e.expect.outcome === 'counted').length, 'one Raven table per counted file, none overwritten');
    assert.ok(raven.includes('same_stem.wav.capuchin.selection.table.txt') && raven.includes('same_stem.mp3.capuchin.selection.table.txt'));
    assert.ok(raven.every((n) => Buffer.byteLength(n) <= 255));
    assert.ok(existsSync(join(out, 'review.html')));
    assert.deepEqual(readdirSync(root).sort(), ['in', 'out'], 'no staging folder left behind');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('configuration errors stop count before its first file with exit 1 and the file or flag named', { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-config-'));
  try {
    const recordings = join(SAMPLE_DATA_DIR, FOREST_DIR);
    const model = (name: string, change: (dir: string) => void) => {
      const dir = join(root, name);
      mkdirSync(dir);
      for (const f of readdirSync(DEFAULT_MODEL_DIR)) copyFileSync(join(DEFAULT_MODEL_DIR, f), join(dir, f));
      change(dir);
      return dir;
    };
    const cut = (dir: string, file: string) => writeFileSync(join(dir, file), readFileSync(join(dir, file)).subarray(0, 100));
    const cases: [string, string[], RegExp][] = [
      ['truncated model.json', ['--model', model('m1', (d) => cut(d, 'model.json'))], /m1\/model\.json is not valid JSON/],
      ['truncated capuchin.json', ['--model', model('m2', (d) => cut(d, 'capuchin.json'))], /m2\/capuchin\.json is not valid JSON/],
      ['truncated detector.json', ['--model', model('m3', (d) => cut(d, 'detector.json'))], /m3\/detector\.json is not valid JSON/],
      ['cut weights.bin', ['--model', model('m4', (d) => cut(d, 'weights.bin'))], /weights\.bin has 100 bytes.*cut short/],
      ['doubled weights.bin', ['--model', model('m5', (d) => writeFileSync(join(d, 'weights.bin'), Buffer.concat([readFileSync(join(d, 'weights.bin')), readFileSync(join(d, 'weights.bin'))])))], /too long: doubled/],
      [
        "capuchin.json that disagrees with the weights",
        ['--model', model('m6', (d) => {
          const meta = JSON.parse(readFileSync(join(d, 'capuchin.json'), 'utf8'));
          meta.feature.melBins = 64;
          delete meta.inputShape;
          writeFileSync(join(d, 'capuchin.json'), JSON.stringify(meta));
        })],
        /gives 149×64 feature inputs, but .*model\.json was built for 149×48/,
      ],
      ['missing weights.bin', ['--model', model('m7', (d) => rmSync(join(d, 'weights.bin')))], /has no weights\.bin/],
      ['--hop 0.333', ['--hop', '0.333'], /hopSec 0\.333 s is not a whole number of feature frames.*Fix/],
      ['--out is a file', ['--out', join(REPO_ROOT, 'package.json')], /is a file/],
      ['--out ""', ['--out', ''], /empty string/],
      ['--out under /proc', ['--out', '/proc/capuchin-out'], /cannot write beside the output folder \/proc\/capuchin-out/],
      ['--out holds other files', ['--out', join(REPO_ROOT, 'lib')], /holds other files .* not a capuchin output set/],
    ];
    for (const [what, args, message] of cases) {
      const outArgs = args.includes('--out') ? [] : ['--out', join(root, `out-${what.replace(/\W+/g, '_')}`)];
      const run = count(['--data', recordings, ...outArgs, ...args]);
      assert.equal(run.status, 1, `${what}: exit ${run.status}\n${run.stderr.slice(-1500)}`);
      assert.match(run.stderr, message, what);
      assert.doesNotMatch(run.stderr, /counting \d+\/\d+/, `${what}: counting started`);
      if (outArgs.length) assert.ok(!existsSync(outArgs[1]), `${what}: an output folder was written`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('count exits 0 when every file is counted, and 1 when none is', { timeout: 240_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-exit-'));
  try {
    assert.equal(count(['--data', join(SAMPLE_DATA_DIR, FOREST_DIR), '--out', join(root, 'ok')]).status, 0);
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'a.wav'), 'not audio');
    writeFileSync(join(bad, 'b.mp3'), new Uint8Array(0));
    const run = count(['--data', bad, '--out', join(root, 'none')]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /2 of 2 file\(s\) not counted \(exit 1\)/);
    assert.equal(readErrorsCsv(join(root, 'none', 'errors.csv')).length, 2, 'the errors are still written');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function cli(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'experiments', script), ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 400_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

test('features goes through the same corpus: exit 3, a .npy per readable file, errors.csv for the rest', { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-corpus-features-'));
  try {
    const entries = buildBadCorpus(join(root, 'in'));
    const out = join(root, 'features');
    const run = cli('features.ts', [...entries.map((e) => join(root, 'in', e.name)), '--kind', 'pcen', '--out', out]);
    assert.equal(run.status, 3, run.stderr.slice(-2000));
    readCompleteSet(out, 'test');
    const errors = new Map(readErrorsCsv(join(out, 'errors.csv')).map((e) => [e.recording, e.error] as const));
    for (const e of entries) {
      if (e.expect.outcome === 'counted') {
        assert.ok(existsSync(join(out, `${e.name}.npy`)), `${e.name}: no features (${errors.get(e.name)})`);
      } else {
        assert.ok(!existsSync(join(out, `${e.name}.npy`)), `${e.name}: features from a broken file`);
        const message = errors.get(e.name) ?? '';
        assert.ok(message.includes(e.name) && /Fix: \S/.test(message), `${e.name}: ${message}`);
      }
    }
    const one = cli('features.ts', [join(root, 'in', 'zero_bytes.wav'), '--kind', 'mel', '--out', join(root, 'one.npy')]);
    assert.equal(one.status, 1);
    assert.match(one.stderr, /zero_bytes\.wav: the file has 0 bytes/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('experiment trains on the good clips of a data folder salted with the corpus: exit 3, errors.csv lists each bad one', { timeout: 600_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-corpus-experiment-'));
  try {
    const data = join(root, 'data');
    for (const dir of ['Parsed_Capuchinbird_Clips', 'Parsed_Not_Capuchinbird_Clips']) {
      mkdirSync(join(data, dir), { recursive: true });
      for (const f of readdirSync(join(SAMPLE_DATA_DIR, dir))) copyFileSync(join(SAMPLE_DATA_DIR, dir, f), join(data, dir, f));
    }
    const entries = buildBadCorpus(join(root, 'corpus')).filter((e) => e.expect.outcome === 'failed');
    const salted = join(data, 'Parsed_Not_Capuchinbird_Clips');
    for (const e of entries) spawnSync('cp', ['-P', '-r', join(root, 'corpus', e.name), join(salted, e.name)]); // links stay links, the FIFO a FIFO
    const out = join(root, 'out');
    const run = cli('experiment.ts', ['demo', '--data', data, '--out', out, '--no-count', '--no-cache']);
    assert.equal(run.status, 3, run.stderr.slice(-3000));
    readCompleteSet(out, 'test');
    const errors = readErrorsCsv(join(out, 'errors.csv'));
    assert.deepEqual(errors.map((e) => e.recording.split('/').pop()).sort(), entries.map((e) => e.name).sort());
    for (const e of errors) assert.match(e.error, /Fix: \S/, e.recording);
    assert.equal(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).n_clips, 20, 'the 20 good clips trained');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
