/**
 * A recorder deployment as field teams have it: site folders, AudioMoth and Song Meter names, a WAV with
 * GUANO metadata, the same file name at two sites. `count --recursive` names each recording by its path,
 * gives every call its absolute time and site, writes recordings.csv and the activity files; sharded
 * counts merged with `merge --folder --recursive` equal the single run; `npm run activity` on the run
 * writes the same activity tables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertChunk, wavBytes } from '../audio/__fixtures__/testAudio.ts';
import { loadAudio } from '../audio/load.ts';
import { isoAt, startFromIso } from '../audio/recordingTime.ts';
import { FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../data/paths.ts';
import { readDetectionsCsv } from '../records/detections.ts';
import { readRecordingsCsv } from '../records/recordings.ts';
import { readResultsCsv } from '../records/results.ts';

function run(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'experiments', script), ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

test('count --recursive on a recorder deployment: ids, times, sites, recordings.csv, activity; shards merge to the same set', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'capuchin-field-'));
  try {
    const deploy = join(root, 'deployment');
    const excerpt = await loadAudio(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'));
    const wav = wavBytes([excerpt.samples], excerpt.sampleRate);
    const guano = new TextEncoder().encode('GUANO|Version: 1.0\nMake: Wildlife Acoustics\nTimestamp: 2024-03-01T06:00:00-03:00\nLoc Position: -3.1 -60.0\n');
    const files: Record<string, Uint8Array> = {
      'siteA/sd1/20240301_055950.WAV': wav, // AudioMoth: UTC; crosses 06:00
      'siteA/sd2/20240302_120000.WAV': wav,
      'siteB/20240301_055950.WAV': wav, // the same name at another site
      'siteB/SMA01234_20240301_053000.wav': wav, // Song Meter: local, offset unknown
      'siteB/deployment notes.wav': insertChunk(wav, 'guan', guano, 'before-data'), // GUANO timestamp with offset
    };
    for (const [name, bytes] of Object.entries(files)) {
      mkdirSync(join(deploy, name, '..'), { recursive: true });
      writeFileSync(join(deploy, name), bytes);
    }

    // without --recursive the folder of folders is refused with the fix
    const flat = run('count.ts', ['--data', deploy, '--out', join(root, 'flat'), '--workers', '1']);
    assert.equal(flat.status, 1, flat.stderr);
    assert.match(flat.stderr, /count its subfolders with --recursive/);

    const single = join(root, 'single');
    const r = run('count.ts', ['--data', deploy, '--recursive', '--out', single, '--workers', '1', '--no-review']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /start times known for 5 of 5 recording\(s\)/);

    const ids = Object.keys(files).sort((a, b) => (a < b ? -1 : 1));
    const results = readResultsCsv(join(single, 'results.csv')).rows;
    assert.deepEqual(results.map((x) => x.recording), ids);
    for (const x of results) assert.equal(x.count, 3, `${x.recording}: the excerpt holds 3 labelled calls`);

    const recordings = new Map(readRecordingsCsv(join(single, 'recordings.csv')).map((x) => [x.recording, x]));
    const rec = (id: string) => recordings.get(id)!;
    assert.deepEqual([rec('siteA/sd1/20240301_055950.WAV').site, rec('siteA/sd1/20240301_055950.WAV').start_time, rec('siteA/sd1/20240301_055950.WAV').time_source], ['siteA', '2024-03-01T05:59:50+00:00', 'audiomoth']);
    assert.deepEqual([rec('siteB/SMA01234_20240301_053000.wav').start_time, rec('siteB/SMA01234_20240301_053000.wav').time_source], ['2024-03-01T05:30:00', 'songmeter']);
    assert.deepEqual([rec('siteB/deployment notes.wav').site, rec('siteB/deployment notes.wav').start_time, rec('siteB/deployment notes.wav').time_source], ['siteB', '2024-03-01T06:00:00-03:00', 'guano']);
    assert.ok(Math.abs(rec('siteA/sd2/20240302_120000.WAV').duration_s! - excerpt.samples.length / excerpt.sampleRate) < 0.01);

    // every call: its absolute time is the recording's start plus its offset, and its site
    const detections = readDetectionsCsv(join(single, 'detections.csv'));
    assert.equal(detections.length, 15);
    for (const d of detections) {
      const start = startFromIso(rec(d.recording).start_time, 'pattern')!;
      assert.equal(d.start_time, isoAt(start, d.start_s), d.recording);
      assert.equal(d.site, d.recording.split('/')[0]);
    }

    // Raven tables mirror the tree: the two 20240301_055950 files do not overwrite each other
    for (const t of ['siteA/sd1/20240301_055950', 'siteB/20240301_055950', 'siteB/deployment notes'])
      assert.ok(existsSync(join(single, 'raven', `${t}.capuchin.selection.table.txt`)), t);

    // activity: siteA's first file puts 10 s of effort in 05:00 and the rest in 06:00 (UTC clock), its calls by their start
    const hourly = read(single, 'activity_hourly.csv').split('\n');
    const first = detections.filter((d) => d.recording === 'siteA/sd1/20240301_055950.WAV');
    const before6 = first.filter((d) => d.start_s < 10).length;
    assert.ok(before6 > 0 && before6 < 3, 'the excerpt has calls on both sides of 06:00');
    assert.ok(hourly.includes(`siteA,2024-03-01,5,10,${before6},${before6 * 360}`), hourly.slice(0, 8).join('\n'));
    assert.ok(hourly.some((l) => l.startsWith(`siteA,2024-03-01,6,16.0`) && l.split(',')[4] === String(3 - before6)));
    assert.ok(hourly.includes('siteA,2024-03-01,7,0,,'), 'an hour not recorded has empty calls');
    assert.ok(existsSync(join(single, 'activity.html')));

    // npm run activity on the finished run writes the same tables
    const again = join(root, 'activity');
    const a = run('activity.ts', ['--detections', single, '--out', again]);
    assert.equal(a.status, 0, a.stderr);
    for (const name of ['activity_hourly.csv', 'activity_daily.csv']) assert.equal(read(again, name), read(single, name), name);

    // two shards merged against the folder equal the single run, file for file
    const shards = [0, 1].map((i) => {
      const out = join(root, `shard-${i}`);
      const s = run('count.ts', ['--data', deploy, '--recursive', '--shard', `${i}/2`, '--out', out, '--workers', '1', '--no-review']);
      assert.equal(s.status, 0, s.stderr);
      return out;
    });
    const merged = join(root, 'merged');
    const m = run('merge.ts', ['--out', merged, '--folder', deploy, '--recursive', ...shards]);
    assert.equal(m.status, 0, m.stderr);
    for (const name of ['results.csv', 'detections.csv', 'recordings.csv', 'activity_hourly.csv', 'activity_daily.csv', 'raven/siteB/deployment notes.capuchin.selection.table.txt', 'raven/siteA/sd2/20240302_120000.capuchin.selection.table.txt'])
      assert.equal(read(merged, name), read(single, name), name);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
