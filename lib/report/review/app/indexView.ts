/** The index view: one row per recording with its review status, the exports and "Next to review". */
import type { ReviewIndex } from '../types.ts';
import { button, download, fmt, h, present } from './dom.ts';
import { canMarkDone, reviewRavenTable, reviewedCallsCsv, verdictsCsv } from './exports.ts';
import type { ReviewStore } from './state.ts';
import { REVIEWED_CALLS_FILE, VERDICTS_FILE } from '../types.ts';

export function statusOf(index: ReviewIndex, store: ReviewStore, i: number): string {
  const r = index.recordings[i];
  if (r.count === null) return 'failed';
  const s = store.peek(r.key);
  if (s?.done) return 'fully reviewed';
  const decided = r.events.filter((_, k) => s?.verdicts[k]).length + (s?.added.length ? 1 : 0);
  if (!s || (decided === 0 && !Object.keys(s.candidates).length)) return 'not started';
  return `in progress ${r.events.filter((_, k) => s.verdicts[k]).length}/${r.events.length}${canMarkDone(r, s) ? ' (ready to mark)' : ''}`;
}

export function exportButtons(index: ReviewIndex, store: ReviewStore): HTMLElement {
  const states = store.state.recordings;
  return h(
    'span',
    { class: 'bar' },
    button(`Export ${REVIEWED_CALLS_FILE}`, () => download(REVIEWED_CALLS_FILE, reviewedCallsCsv(index, states)), { 'data-export': 'reviewed' }),
    button(`Export ${VERDICTS_FILE}`, () => download(VERDICTS_FILE, verdictsCsv(index, states)), { 'data-export': 'verdicts' }),
    button('Export Raven table (all)', () => download('review.capuchin.selection.table.txt', reviewRavenTable(index.recordings.filter((r) => r.count !== null), states, true, index.band), 'text/plain'), { 'data-export': 'raven' }),
  );
}

export function renderIndex(root: HTMLElement, index: ReviewIndex, store: ReviewStore, next: () => void): void {
  const recs = index.recordings;
  const detections = recs.reduce((n, r) => n + r.events.length, 0);
  const done = recs.filter((r) => store.peek(r.key)?.done).length;
  const failed = recs.filter((r) => r.count === null).length;
  const d = index.detector;
  // one string of rows: 1,000 recordings render in one layout pass
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const rows = recs
    .map((r, i) => `<tr data-key="${r.key}"><td><a href="#rec=${r.key}">${esc(r.recording)}</a></td><td>${fmt(r.durationSec, 1)}</td><td>${r.count ?? '–'}</td><td>${fmt(r.bestScore, 3)}</td><td>${esc(statusOf(index, store, i))}${r.error ? ` <span class="muted">${esc(r.error)}</span>` : ''}</td></tr>`)
    .join('');
  const table = h('table', { id: 'recordings' });
  // fixed layout: the browser sizes 1,000 rows from the first, not by measuring every cell
  table.innerHTML = `<colgroup><col style="width:40%"><col style="width:11%"><col style="width:8%"><col style="width:11%"><col style="width:30%"></colgroup><thead><tr><th>recording</th><th>duration (s)</th><th>calls</th><th>best score</th><th>review</th></tr></thead><tbody>${rows}</tbody>`;
  root.replaceChildren(...present(
    h('h1', { text: index.title }),
    h('p', { class: 'muted', text: `${recs.length} recording(s), ${detections} detection(s), ${done} fully reviewed${failed ? `, ${failed} failed` : ''}. Detector: on ${d.onThreshold}, off ${d.offThreshold}, ${d.smoothing} smoothing over ${d.smoothingWindows} windows; ${d.windowSec} s windows every ${d.hopSec} s. Run ${index.runId}, ${index.createdAt}.` }),
    store.problem ? h('p', { class: 'warn', role: 'alert', text: store.problem }) : null,
    h('div', { class: 'bar' }, button('Next to review (n)', next, { id: 'next' }), exportButtons(index, store)),
    table,
  ));
}
