/**
 * One recording's page: spectrogram and score track with the detections boxed, the list of detections,
 * added calls and candidates with their verdicts, players, and the keys that verify and correct.
 */
import type { ReviewIndex, ReviewIndexRecording, ReviewRecordingData } from '../types.ts';
import { button, download, fmt, h, present } from './dom.ts';
import { drawScores, drawSpectrogram, spectrogramImage, tOf, type Box, type Frame } from './draw.ts';
import { addedCallLength, canMarkDone, reviewRavenTable, reviewedCalls } from './exports.ts';
import type { EventVerdict, ReviewStore } from './state.ts';

export type Selection = { kind: 'event' | 'added' | 'candidate'; index: number } | null;

const COLOUR: Record<string, string> = { accept: '#1a7f37', reject: '#b42318', unsure: '#9a6700', added: '#1f6feb', none: '#ffffff' };
const NUDGE_S = 0.1;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export class RecordingView {
  private selection: Selection;
  private t0 = 0;
  private readonly span: number;
  private readonly image: HTMLCanvasElement | null;
  private readonly spec: HTMLCanvasElement;
  private readonly track: HTMLCanvasElement;
  private readonly list = h('div');
  private readonly shown = h('span', { class: 'muted', id: 'shown' });
  private readonly status = h('div', { class: 'bar' });
  /** The store's load/save problem, kept current after every change. */
  private readonly warning = h('p', { class: 'warn', role: 'alert', id: 'storage-warning', hidden: true });
  private readonly audio: HTMLAudioElement | null;
  private stopAt: number | null = null;
  private playFrom = -1;

  constructor(
    private readonly root: HTMLElement,
    private readonly index: ReviewIndex,
    private readonly rec: ReviewIndexRecording,
    private readonly data: ReviewRecordingData,
    private readonly store: ReviewStore,
    private readonly next: () => void,
    select: Selection,
  ) {
    this.selection = select ?? (rec.events.length ? { kind: 'event', index: 0 } : null);
    this.span = Math.min(60, Math.max(data.durationSec, 1));
    this.image = data.spectrogram ? spectrogramImage(data.spectrogram) : null;
    const width = Math.max(600, Math.min(1400, (root.clientWidth || 1000) - 10));
    this.spec = h('canvas', { width, height: 220, id: 'spectrogram', 'aria-label': 'spectrogram: click to add a missed call' });
    this.track = h('canvas', { width, height: 130, id: 'scores', 'aria-label': 'score track: click to add a missed call' });
    for (const c of [this.spec, this.track]) c.addEventListener('click', (ev) => this.clicked(c, ev));
    this.audio = data.audio?.kind === 'source' ? h('audio', { controls: true, preload: 'metadata', src: data.audio.href, id: 'source-audio' }) : null;
    // stop at the end of the call: timeupdate comes every ~250 ms, so poll each frame while playing
    const audio = this.audio;
    const watch = () => {
      if (!audio || this.stopAt === null || audio.paused) return;
      if (audio.currentTime >= this.stopAt) {
        audio.pause();
        this.stopAt = null;
      } else requestAnimationFrame(watch);
    };
    audio?.addEventListener('playing', watch);
    audio?.addEventListener('seeking', () => {
      if (Math.abs(audio.currentTime - this.playFrom) > 0.05) this.stopAt = null; // the reviewer moved the player: play on
    });
    for (const c of [this.spec, this.track]) c.addEventListener('wheel', (ev) => this.wheel(ev), { passive: false });
    const s = data.spectrogram;
    root.replaceChildren(...present(
      h('p', {}, h('a', { href: '#', id: 'back' }, '← all recordings')),
      h('h1', { text: rec.recording }),
      h('p', { class: 'muted', text: `${fmt(rec.durationSec, 1)} s, ${rec.events.length} detection(s), best window ${fmt(rec.bestScore, 3)}; spectrogram ${s ? `${s.fminHz}–${s.fmaxHz} Hz` : 'not kept'}.` }),
      this.warning,
      h('p', { class: 'muted' }, 'Keys: ', h('kbd', {}, 'a'), ' accept, ', h('kbd', {}, 'r'), ' reject, ', h('kbd', {}, 'u'), ' unsure, ', h('kbd', {}, '↑'), h('kbd', {}, '↓'), ' move, ', h('kbd', {}, 'Shift+←/→'), ` nudge the start by ${NUDGE_S} s, `, h('kbd', {}, 'p'), ' play, ', h('kbd', {}, 'Delete'), ' remove an added call, ', h('kbd', {}, 'n'), ' next to review. Click where there is no box to add a missed call; scroll sideways (or Shift+wheel) over the plots to pan.'),
      h('div', { class: 'bar' }, ...present(this.span < data.durationSec && button('◀ earlier', () => this.pan(-0.8), { id: 'pan-left', 'aria-label': 'show earlier' }), this.span < data.durationSec && button('later ▶', () => this.pan(0.8), { id: 'pan-right', 'aria-label': 'show later' }), this.shown), button('Next to review (n)', next, { id: 'next' }), button('Raven table of this recording', () => this.exportRaven(), { id: 'raven-one' })),
      this.spec,
      this.track,
      this.audio ?? (data.audio === null ? h('p', { class: 'muted', text: 'No audio: the recording is in a format browsers do not play, or the run was counted with --review-audio none.' }) : null),
      this.status,
      this.list,
    ));
    this.centreOnSelection();
    this.render();
  }

  private state() {
    return this.store.recording(this.rec.key);
  }

  private changed(): void {
    const s = this.state();
    if (s.done && !canMarkDone(this.rec, s)) s.done = false;
    this.store.save();
    this.render();
  }

  /** Displayed spans: events (nudged) then added calls. */
  private calls() {
    return reviewedCalls(this.rec, this.store.peek(this.rec.key));
  }

  private frame(width: number): Frame {
    return { t0: this.t0, span: this.span, width };
  }

  private boxes(): Box[] {
    const sel = this.selection;
    return this.calls().map((c, k) => {
      const added = k >= this.rec.events.length;
      const idx = added ? k - this.rec.events.length : k;
      return {
        start_s: c.start_s, end_s: c.end_s, colour: COLOUR[c.verdict ?? 'none'] === '#ffffff' ? '#e6e6e6' : COLOUR[c.verdict ?? 'none'],
        selected: sel !== null && sel.kind === (added ? 'added' : 'event') && sel.index === idx, label: `#${c.detection}`,
      };
    });
  }

  /** The selected candidate's window, outlined (not a call: clicks on it still add one). */
  private candidateBox(): Box[] {
    const sel = this.selection;
    const c = sel?.kind === 'candidate' ? this.rec.candidates[sel.index] : undefined;
    return c ? [{ start_s: c.time_s, end_s: c.time_s + this.data.windowSec, colour: '#ff7f0e', selected: true, label: 'candidate' }] : [];
  }

  render(): void {
    this.warning.hidden = !this.store.problem;
    this.warning.textContent = this.store.problem ?? '';
    const boxes = [...this.boxes(), ...this.candidateBox()];
    this.shown.textContent = this.span < this.data.durationSec ? `showing ${this.t0.toFixed(1)}–${(this.t0 + this.span).toFixed(1)} s of ${this.data.durationSec.toFixed(1)} s` : '';
    drawSpectrogram(this.spec, this.image, this.data, this.frame(this.spec.width), boxes.map((b) => (b.colour === '#e6e6e6' ? { ...b, colour: '#ffffff' } : b)));
    drawScores(this.track, this.data, this.index.detector, this.rec.candidates.filter((_, i) => !this.store.peek(this.rec.key)?.candidates[i]), this.frame(this.track.width), boxes.map((b) => (b.colour === '#e6e6e6' ? { ...b, colour: '#888888' } : b)));
    this.renderList();
  }

  private renderList(): void {
    const s = this.store.peek(this.rec.key);
    const sel = this.selection;
    const rows: HTMLElement[] = [];
    const verdictButtons = (apply: (v: EventVerdict) => void, current: string | undefined, id: string) =>
      h('td', {}, ...(['accept', 'reject', 'unsure'] as const).map((v) => button(v, () => apply(v), { 'data-verdict': v, 'data-item': id, 'aria-pressed': String(current === v) })));
    this.calls().forEach((c, k) => {
      const added = k >= this.rec.events.length;
      const idx = added ? k - this.rec.events.length : k;
      const kind = added ? 'added' : 'event';
      const id = `${kind}-${idx}`;
      const tr = h('tr', { 'data-item': id, class: sel?.kind === kind && sel.index === idx ? 'selected' : undefined },
        h('td', { text: `#${c.detection}` }), h('td', { text: c.start_s.toFixed(2) }), h('td', { text: c.end_s.toFixed(2) }), h('td', { text: c.score === null ? '–' : c.score.toFixed(3) }),
        h('td', { class: c.verdict ? `v-${c.verdict}` : 'muted', text: c.verdict ?? 'not reviewed' }),
        added ? h('td', {}, button('delete', () => this.removeAdded(idx), { 'data-item': id })) : verdictButtons((v) => this.setVerdict(idx, v), c.verdict ?? undefined, id),
        h('td', {}, this.player(kind, idx, c.start_s, c.end_s)),
      );
      tr.addEventListener('click', (ev) => {
        if ((ev.target as HTMLElement).closest('button,audio')) return;
        this.select({ kind, index: idx });
      });
      rows.push(tr);
    });
    this.rec.candidates.forEach((cand, i) => {
      const decided = s?.candidates[i];
      const id = `candidate-${i}`;
      const tr = h('tr', { 'data-item': id, class: sel?.kind === 'candidate' && sel.index === i ? 'selected' : undefined },
        h('td', { text: 'candidate' }), h('td', { text: cand.time_s.toFixed(2) }), h('td', { text: (cand.time_s + this.data.windowSec).toFixed(2) }), h('td', { text: cand.score.toFixed(3) }),
        h('td', { class: 'muted', text: decided === 'accept' ? 'added as a call' : decided === 'reject' ? 'not a call' : 'high, no event' }),
        h('td', {}, button('add as call', () => this.decideCandidate(i, 'accept'), { 'data-item': id, 'data-verdict': 'accept' }), button('not a call', () => this.decideCandidate(i, 'reject'), { 'data-item': id, 'data-verdict': 'reject' })),
        h('td', {}, this.player('candidate', i, cand.time_s, cand.time_s + this.data.windowSec)),
      );
      tr.addEventListener('click', (ev) => {
        if (!(ev.target as HTMLElement).closest('button,audio')) this.select({ kind: 'candidate', index: i });
      });
      rows.push(tr);
    });
    const table = h('table', { id: 'detections' }, h('thead', {}, h('tr', {}, ...['#', 'start (s)', 'end (s)', 'score', 'verdict', 'decide', 'listen'].map((t) => h('th', { text: t })))), h('tbody', {}, ...rows));
    const ready = canMarkDone(this.rec, s);
    const done = h('input', { type: 'checkbox', id: 'done', checked: Boolean(s?.done), disabled: !ready && !s?.done });
    done.addEventListener('change', () => {
      this.state().done = done.checked && canMarkDone(this.rec, this.state());
      this.changed();
    });
    this.status.replaceChildren(
      h('label', {}, done, ' fully reviewed'),
      h('span', { class: 'muted', text: ready ? '(every detection accepted or rejected; added calls count as calls)' : 'Mark it fully reviewed once every detection is accepted or rejected (none unsure).' }),
    );
    this.list.replaceChildren(table);
  }

  private player(kind: string, idx: number, start: number, end: number): HTMLElement | null {
    const a = this.data.audio;
    if (a?.kind === 'clips') {
      const clip = kind === 'event' ? a.clips.find((c) => c.event === idx + 1) : undefined;
      return clip ? h('audio', { controls: true, preload: 'none', src: clip.href, id: `clip-${idx + 1}`, 'aria-label': `detection ${idx + 1}` }) : null;
    }
    if (a?.kind === 'source') return button('▶ play', () => this.play(start, end), { 'data-play': `${kind}-${idx}`, 'aria-label': `play ${start.toFixed(2)}–${end.toFixed(2)} s` });
    return null;
  }

  /** Play [start − 0.5 s, end + 0.5 s] of the source, or the selected detection's clip. */
  private play(start: number, end: number): void {
    if (!this.audio) {
      const sel = this.selection;
      const clip = sel?.kind === 'event' ? (document.getElementById(`clip-${sel.index + 1}`) as HTMLAudioElement | null) : null;
      if (clip) {
        clip.currentTime = 0;
        void clip.play().catch(() => undefined);
      }
      return;
    }
    this.playFrom = Math.max(0, start - 0.5);
    this.audio.currentTime = this.playFrom;
    this.stopAt = end + 0.5;
    void this.audio.play().catch(() => undefined);
  }

  /** Sideways scrolling (a trackpad, or Shift+wheel) over the plots pans the window. */
  private wheel(ev: WheelEvent): void {
    if (this.span >= this.data.durationSec) return;
    const dx = Math.abs(ev.deltaX) > Math.abs(ev.deltaY) ? ev.deltaX : ev.shiftKey ? ev.deltaY : 0;
    if (!dx) return;
    ev.preventDefault();
    this.pan(Math.sign(dx) * 0.1);
  }

  private pan(fraction: number): void {
    this.t0 = Math.min(Math.max(0, this.data.durationSec - this.span), Math.max(0, this.t0 + fraction * this.span));
    this.render();
  }

  private selectedSpan(): [number, number] | null {
    const sel = this.selection;
    if (!sel) return null;
    if (sel.kind === 'candidate') {
      const c = this.rec.candidates[sel.index];
      return c ? [c.time_s, c.time_s + this.data.windowSec] : null;
    }
    const c = this.calls()[sel.kind === 'event' ? sel.index : this.rec.events.length + sel.index];
    return c ? [c.start_s, c.end_s] : null;
  }

  private centreOnSelection(): void {
    const span = this.selectedSpan();
    if (!span) return;
    if (span[0] < this.t0 || span[1] > this.t0 + this.span) {
      this.t0 = Math.min(Math.max(0, this.data.durationSec - this.span), Math.max(0, (span[0] + span[1]) / 2 - this.span / 2));
    }
  }

  select(sel: Selection): void {
    this.selection = sel;
    this.centreOnSelection();
    this.render();
  }

  /** Items in table order, for the arrow keys. */
  private items(): NonNullable<Selection>[] {
    const added = this.store.peek(this.rec.key)?.added.length ?? 0;
    return [
      ...this.rec.events.map((_, i) => ({ kind: 'event' as const, index: i })),
      ...Array.from({ length: added }, (_, i) => ({ kind: 'added' as const, index: i })),
      ...this.rec.candidates.map((_, i) => ({ kind: 'candidate' as const, index: i })),
    ];
  }

  private move(delta: number): void {
    const items = this.items();
    if (!items.length) return;
    const at = items.findIndex((x) => x.kind === this.selection?.kind && x.index === this.selection.index);
    this.select(items[Math.min(items.length - 1, Math.max(0, (at < 0 ? -1 : at) + delta))]);
  }

  private setVerdict(i: number, v: EventVerdict): void {
    this.state().verdicts[i] = v;
    this.selection = { kind: 'event', index: i };
    this.changed();
  }

  /** Accepting a candidate adds a call at its window; rejecting it (again) removes that call. */
  private decideCandidate(i: number, v: 'accept' | 'reject'): void {
    const s = this.state();
    const c = this.rec.candidates[i];
    const from = s.added.findIndex((a) => a.candidate === i);
    if (v === 'accept' && from < 0) s.added.push({ start_s: c.time_s, end_s: round3(Math.min(this.data.durationSec, c.time_s + this.callLength())), candidate: i });
    if (v === 'reject' && from >= 0) s.added.splice(from, 1);
    s.candidates[i] = v;
    this.selection = { kind: 'candidate', index: i };
    this.changed();
  }

  private removeAdded(j: number): void {
    const s = this.state();
    const [gone] = s.added.splice(j, 1);
    if (gone?.candidate !== undefined) delete s.candidates[gone.candidate]; // undecided again
    this.selection = null;
    this.changed();
  }

  /** Length of an added call: the median of this recording's detections, else the window. */
  private callLength(): number {
    return addedCallLength(this.rec, this.data.windowSec);
  }

  private clicked(canvas: HTMLCanvasElement, ev: MouseEvent): void {
    const rect = canvas.getBoundingClientRect();
    const t = tOf(this.frame(canvas.width), ((ev.clientX - rect.left) * canvas.width) / rect.width);
    const calls = this.calls();
    const hit = calls.findIndex((c) => t >= c.start_s && t <= c.end_s);
    if (hit >= 0) {
      this.select(hit < this.rec.events.length ? { kind: 'event', index: hit } : { kind: 'added', index: hit - this.rec.events.length });
      return;
    }
    if (!(t >= 0 && t < this.data.durationSec)) return;
    const s = this.state();
    const start = round3(t);
    s.added.push({ start_s: start, end_s: round3(Math.min(this.data.durationSec, start + this.callLength())) });
    this.selection = { kind: 'added', index: s.added.length - 1 };
    this.changed();
  }

  private nudge(delta: number): void {
    const sel = this.selection;
    if (!sel || sel.kind === 'candidate') return;
    const s = this.state();
    if (sel.kind === 'event') {
      const e = this.rec.events[sel.index];
      const start = s.starts[sel.index] ?? e.start_s;
      const next = round3(Math.min(this.data.durationSec - 0.001, Math.max(0, start + delta)));
      if (next === round3(e.start_s)) delete s.starts[sel.index];
      else s.starts[sel.index] = next;
    } else {
      const a = s.added[sel.index];
      const len = a.end_s - a.start_s;
      a.start_s = round3(Math.min(this.data.durationSec - 0.001, Math.max(0, a.start_s + delta)));
      a.end_s = round3(a.start_s + len);
    }
    this.changed();
  }

  private exportRaven(): void {
    const stem = this.rec.recording.split('/').pop()!.replace(/\.[^.]+$/, '');
    download(`${stem}.capuchin.reviewed.selection.table.txt`, reviewRavenTable([this.rec], this.store.state.recordings, false, this.index.band), 'text/plain');
  }

  /** A key press on this page; true when handled. */
  key(ev: KeyboardEvent): boolean {
    const sel = this.selection;
    const k = ev.key;
    if (ev.shiftKey && (k === 'ArrowLeft' || k === 'ArrowRight')) return this.nudge(k === 'ArrowLeft' ? -NUDGE_S : NUDGE_S), true;
    if (k === 'ArrowDown' || k === 'ArrowRight' || k === 'j') return this.move(1), true;
    if (k === 'ArrowUp' || k === 'ArrowLeft' || k === 'k') return this.move(-1), true;
    if (k === 'Delete' || k === 'Backspace') {
      if (sel?.kind === 'added') this.removeAdded(sel.index);
      return true;
    }
    if (k === 'p' || k === ' ') {
      const span = this.selectedSpan();
      if (span) this.play(span[0], span[1]);
      return true;
    }
    const verdict = ({ a: 'accept', r: 'reject', u: 'unsure' } as const)[k as 'a' | 'r' | 'u'];
    if (verdict && sel) {
      if (sel.kind === 'event') this.setVerdict(sel.index, verdict);
      else if (sel.kind === 'candidate' && verdict !== 'unsure') this.decideCandidate(sel.index, verdict);
      return true;
    }
    return false;
  }
}
