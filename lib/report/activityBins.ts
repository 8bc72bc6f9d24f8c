/**
 * Calls over time: detections binned per site, date and hour of day, each bin with its recording
 * effort (seconds of audio recorded in it), so "no calls" (effort, zero calls) and "not recorded"
 * (no effort) stay apart. Hours are the recorder's local clock (the start time's own offset): diel
 * activity follows the sun where the recorder was, not UTC.
 */
import { localEpochMs, startFromIso, type TimeSource } from '../audio/recordingTime.ts';
import { byName } from '../records/csv.ts';
import type { RecordingRow } from '../records/recordings.ts';

export interface HourBin {
  site: string;
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** Local hour of day, 0–23. */
  hour: number;
  /** Seconds recorded in this hour (0: not recorded). */
  effortSec: number;
  calls: number;
}

export interface DayBin {
  site: string;
  date: string;
  effortSec: number;
  calls: number;
}

export interface Activity {
  /** Every hour of every date from each site's first to last recorded day, not-recorded hours included (effort 0). */
  hours: HourBin[];
  days: DayBin[];
  sites: string[];
  /** Recordings with a duration and a start time (binned). */
  timed: number;
  /** Decoded recordings without a known start time: not binned; their calls are counted here. */
  untimed: { recordings: number; calls: number; effortSec: number };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function dateOf(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 10);
}

/** Calls per hour of recording in a bin, or null when nothing was recorded there. */
export function callRate(bin: { effortSec: number; calls: number }): number | null {
  return bin.effortSec > 0 ? bin.calls / (bin.effortSec / 3600) : null;
}

/**
 * Bin a run's detections by site, local date and hour. `recordings` is recordings.csv (start time,
 * duration, site); `callStarts` gives each recording's call start offsets in seconds (detections.csv).
 * A call is put in the hour it starts in; effort is split across the hours a recording spans.
 */
export function binActivity(recordings: readonly RecordingRow[], callStarts: ReadonlyMap<string, readonly number[]>): Activity {
  const bins = new Map<string, HourBin>();
  const untimed = { recordings: 0, calls: 0, effortSec: 0 };
  const span = new Map<string, { first: number; last: number }>();
  let timed = 0;
  const binAt = (site: string, localMs: number): HourBin => {
    const hourStart = Math.floor(localMs / HOUR_MS) * HOUR_MS;
    const key = `${site}\u0000${hourStart}`;
    let b = bins.get(key);
    if (!b) bins.set(key, (b = { site, date: dateOf(hourStart), hour: new Date(hourStart).getUTCHours(), effortSec: 0, calls: 0 }));
    const s = span.get(site);
    const day = Math.floor(hourStart / DAY_MS) * DAY_MS;
    if (!s) span.set(site, { first: day, last: day });
    else span.set(site, { first: Math.min(s.first, day), last: Math.max(s.last, day) });
    return b;
  };
  for (const r of recordings) {
    if (r.duration_s === null) continue; // not decoded: no effort, no calls
    const calls = callStarts.get(r.recording) ?? [];
    const start = r.start_time ? startFromIso(r.start_time, (r.time_source || 'pattern') as TimeSource) : undefined;
    if (!start) {
      untimed.recordings++;
      untimed.calls += calls.length;
      untimed.effortSec += r.duration_s;
      continue;
    }
    timed++;
    const t0 = localEpochMs(start); // whole seconds: fractions of a start do not move an hour bin
    const t1 = t0 + r.duration_s * 1000;
    for (let t = t0; t < t1; ) {
      const next = Math.min(t1, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
      binAt(r.site, t).effortSec += (next - t) / 1000;
      t = next;
    }
    if (r.duration_s === 0) binAt(r.site, t0);
    for (const s of calls) binAt(r.site, t0 + s * 1000).calls++;
  }
  const sites = [...span.keys()].sort(byName);
  const hours: HourBin[] = [];
  const days: DayBin[] = [];
  for (const site of sites) {
    const { first, last } = span.get(site)!;
    for (let day = first; day <= last; day += DAY_MS) {
      const date = dateOf(day);
      const dayBin: DayBin = { site, date, effortSec: 0, calls: 0 };
      for (let h = 0; h < 24; h++) {
        const b = bins.get(`${site}\u0000${day + h * HOUR_MS}`) ?? { site, date, hour: h, effortSec: 0, calls: 0 };
        b.effortSec = Math.round(b.effortSec * 1000) / 1000;
        hours.push(b);
        dayBin.effortSec += b.effortSec;
        dayBin.calls += b.calls;
      }
      dayBin.effortSec = Math.round(dayBin.effortSec * 1000) / 1000;
      days.push(dayBin);
    }
  }
  return { hours, days, sites, timed, untimed };
}
