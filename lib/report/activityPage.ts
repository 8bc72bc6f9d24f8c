/**
 * activity.html: per site, a diel heat map (hour of day × date) of calls per hour of recording, the
 * recording effort on the same grid (blank cells were not recorded, they are not zero calls), and
 * calls and effort per day. Self-contained (plotly inlined), opens offline.
 */
import { writeFileAtomic } from '../util/atomic.ts';
import { callRate, type Activity, type HourBin } from './activityBins.ts';
import { htmlReport, type PlotlyFigure, type Section } from './plotlyHtml.ts';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

function grid(hours: readonly HourBin[], dates: readonly string[], value: (b: HourBin) => number | null): (number | null)[][] {
  const at = new Map(hours.map((b) => [`${b.date} ${b.hour}`, b]));
  return HOURS.map((h) => dates.map((d) => {
    const b = at.get(`${d} ${h}`);
    return b ? value(b) : null;
  }));
}

function siteFigures(site: string, activity: Activity): PlotlyFigure[] {
  const hours = activity.hours.filter((b) => b.site === site);
  const days = activity.days.filter((b) => b.site === site);
  const dates = days.map((d) => d.date);
  const axes = {
    xaxis: { title: { text: 'date (local)' }, type: 'category', automargin: true, nticks: 12 },
    yaxis: { title: { text: 'hour of day (local)' }, dtick: 3, range: [-0.5, 23.5], automargin: true },
    margin: { t: 48, r: 16, b: 56, l: 64 },
  };
  const calls = grid(hours, dates, (b) => (b.effortSec > 0 ? b.calls : null));
  const effort = grid(hours, dates, (b) => (b.effortSec > 0 ? b.effortSec / 60 : null));
  return [
    {
      data: [{
        type: 'heatmap', x: dates, y: HOURS, z: grid(hours, dates, callRate), customdata: calls.map((row, h) => row.map((c, d) => [c, effort[h][d]])),
        colorscale: 'YlOrRd', reversescale: true, colorbar: { title: { text: 'calls / h' } }, hoverongaps: false,
        hovertemplate: '%{x} %{y}:00<br>%{z:.1f} calls per hour recorded<br>%{customdata[0]} calls in %{customdata[1]:.0f} min<extra></extra>',
      }],
      layout: { title: { text: `${site}: calls per hour of recording` }, plot_bgcolor: '#e8e8e8', ...axes },
    },
    {
      data: [{
        type: 'heatmap', x: dates, y: HOURS, z: effort, colorscale: 'Blues', reversescale: true, zmin: 0, zmax: 60, colorbar: { title: { text: 'min' } }, hoverongaps: false,
        hovertemplate: '%{x} %{y}:00<br>%{z:.0f} min recorded<extra></extra>',
      }],
      layout: { title: { text: `${site}: recording effort (grey: not recorded)` }, plot_bgcolor: '#e8e8e8', ...axes },
    },
    {
      data: [
        { type: 'bar', name: 'calls', x: dates, y: days.map((d) => (d.effortSec > 0 ? d.calls : null)), marker: { color: '#c0392b' } },
        { type: 'scatter', mode: 'lines+markers', name: 'hours recorded', x: dates, y: days.map((d) => d.effortSec / 3600), yaxis: 'y2', line: { color: '#2471a3' } },
      ],
      layout: {
        title: { text: `${site}: calls and effort per day` },
        xaxis: { type: 'category', automargin: true, nticks: 12 },
        yaxis: { title: { text: 'calls' }, rangemode: 'tozero' },
        yaxis2: { title: { text: 'hours recorded' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
        legend: { orientation: 'h', y: -0.25 },
        margin: { t: 48, r: 56, b: 56, l: 56 },
      },
    },
  ];
}

export function activityHtml(activity: Activity, opts: { title?: string } = {}): string {
  const totalCalls = activity.days.reduce((n, d) => n + d.calls, 0);
  const totalHours = activity.days.reduce((n, d) => n + d.effortSec, 0) / 3600;
  const untimed = activity.untimed.recordings
    ? `<p>${activity.untimed.recordings} recording(s) without a known start time (${(activity.untimed.effortSec / 3600).toFixed(1)} h, ${activity.untimed.calls} calls) are not in the charts. Name files like AudioMoth (<code>YYYYMMDD_HHMMSS.WAV</code>) or Song Meter (<code>PREFIX_YYYYMMDD_HHMMSS.wav</code>), or pass <code>--time-pattern</code>.</p>`
    : '';
  const sections: Section[] = activity.sites.map((site) => ({ heading: site || '(no site)', figures: siteFigures(site, activity) }));
  sections.unshift({
    heading: 'Summary',
    html: `<p>${totalCalls} calls in ${totalHours.toFixed(1)} h of recording from ${activity.timed} recording(s) at ${activity.sites.length} site(s). Hours and dates are each recorder's local clock. Grey cells were not recorded; a coloured 0 is an hour recorded without calls.</p>${untimed}`,
    table: {
      columns: ['site', 'days', 'hours recorded', 'calls', 'calls per hour'],
      rows: activity.sites.map((site) => {
        const days = activity.days.filter((d) => d.site === site);
        const effort = days.reduce((n, d) => n + d.effortSec, 0);
        const calls = days.reduce((n, d) => n + d.calls, 0);
        return [site || '(no site)', days.length, Number((effort / 3600).toFixed(2)), calls, effort > 0 ? Number((calls / (effort / 3600)).toFixed(3)) : null];
      }),
    },
  });
  return htmlReport({ title: opts.title ?? 'Calls over time', subtitle: 'calls per hour and per day, with recording effort', sections });
}

export function writeActivityHtml(path: string, activity: Activity, opts: { title?: string } = {}): void {
  writeFileAtomic(path, activityHtml(activity, opts));
}
