import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityDailyCsv, activityHourlyCsv } from '../records/activity.ts';
import type { RecordingRow } from '../records/recordings.ts';
import { binActivity, callRate } from './activityBins.ts';
import { activityHtml } from './activityPage.ts';

const row = (recording: string, site: string, start_time: string, duration_s: number | null, count: number | null): RecordingRow => ({
  recording, site, start_time, time_source: start_time ? 'audiomoth' : '', duration_s, count,
});

test('activity bins: calls in the hour they start, effort split across hours, not-recorded hours apart from silent ones', () => {
  const recordings = [
    // 05:50–06:10 local at -03:00: 10 min in hour 5, 10 min in hour 6
    row('A/20240301_055000.WAV', 'A', '2024-03-01T05:50:00-03:00', 1200, 3),
    // a silent hour, recorded in full
    row('A/20240301_080000.WAV', 'A', '2024-03-01T08:00:00-03:00', 3600, 0),
    // the next day, across midnight: 23:30–00:30
    row('A/20240302_233000.WAV', 'A', '2024-03-02T23:30:00-03:00', 3600, 1),
    // another site, offset unknown (local clock as named)
    row('B/SM_20240301_050000.wav', 'B', '2024-03-01T05:00:00', 600, 1),
    // no start time: not binned, reported
    row('B/field notes.wav', 'B', '', 900, 2),
    // not decoded: no effort at all
    row('B/broken.wav', 'B', '2024-03-01T09:00:00', null, null),
  ];
  const calls = new Map([
    ['A/20240301_055000.WAV', [30, 590, 700]], // 05:50:30, 05:59:50, 06:01:40
    ['A/20240302_233000.WAV', [1900]], // 00:01:40 on 3 March
    ['B/SM_20240301_050000.wav', [10]],
    ['B/field notes.wav', [1, 2]],
  ]);
  const a = binActivity(recordings, calls);
  assert.deepEqual(a.sites, ['A', 'B']);
  assert.equal(a.timed, 4);
  assert.deepEqual(a.untimed, { recordings: 1, calls: 2, effortSec: 900 });
  const hour = (site: string, date: string, h: number) => a.hours.find((b) => b.site === site && b.date === date && b.hour === h)!;
  assert.deepEqual(hour('A', '2024-03-01', 5), { site: 'A', date: '2024-03-01', hour: 5, effortSec: 600, calls: 2 });
  assert.deepEqual(hour('A', '2024-03-01', 6), { site: 'A', date: '2024-03-01', hour: 6, effortSec: 600, calls: 1 });
  assert.equal(hour('A', '2024-03-01', 8).effortSec, 3600);
  assert.equal(hour('A', '2024-03-01', 8).calls, 0);
  assert.equal(callRate(hour('A', '2024-03-01', 8)), 0); // recorded, silent
  assert.equal(callRate(hour('A', '2024-03-01', 7)), null); // not recorded
  assert.equal(hour('A', '2024-03-02', 23).effortSec, 1800);
  assert.deepEqual(hour('A', '2024-03-03', 0), { site: 'A', date: '2024-03-03', hour: 0, effortSec: 1800, calls: 1 });
  // every hour of every day from the first to the last, per site
  assert.equal(a.hours.filter((b) => b.site === 'A').length, 3 * 24);
  assert.equal(a.hours.filter((b) => b.site === 'B').length, 24);
  const days = a.days.filter((d) => d.site === 'A');
  assert.deepEqual(days.map((d) => [d.date, d.effortSec, d.calls]), [['2024-03-01', 4800, 3], ['2024-03-02', 1800, 0], ['2024-03-03', 1800, 1]]);
  assert.equal(callRate(hour('A', '2024-03-01', 5)), 12); // 2 calls in 10 min

  // CSV: not-recorded bins have empty calls and rate cells, recorded silent ones 0
  const hourly = activityHourlyCsv(a.hours).split('\n');
  assert.equal(hourly[0], 'site,date,hour,effort_s,calls,calls_per_hour');
  assert.ok(hourly.includes('A,2024-03-01,5,600,2,12'));
  assert.ok(hourly.includes('A,2024-03-01,7,0,,'));
  assert.ok(hourly.includes('A,2024-03-01,8,3600,0,0'));
  assert.equal(activityDailyCsv(a.days).split('\n')[1], 'A,2024-03-01,4800,3,2.25');

  // the page: one heat map, effort map and daily chart per site; not-recorded cells are gaps (null), not 0
  const html = activityHtml(a);
  const figures = JSON.parse(/<script type="application\/json" id="capuchin-figures">([^<]*)<\/script>/.exec(html)![1]);
  assert.equal(figures.length, 6);
  const heat = figures[0].data[0];
  assert.equal(heat.type, 'heatmap');
  assert.deepEqual(heat.x, ['2024-03-01', '2024-03-02', '2024-03-03']);
  assert.equal(heat.z[5][0], 12);
  assert.equal(heat.z[8][0], 0);
  assert.equal(heat.z[7][0], null);
  assert.match(html, /1 recording\(s\) without a known start time/);
});
