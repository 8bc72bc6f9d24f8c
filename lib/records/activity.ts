/**
 * activity_hourly.csv and activity_daily.csv: calls per site, local date (and hour), with the recording
 * effort of each bin. A bin with effort 0 was not recorded: its calls and rate cells are empty, not 0.
 */
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.ts';
import { round } from './csv.ts';

export const ACTIVITY_HOURLY_FILE = 'activity_hourly.csv';
export const ACTIVITY_DAILY_FILE = 'activity_daily.csv';
export const ACTIVITY_HOURLY_COLUMNS = ['site', 'date', 'hour', 'effort_s', 'calls', 'calls_per_hour'] as const;
export const ACTIVITY_DAILY_COLUMNS = ['site', 'date', 'effort_s', 'calls', 'calls_per_hour'] as const;

interface Bin {
  site: string;
  date: string;
  hour?: number;
  effortSec: number;
  calls: number;
}

function cells(b: Bin): (string | number)[] {
  const recorded = b.effortSec > 0;
  return [round(b.effortSec, 3), recorded ? b.calls : '', recorded ? round(b.calls / (b.effortSec / 3600), 4) : ''];
}

export function activityHourlyCsv(bins: readonly Bin[]): string {
  return stringify(bins.map((b) => [b.site, b.date, b.hour ?? '', ...cells(b)]), { header: true, columns: [...ACTIVITY_HOURLY_COLUMNS] });
}

export function activityDailyCsv(bins: readonly Bin[]): string {
  return stringify(bins.map((b) => [b.site, b.date, ...cells(b)]), { header: true, columns: [...ACTIVITY_DAILY_COLUMNS] });
}

export function writeActivityCsvs(dir: string, hours: readonly Bin[], days: readonly Bin[]): string[] {
  const hourly = `${dir}/${ACTIVITY_HOURLY_FILE}`;
  const daily = `${dir}/${ACTIVITY_DAILY_FILE}`;
  writeFileAtomic(hourly, activityHourlyCsv(hours));
  writeFileAtomic(daily, activityDailyCsv(days));
  return [hourly, daily];
}
